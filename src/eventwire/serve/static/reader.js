/* eventwire reader: click or focus a highlighted span to see what the analysis says about it.
   Every value is written with textContent: article text never becomes markup. */
(function () {
  "use strict";
  var source = document.getElementById("analysis-data");
  var text = document.getElementById("text");
  var details = document.getElementById("details");
  if (!source || !text || !details) return;
  var data = JSON.parse(source.textContent);
  var QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};

  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }
  function list(node, key) {
    var value = node.getAttribute("data-" + key);
    return value ? value.split(" ") : [];
  }
  function card(kind, heading, rows) {
    var box = el("div", "card " + kind);
    box.appendChild(el("h3", null, heading));
    var dl = el("dl");
    rows.forEach(function (pair) {
      if (pair[1] === null || pair[1] === undefined || pair[1] === "") return;
      dl.appendChild(el("dt", null, pair[0]));
      dl.appendChild(el("dd", null, pair[1]));
    });
    box.appendChild(dl);
    return box;
  }
  function clearSelection() {
    Array.prototype.forEach.call(document.querySelectorAll(".sel"), function (n) { n.classList.remove("sel"); });
  }
  function markAll(attr, value) {
    Array.prototype.forEach.call(text.querySelectorAll(".m"), function (n) {
      if (list(n, attr).indexOf(value) >= 0) n.classList.add("sel");
    });
  }
  function entityCard(id) {
    var e = data.entities[id] || {};
    return card("entity", e.name || id, [["type", e.type], ["actor", e.actor], ["country", e.country],
      ["mentions", e.mentions], ["entity", id]]);
  }
  function render(cards) {
    details.replaceChildren(el("h2", null, "Details"));
    cards.forEach(function (c) { details.appendChild(c); });
  }
  function show(node) {
    clearSelection();
    var cards = [];
    list(node, "e").forEach(function (id) { cards.push(entityCard(id)); markAll("e", id); });
    list(node, "q").forEach(function (n) {
      var q = data.quotes[+n] || {};
      cards.push(card("quote", q.direct ? "Direct quote" : "Reported speech", [
        ["speaker", q.speaker_name], ["as written", q.speaker_mention], ["cue", q.cue], ["words", q.text]]));
      markAll("q", n);
    });
    list(node, "ev").forEach(function (n) {
      var v = data.events[+n] || {};
      cards.push(card("event", "Event " + (v.cameo || "?") + (v.plover ? " · " + v.plover : ""), [
        ["trigger", v.trigger], ["source", v.source], ["target", v.target],
        ["CAMEO root", v.root], ["quad class", v.quad_class ? v.quad_class + " " + QUADS[v.quad_class] : null],
        ["Goldstein", v.goldstein], ["PLOVER mode", v.plover_mode], ["factuality", v.factuality],
        ["date", v.date], ["location", v.location]]));
    });
    list(node, "t").forEach(function (n) {
      var t = data.times[+n] || {};
      cards.push(card("time", "Time: " + (t.text || ""), [["type", t.type], ["value", t.value]]));
    });
    node.classList.add("sel");
    render(cards);
  }
  text.addEventListener("click", function (event) {
    var node = event.target.closest(".m");
    if (node) show(node);
  });
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.classList.contains("m")) show(event.target);
  });
  Array.prototype.forEach.call(document.querySelectorAll(".entity-pick"), function (button) {
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-e");
      clearSelection();
      markAll("e", id);
      render([entityCard(id)]);
      var first = text.querySelector(".sel");
      if (first) first.scrollIntoView({block: "center", behavior: "smooth"});
    });
  });
  function fromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var node = id && /^(q|ev)\d+$/.test(id) ? document.getElementById(id) : null;
    if (node) show(node);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
