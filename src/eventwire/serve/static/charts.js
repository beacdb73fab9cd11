/* eventwire charts: a stacked timeline of events per day and an actor network, drawn as SVG.
   No library: a few dozen nodes and a few hundred bars need none. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var holder = document.getElementById("chart-data");
  if (!holder) return;
  var charts = JSON.parse(holder.textContent);
  var argsNode = document.getElementById("filter-args");
  var args = argsNode ? JSON.parse(argsNode.textContent) : {};

  function svg(tag, attrs, parent) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function label(parent, x, y, content, cls) {
    var t = svg("text", {x: x, y: y, "class": cls || "axis"}, parent);
    t.textContent = content;
    return t;
  }
  function link(changes) {
    var merged = {};
    Object.keys(args).forEach(function (k) { merged[k] = args[k]; });
    Object.keys(changes).forEach(function (k) { merged[k] = changes[k]; });
    delete merged.page;
    var query = new URLSearchParams();
    Object.keys(merged).forEach(function (k) { if (merged[k]) query.set(k, merged[k]); });
    return "/events?" + query.toString();
  }
  function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / 86400000); }
  function isoDay(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

  function timeline(node, rows) {
    var W = 640, H = 220, left = 36, bottom = 24, top = 10;
    if (!rows.length) { label(node, W / 2, H / 2, "no dated events", "empty"); return; }
    var days = rows.map(function (r) { return dayNumber(r.day); });
    var first = Math.min.apply(null, days), last = Math.max.apply(null, days);
    var span = last - first + 1;
    var width = span <= 120 ? 1 : (span <= 900 ? 7 : 30);  // bucket: day, week, month-ish
    var buckets = Math.ceil(span / width);
    var counts = [];
    for (var i = 0; i < buckets; i++) counts.push([0, 0, 0, 0, 0]);
    rows.forEach(function (r) {
      var b = Math.floor((dayNumber(r.day) - first) / width);
      counts[b][r.quad || 0] += r.n;
    });
    var max = Math.max.apply(null, counts.map(function (c) { return c[0] + c[1] + c[2] + c[3] + c[4]; })) || 1;
    var plotW = W - left - 8, plotH = H - top - bottom, barW = plotW / buckets;
    svg("line", {x1: left, y1: H - bottom, x2: W - 8, y2: H - bottom, "class": "axis-line"}, node);
    label(node, left - 4, top + 8, String(max), "axis end");
    label(node, left - 4, H - bottom, "0", "axis end");
    label(node, left, H - 6, isoDay(first), "axis");
    label(node, W - 8, H - 6, isoDay(last), "axis end");
    if (width > 1) label(node, (left + W) / 2, H - 6, width === 7 ? "per week" : "per 30 days", "axis middle");
    counts.forEach(function (c, b) {
      var y = H - bottom, total = c[0] + c[1] + c[2] + c[3] + c[4];
      if (!total) return;
      var from = isoDay(first + b * width), to = isoDay(Math.min(last, first + (b + 1) * width - 1));
      var a = svg("a", {href: link({date_from: from, date_to: to})}, node);
      [1, 2, 3, 4, 0].forEach(function (q) {
        if (!c[q]) return;
        var h = c[q] / max * plotH;
        y -= h;
        svg("rect", {x: (left + b * barW + 0.5).toFixed(1), y: y.toFixed(1), width: Math.max(barW - 1, 0.8).toFixed(1),
          height: h.toFixed(1), "class": "q" + q}, a);
      });
      var tip = svg("title", {}, a);
      tip.textContent = (width === 1 ? from : from + " – " + to) + ": " + total + " events";
    });
  }

  function network(node, net) {
    var W = 640, H = 420;
    var nodes = net.nodes, edges = net.edges;
    if (!nodes.length) { label(node, W / 2, H / 2, "no events with both actors", "empty"); return; }
    var index = {};
    nodes.forEach(function (n, i) {
      var angle = 2 * Math.PI * i / nodes.length;
      n.x = W / 2 + (W / 3) * Math.cos(angle);
      n.y = H / 2 + (H / 3) * Math.sin(angle);
      n.r = 4 + 2.2 * Math.sqrt(n.n);
      index[n.id] = n;
    });
    // A small force layout: repulsion between nodes, springs along edges, pull to the centre.
    for (var step = 0; step < 250; step++) {
      var cool = 1 - step / 250;
      nodes.forEach(function (a) { a.dx = (W / 2 - a.x) * 0.03; a.dy = (H / 2 - a.y) * 0.03; });
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j];
          var dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
          var f = 500 / d2;
          a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
        }
      }
      edges.forEach(function (e) {
        var a = index[e.source], b = index[e.target];
        var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        var f = (d - 80) * 0.03;
        a.dx += dx / d * f; a.dy += dy / d * f; b.dx -= dx / d * f; b.dy -= dy / d * f;
      });
      nodes.forEach(function (a) {
        var m = Math.sqrt(a.dx * a.dx + a.dy * a.dy), lim = 12 * cool + 0.5;
        if (m > lim) { a.dx *= lim / m; a.dy *= lim / m; }
        a.x = Math.min(W - 40, Math.max(40, a.x + a.dx));
        a.y = Math.min(H - 20, Math.max(20, a.y + a.dy));
      });
    }
    var defs = svg("defs", {}, node);
    ["coop", "conf"].forEach(function (kind) {
      var marker = svg("marker", {id: "arrow-" + kind, viewBox: "0 0 10 10", refX: 10, refY: 5,
        markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse"}, defs);
      svg("path", {d: "M0 0L10 5L0 10z", "class": "arrow " + kind}, marker);
    });
    var maxN = Math.max.apply(null, edges.map(function (e) { return e.n; })) || 1;
    edges.forEach(function (e) {
      var a = index[e.source], b = index[e.target];
      var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      var kind = e.conflict * 2 > e.n ? "conf" : "coop";
      var g = svg("a", {href: link({actor: e.source, target: e.target})}, node);
      svg("line", {x1: (a.x + dx / d * a.r).toFixed(1), y1: (a.y + dy / d * a.r).toFixed(1),
        x2: (b.x - dx / d * (b.r + 2)).toFixed(1), y2: (b.y - dy / d * (b.r + 2)).toFixed(1),
        "stroke-width": (1 + 5 * Math.sqrt(e.n / maxN)).toFixed(1), "class": "edge " + kind,
        "marker-end": "url(#arrow-" + kind + ")"}, g);
      var tip = svg("title", {}, g);
      tip.textContent = e.source + " → " + e.target + ": " + e.n + " events, mean Goldstein " +
        (e.goldstein === null ? "?" : e.goldstein.toFixed(1));
    });
    nodes.forEach(function (n) {
      var g = svg("a", {href: link({actor: n.id, target: ""}), "class": "node"}, node);
      svg("circle", {cx: n.x.toFixed(1), cy: n.y.toFixed(1), r: n.r.toFixed(1)}, g);
      label(g, n.x.toFixed(1), (n.y - n.r - 3).toFixed(1), n.id, "node-label");
      var tip = svg("title", {}, g);
      tip.textContent = n.id + ": " + n.n + " events";
    });
  }

  var t = document.getElementById("timeline");
  if (t) timeline(t, charts.timeline || []);
  var n = document.getElementById("network");
  if (n) network(n, charts.network || {nodes: [], edges: []});
})();
