"""Rule-based coreference: names, nominals and pronouns into one entity each.

The stage ``fill_entities`` builds the article's entities:

1. name mentions are found, re-typed and grouped by alias (:mod:`entities`);
2. the words around each name give it a country, role and gender
   (:mod:`descriptors`); a person in the leader table gets the code its term
   of office on the publication date implies (:mod:`leaders`);
3. definite nominals ("the North Korean leader", "the president") join the
   most recent compatible entity, or become an entity of their own when they
   name a country's institution ("the U.S. military");
4. pronouns are resolved with a salience model in the style of Lappin and
   Leass (1994): each earlier mention within a few sentences weighs by its
   grammatical role (subject > object > oblique), whether it heads its noun
   phrase, and recency (halved per sentence); candidates must agree in
   gender, number and animacy and obey binding (an object pronoun is not its
   own clause's subject, nor a subject pronoun its clause's object, nor the
   understood subject of a controlled infinitive, nor the noun its relative
   clause modifies, nor, for a possessive, the phrase it sits in or the
   subject a copula equates with it: "her sister, Ann"; "Ann was her aide");
   role parallelism, the nearest candidate, a possessive's clause subject, the
   noun a relative clause modifies, the reporter of a reported clause and the
   first conjunct's subject earn bonuses; cataphora is only allowed from a
   fronted phrase or clause to the subject of the verb governing it ("In his
   speech, Kim ...").  Common nouns are candidates too, so that "it" picks "the train"
   (unreported) rather than a distant country.  Inside a quotation, "I" is the
   speaker and "we" the speaker's side, and a third-person pronoun is never
   its own speaker.

Everything is linear in the number of tokens: each pronoun looks only at the
mentions of its window of sentences.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from itertools import islice
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc, Span, Token

from . import actors, gender, leaders
from .descriptors import Description, describe
from .entities import NameMention, cluster_names, extract_entities, is_known_place, name_mentions
from .gazetteer import place_country
from .lexicons import read_tsv, read_words
from .model import Analysis, Entity, Mention
from .nlp import TokenAttrs, doc_attrs, doc_sentences, doc_text, doc_tokens
from .quotespans import QuoteIndex, find_quotes

# Salience weights (Lappin & Leass 1994), tuned lightly on development data.
W_RECENT = 100
W_ROLE = {"subj": 80, "exist": 70, "obj": 50, "obl": 40, "poss": 30, "other": 0}
W_HEAD = 80
W_NONADV = 50
W_PARALLEL = 35
W_CATAPHORA = 60  # only licensed cataphora is considered (see _cataphora_ok)
W_UNKNOWN_GENDER = -30
W_NEAREST = 80  # the closest agreeing mention before the pronoun in its sentence
W_CLAUSE_SUBJECT = 100  # "Kim told Moon about his plan": a possessive prefers its clause's subject
W_LOCAL = 80  # the noun a relative clause or an object-control verb attaches the pronoun to
W_MAYBE_PERSON = -40  # a name typed as a thing that no gazetteer knows, for "he"/"she"
W_THEY_SINGULAR_BODY = -40
W_QUOTED = 0.5  # mentions inside quotes weigh less for pronouns outside them
DECAY = 0.5
MIN_SCORE = 0.0  # a best candidate scoring no more than this is no antecedent
WINDOW = 3  # sentences back a pronoun looks for candidates
NEUTER_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
                           "LAW"})
_NOT_NAMES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
_ADVERBIAL_PREPS = frozenset({"in", "at", "on", "during", "after", "before", "since", "until",
                              "near", "from", "into", "through", "across", "around", "within"})


@dataclass(frozen=True)
class Pronoun:
    person: int
    number: str
    gender: Optional[str]  # M F N or None
    case: str


@lru_cache(maxsize=1)
def _pronouns() -> dict[str, Pronoun]:
    return {form: Pronoun(int(person), number, None if sex == "-" else sex, case)
            for form, person, number, sex, case in read_tsv("pronouns.tsv", 5)}


@dataclass
class Cluster:
    """A candidate entity while resolution runs."""

    label: str
    name: str = ""
    gender: Optional[str] = None
    number: str = "sg"
    animate: Optional[bool] = None  # True person, False thing/body, None unknown
    maybe_person: bool = False  # a name the model did not call PERSON, not in any gazetteer
    country: Optional[str] = None
    roles: list[str] = field(default_factory=list)
    titles: set[str] = field(default_factory=set)
    leader_roles: set[str] = field(default_factory=set)
    actor: Optional[str] = None
    role: Optional[str] = None
    report: bool = True  # False for common-noun candidates that are never entities
    metonym: bool = False
    display: Optional[str] = None  # the full name from the leader table
    mentions: list["Ment"] = field(default_factory=list)


@dataclass
class Ment:
    start: int  # token indices
    end: int
    kind: str  # name | nominal | pronoun | noun
    cluster: int
    sent: int
    role: str
    head_np: bool
    adverbial: bool
    quote: int
    clause: int  # token index of the governing verb (or -1)


# ---------------------------------------------------------------- syntax helpers

def _grammatical_role(attrs: TokenAttrs, i: int) -> str:
    for _ in range(8):  # conjuncts and appositions take their head's role
        dep = attrs.dep[i]
        if dep in ("nsubj", "nsubjpass", "csubj"):
            return "subj"
        if dep == "attr":
            head = attrs.head[i]
            if any(attrs.head[j] == head and attrs.dep[j] == "expl" for j in _window(attrs, head)):
                return "exist"
            return "other"
        if dep in ("dobj", "obj"):
            return "obj"
        if dep in ("dative", "pobj", "agent", "oprd"):
            return "obl"
        if dep == "poss":
            return "poss"
        if dep in ("conj", "appos") and attrs.head[i] != i:
            i = attrs.head[i]
            continue
        return "other"
    return "other"


def _window(attrs: TokenAttrs, i: int, reach: int = 12) -> range:
    """Token indices near ``i``: where its dependents almost always are."""
    return range(max(0, i - reach), min(len(attrs.dep), i + reach + 1))


def _clause_of(attrs: TokenAttrs, i: int) -> int:
    """The nearest verb governing a token (its clause), or -1."""
    node, steps = i, 0
    head, pos = attrs.head, attrs.pos
    while head[node] != node and steps < 12:
        node = head[node]
        steps += 1
        if pos[node] in ("VERB", "AUX"):
            return node
    return node if pos[node] in ("VERB", "AUX") else -1


def _embedded(attrs: TokenAttrs, i: int) -> bool:
    """Inside another noun phrase ("the son of X", "X's father")."""
    dep = attrs.dep[i]
    if dep == "poss":  # a possessor ("Lena's child") is inside another noun phrase
        return True
    if dep == "pobj":
        head = attrs.head[i]
        if attrs.pos[attrs.head[head]] in ("NOUN", "PROPN"):
            return attrs.dep[head] == "prep"
    return dep in ("compound", "nmod")


def _adverbial(attrs: TokenAttrs, i: int) -> bool:
    if attrs.dep[i] != "pobj":
        return False
    head = attrs.head[i]
    return attrs.lower[head] in _ADVERBIAL_PREPS and attrs.pos[attrs.head[head]] in ("VERB", "AUX")


class _Tokens:
    """The Doc's tokens, each made on first use (spaCy builds a new object per access)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.made: list[Optional[Token]] = [None] * len(doc)

    def __getitem__(self, i: int) -> Token:
        tok = self.made[i]
        if tok is None:
            tok = self.made[i] = self.doc[i]
        return tok

    def __len__(self) -> int:
        return len(self.made)


# ---------------------------------------------------------------- the resolver

class Resolver:
    """Holds one document's mentions and clusters while they are resolved."""

    def __init__(self, doc: Doc, published: Optional[str]) -> None:
        self.doc = doc
        self.published = published
        self.sent_of = [0] * len(doc)
        self.sent_starts: list[int] = []
        self.sent_end = [0] * len(doc)
        for number, sent in enumerate(doc_sentences(doc)):
            self.sent_starts.append(sent.start)
            for i in range(sent.start, sent.end):
                self.sent_of[i] = number
                self.sent_end[i] = sent.end
        self.text = doc_text(doc)
        self.tokens = _Tokens(doc)
        self.attrs = doc_attrs(doc)
        self.words, self.char_start = doc_tokens(doc)
        self.char_end = [start + len(word) for start, word in zip(self.char_start, self.words)]
        self.quotes = find_quotes(doc, self.text)
        self.quote_index = QuoteIndex(self.quotes)
        self.clusters: list[Cluster] = []
        self.mentions: list[Ment] = []
        self.taken: set[int] = set()

    # -- building mentions

    def _ment(self, start: int, end: int, kind: str, cluster: int, head: Token) -> Ment:
        i, attrs = head.i, self.attrs
        return Ment(start, end, kind, cluster, self.sent_of[i], _grammatical_role(attrs, i),
                    not _embedded(attrs, i), _adverbial(attrs, i), self.quote_index.at(self.char_start[start]),
                    _clause_of(attrs, i))

    def add_names(self) -> None:
        names = name_mentions(self.doc)
        infos = [describe(m.span) for m in names]
        count = cluster_names(names)
        base = len(self.clusters)
        self.clusters.extend(Cluster(label="") for _ in range(count))
        labels: list[Counter] = [Counter() for _ in range(count)]
        for m, info in zip(names, infos):
            cluster = self.clusters[base + m.cluster]
            labels[m.cluster][m.label] += 1
            head = m.span.root
            self.mentions.append(self._ment(m.span.start, m.span.end, "name", base + m.cluster, head))
            self.taken.update(range(m.span.start, m.span.end))
            if len(m.text) > len(cluster.name):
                cluster.name = m.text
            self._describe(m, cluster, info)
        for k, counter in enumerate(labels):
            cluster = self.clusters[base + k]
            cluster.label = "PERSON" if counter.get("PERSON") else counter.most_common(1)[0][0]
            if cluster.label == "PERSON":
                cluster.animate = True
            else:
                cluster.animate = False
                cluster.maybe_person = self._maybe_person(cluster)
                cluster.country = self._name_country(cluster) or cluster.country
        self._split_capital_metonyms()

    @staticmethod
    def _name_country(cluster: Cluster) -> Optional[str]:
        """The country a non-person name itself denotes ("Chile", "Chilean", "KCNA")."""
        name = cluster.name
        if cluster.label in ("GPE", "LOC"):
            return actors.country_by_name(name) or actors.country_by_capital(name) or place_country(name)
        if cluster.label == "NORP":
            return actors.country_by_adjective(name)
        if cluster.label == "ORG":
            org = actors.organisation(name)
            return org.country if org else None
        return None

    def _describe(self, m: NameMention, cluster: Cluster, info: Description) -> None:
        if info.country and not cluster.country:
            cluster.country = info.country
        cluster.roles.extend(r for r in info.roles if r not in cluster.roles)
        cluster.titles.update(info.titles)
        cluster.leader_roles |= info.leader_roles
        if m.label == "PERSON":
            sex = info.gender or gender.given_name_gender(m.words[0] if m.words else "")
            if sex and cluster.gender is None:
                cluster.gender = sex

    @staticmethod
    def _maybe_person(cluster: Cluster) -> bool:
        """A short capitalised name the model typed as a thing but no gazetteer knows."""
        name = cluster.name
        words = name.split()
        if not words or len(words) > 3 or cluster.label not in NEUTER_LABELS - {"NORP"}:
            return False
        if not all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words):
            return False
        if any(w.isupper() and len(w) > 1 for w in words):  # acronyms are bodies
            return False
        return not (is_known_place(name) or actors.country_by_adjective(name)
                    or actors.organisation(name))

    def _split_capital_metonyms(self) -> None:
        """A capital used as an actor ("Beijing said") is the government, not the city."""
        by_cluster: dict[int, list[Ment]] = {}
        for ment in self.mentions:
            by_cluster.setdefault(ment.cluster, []).append(ment)
        for k, ments in by_cluster.items():
            cluster = self.clusters[k]
            if cluster.label not in ("GPE", "ORG", "LOC"):
                continue
            iso = actors.country_by_capital(cluster.name)
            if not iso or actors.country_by_name(cluster.name):
                continue
            metonyms = [m for m in ments if self._is_metonym(self.doc[m.start:m.end])]
            if not metonyms:
                cluster.country = iso
                cluster.actor = iso
                continue
            government = Cluster(label="GPE", name=cluster.name, animate=False, country=iso,
                                 actor=iso + "GOV", metonym=True)
            self.clusters.append(government)
            for m in metonyms:
                m.cluster = len(self.clusters) - 1
            cluster.country, cluster.actor = iso, iso
            if len(metonyms) == len(ments):
                cluster.report = False

    @staticmethod
    def _is_metonym(span: Span) -> bool:
        tok = span.root
        dep = tok.dep_
        while dep == "conj":
            tok = tok.head
            dep = tok.dep_
        if dep == "dobj" and tok.head.lemma_.lower() in read_words("place_verbs.txt"):
            return False  # "visit Pyongyang": the city itself
        if dep in ("nsubj", "nsubjpass", "poss", "dobj", "dative", "agent"):
            return True
        if dep == "pobj":
            return tok.head.lower_ in ("between", "with", "by", "against", "and")
        if dep == "compound":
            return actors.role_of(tok.head.text) is not None
        return False

    def add_nominals(self) -> None:
        """Definite role nominals and institutions: "the president", "the U.S. military"."""
        doc = self.doc
        limit = actors.max_role_words()
        heads = actors.role_head_words()
        made: dict[tuple, int] = {}
        attrs = self.attrs
        for i, lower in enumerate(attrs.lower):
            if lower not in heads or attrs.pos[i] != "NOUN" or i in self.taken or attrs.dep[i] == "compound":
                continue
            tok = self.tokens[i]
            role, start = None, tok.i
            for size in range(min(limit, tok.i + 1), 0, -1):
                first = tok.i - size + 1
                if any(i in self.taken for i in range(first, tok.i + 1)):
                    continue
                role = actors.role_of(" ".join(self.words[first: tok.i + 1]))
                if role is not None:
                    start = first
                    break
            if role is None:
                continue
            mods = [c for c in tok.children if c.i < tok.i]
            if any(c.dep_ == "appos" or (c.i in self.taken and c.ent_type_ == "PERSON") for c in tok.children):
                continue  # "the leader, Kim" / "leader Kim": the name carries it
            left = min([start] + [t.i for c in mods for t in c.subtree])
            span = doc[left: tok.i + 1]
            if any(t.dep_ == "cc" or t.lower_ in ("and", "or") for t in span):
                continue  # "the North Korean and Chinese leaders": several actors at once
            if any(i in self.taken for i in range(left, start)):
                country = self._country_in_tokens(doc[left:start])
            else:
                country = self._country_in_tokens(span)
            if country is None:
                country = self._country_after(tok)  # "the president of Armenia"
            definite = any(c.lower_ in ("the", "this", "that") for c in mods) or country is not None
            if not definite:
                continue
            plural = tok.tag_ in ("NNS", "NNPS")
            kind = "group" if plural and role.kind == "person" else role.kind
            ment_start = left
            ment = self._ment(ment_start, tok.i + 1, "nominal", -1, tok)
            target = self._antecedent_for_nominal(tok, role.code, kind, country, ment)
            if target is None:
                if country is None or kind == "person":
                    continue
                key = (country, role.code, tok.lemma_.lower())
                if key not in made:
                    self.clusters.append(Cluster(
                        label="ORG", name=_strip_the(span.text), animate=False,
                        number="pl" if (plural or kind == "group") else "sg",
                        country=country, roles=[role.code], actor=actors.combine(country, [role.code])))
                    made[key] = len(self.clusters) - 1
                target = made[key]
            ment.cluster = target
            self.mentions.append(ment)
            self.taken.update(range(ment_start, tok.i + 1))
        self.mentions.sort(key=lambda m: m.start)

    def _country_after(self, tok: Token) -> Optional[str]:
        """The country of a post-modifier: "the president of Armenia", "officials from Chad"."""
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return actors.country_by_name(obj.text)
        return None

    def _country_in_tokens(self, span: Span) -> Optional[str]:
        words = [t.text for t in span if t.lower_ not in ("the", "a", "an")]
        return actors.country_in_words(" ".join(words)) if words else None

    def _antecedent_for_nominal(self, tok: Token, code: str, kind: str, country: Optional[str],
                                ment: Ment) -> Optional[int]:
        """The latest person whose title or role and country fit a singular person nominal."""
        if kind != "person":
            return None
        word = tok.lower_
        title = actors.title_of(word)
        best, best_rank = None, 0
        for m in self.mentions:
            if m.start >= tok.i:
                break
            cluster = self.clusters[m.cluster]
            if cluster.label != "PERSON" or (country and cluster.country != country):
                continue
            rank = 0
            if word in cluster.titles:
                rank = 3
            elif title is not None and title.leader_roles & cluster.leader_roles:
                rank = 2
            elif code in cluster.roles and country:
                rank = 1
            if rank and rank >= best_rank:
                best, best_rank = m.cluster, rank
        return best

    def add_leaders(self) -> None:
        """Leader-table facts for person clusters; they outrank words around the name."""
        countries = frozenset(c.country for c in self.clusters if c.country and c.label != "PERSON")
        for cluster in self.clusters:
            if cluster.label != "PERSON":
                continue
            match = leaders.lookup(cluster.name.split(), self.published, countries)
            if match is None:
                continue
            if cluster.country and cluster.country != match.country and len(cluster.name.split()) == 1:
                continue  # "the Turkish Kim" is not the table's Kim
            cluster.country = match.country
            cluster.actor = match.actor
            cluster.role = match.role
            cluster.display = match.name  # "Mr Moon" is Moon Jae-in
            if match.role in ("head of state", "head of government"):
                cluster.leader_roles |= {"hos", "hog"}

    def add_common_nouns(self) -> None:
        """Noun phrases that are not entities, as pronoun candidates only."""
        doc = self.doc
        unnamed: dict[str, int] = {}
        attrs = self.attrs
        nouns = [i for i, pos in enumerate(attrs.pos) if pos in ("NOUN", "PROPN")]
        appositions: dict[int, list[int]] = {}
        for i, dep in enumerate(attrs.dep):
            if dep == "appos" and attrs.head[i] != i:
                appositions.setdefault(attrs.head[i], []).append(i)
        needed = self._pronoun_sentences()
        for i in nouns:
            if i in self.taken:
                continue
            if attrs.dep[i] in ("compound", "nmod", "amod") and attrs.pos[attrs.head[i]] in ("NOUN", "PROPN"):
                continue
            if attrs.pos[i] == "PROPN":  # every one: a pronoun may make a person of it
                self._add_unnamed(self.tokens[i], unnamed)
                continue
            if self.sent_of[i] not in needed:
                continue  # no third-person pronoun can reach this noun
            tok = self.tokens[i]
            plural = tok.tag_ in ("NNS", "NNPS")
            if any(c in self.taken for c in appositions.get(i, ())) or (
                    attrs.dep[i] == "appos" and attrs.head[i] in self.taken):
                continue  # "her sister, Agathe": the name stands for the noun
            sex = gender.noun_gender(tok.text)
            role = actors.role_of(tok.text)
            person = sex is not None or (role is not None and role.kind == "person")
            self.clusters.append(Cluster(label="NOUN", name=tok.text, gender=sex,
                                         number="pl" if plural else "sg",
                                         animate=True if person else (None if plural else False),
                                         report=False))
            self.mentions.append(self._ment(tok.i, tok.i + 1, "noun", len(self.clusters) - 1, tok))
        # Coordinated names ("Kim and Xi") are a plural candidate for "they".
        coordinated = {attrs.head[i] for i, dep in enumerate(attrs.dep) if dep == "cc"}
        for i in nouns:
            if i not in coordinated or self.sent_of[i] not in needed:
                continue
            tok = self.tokens[i]
            conjuncts = [c.i for c in tok.rights if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
            if conjuncts and any(c.dep_ == "cc" for c in tok.rights):
                last = max(conjuncts)
                self.clusters.append(Cluster(label="GROUP", name=doc[tok.i:last + 1].text,
                                             number="pl", animate=None, report=False))
                self.mentions.append(self._ment(tok.i, last + 1, "noun", len(self.clusters) - 1, tok))
        self.mentions.sort(key=_order)

    def _pronoun_sentences(self) -> set[int]:
        """Sentences inside the look-back window of some pronoun.

        Common nouns are antecedent candidates only; a noun no pronoun's window
        reaches can never be picked, so it need not become a mention at all.
        """
        table, attrs = _pronouns(), self.attrs
        needed: set[int] = set()
        for i, lower in enumerate(attrs.lower):
            if lower in table and attrs.pos[i] in ("PRON", "DET"):
                sent = self.sent_of[i]
                needed.update(range(max(0, sent - WINDOW), sent + 1))
        return needed

    def _add_unnamed(self, tok: Token, unnamed: dict[str, int]) -> None:
        """A proper name the model missed: a candidate that becomes a person if "he"/"she" picks it."""
        left = tok.i
        while left > 0 and self.doc[left - 1].dep_ == "compound" and self.doc[left - 1].pos_ == "PROPN" \
                and self.doc[left - 1].head.i == tok.i and left - 1 not in self.taken:
            left -= 1
        span = self.doc[left: tok.i + 1]
        text = span.text
        if tok.ent_type_ in _NOT_NAMES:  # "Christmas", "August": dates are no one
            return
        if not text[:1].isupper() or not text.replace(" ", "").replace("-", "").isalpha() \
                or text.isupper() or actors.title_of(text) or is_known_place(text) \
                or actors.country_by_adjective(text):
            return
        key = text.casefold()
        if key not in unnamed:
            self.clusters.append(Cluster(label="ORG", name=text, animate=False, maybe_person=True,
                                         report=False))
            unnamed[key] = len(self.clusters) - 1
        self.mentions.append(self._ment(left, tok.i + 1, "name", unnamed[key], tok))

    # -- pronouns

    def resolve_pronouns(self) -> None:
        table = _pronouns()
        doc = self.doc
        pending = []
        attrs = self.attrs
        for i, lower in enumerate(attrs.lower):
            info = table.get(lower)
            if info is None or attrs.pos[i] not in ("PRON", "DET") or attrs.dep[i] == "expl":
                continue
            tok = self.tokens[i]
            if tok.lower_ == "it" and self._pleonastic(tok):
                continue
            if tok.lower_ == "her" and tok.dep_ == "poss":
                info = Pronoun(3, "sg", "F", "poss")
            pending.append((tok, info))
        # Outside quotes first: speakers of quotes are often pronouns resolved here.
        ordered = [p for p in pending if self.quote_index.at(p[0].idx) < 0] + \
                  [p for p in pending if self.quote_index.at(p[0].idx) >= 0]
        for tok, info in ordered:
            quote = self.quote_index.at(tok.idx)
            ment = self._ment(tok.i, tok.i + 1, "pronoun", -1, tok)
            if info.person == 1:
                if quote < 0:
                    continue
                target = self._speaker_side(quote, info)
            else:
                target = self._best_antecedent(tok, info, ment, quote)
            if target is None:
                continue
            ment.cluster = target
            cluster = self.clusters[target]
            if info.person == 3 and info.gender in ("M", "F") and cluster.maybe_person:
                cluster.label, cluster.animate, cluster.maybe_person = "PERSON", True, False
                cluster.report = True
            if info.person == 3 and info.gender in ("M", "F") and cluster.animate is not False:
                cluster.gender = cluster.gender or info.gender  # unknown names learn it
                cluster.animate = True
            insort(self.mentions, ment, key=_order)

    def _pleonastic(self, tok: Token) -> bool:
        """"It is likely that ...", "it was raining": no referent."""
        head = tok.head
        if tok.dep_ == "nsubj" and head.lemma_ == "be":
            for child in head.children:
                if child.dep_ in ("acomp", "attr") and any(
                        c.dep_ in ("ccomp", "xcomp") for c in list(child.children) + list(head.children)):
                    return True
        if tok.dep_ == "nsubj" and any(c.dep_ == "ccomp" and any(g.lower_ == "that" for g in c.children)
                                       for c in head.children) and head.lemma_ in ("seem", "appear"):
            return True
        return False

    def _speaker_side(self, quote: int, info: Pronoun) -> Optional[int]:
        speaker = self.quotes[quote].speaker
        if speaker is None:
            return None
        cluster_id = self._speaker_cluster(speaker)
        if cluster_id is None:
            return None
        cluster = self.clusters[cluster_id]
        if info.number == "sg":
            return cluster_id if cluster.animate is not False else None
        if cluster.label != "PERSON" and cluster.label != "NOUN":
            return cluster_id
        if cluster.country:  # "we" of a leader: the country he speaks for
            for k, other in enumerate(self.clusters):
                if other.report and other.label == "GPE" and other.country == cluster.country \
                        and actors.country_by_name(other.name):
                    return k
            for k, other in enumerate(self.clusters):  # else its people ("South Korean")
                if other.report and other.label == "NORP" and other.country == cluster.country:
                    return k
        return None

    def _speaker_cluster(self, speaker: Token) -> Optional[int]:
        """The entity of an attribution's subject; "the leader, Kim," is Kim."""
        k = self._cluster_at(speaker.i)
        if k is None or not self.clusters[k].report:
            for child in speaker.children:
                if child.dep_ == "appos":
                    other = self._cluster_at(child.i)
                    if other is not None and self.clusters[other].report:
                        return other
        return k

    def _cluster_at(self, i: int) -> Optional[int]:
        first = bisect_left(self.mentions, i - 12, key=lambda m: m.start)
        for m in islice(self.mentions, first, None):
            if m.start <= i < m.end and m.cluster >= 0:
                if m.kind == "noun" and not self.clusters[m.cluster].report:
                    continue
                return m.cluster
            if m.start > i:
                break
        return None

    def _agree(self, cluster: Cluster, info: Pronoun) -> Optional[float]:
        """None when the cluster cannot be the pronoun's referent, else a bonus/penalty."""
        if info.gender in ("M", "F"):
            if cluster.number == "pl":
                return None
            if cluster.animate is False:
                return W_MAYBE_PERSON if cluster.maybe_person else None
            if cluster.gender is None:
                return W_UNKNOWN_GENDER if cluster.label == "PERSON" else (
                    W_UNKNOWN_GENDER if cluster.animate else W_MAYBE_PERSON)
            return 0.0 if cluster.gender == info.gender else None
        if info.gender == "N":
            if cluster.animate or cluster.number == "pl" or cluster.label == "PERSON":
                return None
            return 0.0
        # they / them / their
        if cluster.number == "pl":
            return 0.0
        if cluster.label in ("GPE", "ORG", "NORP") and cluster.report:
            return W_THEY_SINGULAR_BODY
        return None

    def _best_antecedent(self, tok: Token, info: Pronoun, ment: Ment, quote: int) -> Optional[int]:
        sent = self.sent_of[tok.i]
        first_sent = max(0, sent - WINDOW)
        window_start = self.sent_starts[first_sent]
        window_end = self.sent_end[tok.i]
        scores: dict[int, float] = {}
        per_sentence: dict[tuple[int, int], float] = {}
        clause_subjects: set[int] = set()
        last_role: dict[int, str] = {}
        excluded: set[int] = set()
        speaker = self.quotes[quote].speaker if quote >= 0 else None
        if speaker is not None:
            spoken = self._speaker_cluster(speaker)
            if spoken is not None:
                excluded.add(spoken)
        reflexive = info.case == "refl"
        if not reflexive:
            excluded |= self._bound_elsewhere(tok)
        first = bisect_left(self.mentions, window_start, key=lambda m: m.start)
        for m in islice(self.mentions, first, None):
            if m.start >= window_end:
                break
            if m.cluster < 0 or m.start <= tok.i < m.end:
                continue
            cataphoric = m.start > tok.i
            same_clause = m.clause >= 0 and m.clause == ment.clause
            if same_clause and not reflexive and info.case in ("subj", "obj") and (
                    m.role == "subj" or (ment.role == "subj" and m.role == "obj")):
                excluded.add(m.cluster)  # "Kim met him" / "she met Kim": not Kim
                continue
            if cataphoric and not self._cataphora_ok(tok, ment, m):
                continue
            if same_clause and m.kind == "pronoun" and info.case in ("subj", "obj") \
                    and m.role in ("subj", "obj") and not reflexive:
                excluded.add(m.cluster)
                continue
            if reflexive and not (same_clause and m.role == "subj"):
                continue
            weight = W_RECENT + W_ROLE.get(m.role, 0)
            if m.head_np:
                weight += W_HEAD
            if not m.adverbial:
                weight += W_NONADV
            weight *= DECAY ** (sent - m.sent)
            if quote < 0 and m.quote >= 0:
                weight *= W_QUOTED
            if cataphoric:
                weight += W_CATAPHORA
            key = (m.cluster, m.sent)
            if weight > per_sentence.get(key, float("-inf")):
                per_sentence[key] = weight
            if not cataphoric:
                last_role[m.cluster] = m.role
            if same_clause and m.role == "subj":
                clause_subjects.add(m.cluster)
        local = self._local_antecedents(tok)
        nearest = None
        stop = bisect_left(self.mentions, tok.i, key=lambda m: m.start)
        for index in range(stop - 1, first - 1, -1):
            m = self.mentions[index]
            if m.sent != sent:
                break
            if m.cluster < 0 or m.cluster in excluded:
                continue
            if m.kind != "pronoun" and self._agree(self.clusters[m.cluster], info) is not None:
                nearest = m.cluster
                break
        for (k, _), weight in per_sentence.items():
            scores[k] = scores.get(k, 0.0) + weight
        best, best_score = None, None
        pron_role = ment.role
        for k, score in scores.items():
            if k in excluded:
                continue
            adjust = self._agree(self.clusters[k], info)
            if adjust is None:
                continue
            score += adjust
            if last_role.get(k) == pron_role and pron_role in ("subj", "obj", "poss"):
                score += W_PARALLEL
            if k in local:
                score += W_LOCAL
            if k == nearest:
                score += W_NEAREST
            if k in clause_subjects and info.case == "poss":
                score += W_CLAUSE_SUBJECT
            if best_score is None or score > best_score:
                best, best_score = k, score
        if best is not None and info.number == "pl" and self.clusters[best].number == "sg":
            persons = {m.cluster for m in islice(self.mentions, first, stop)
                       if m.sent == sent and m.cluster >= 0 and self.clusters[m.cluster].animate
                       and self.clusters[m.cluster].number == "sg"}
            if len(persons) >= 2:
                return None  # "Kim met Trump at their summit": "their" is both of them
        return best if best_score is not None and best_score > MIN_SCORE else None

    def _bound_elsewhere(self, tok: Token) -> set[int]:
        """Clusters binding theory forbids for a non-reflexive pronoun beyond its own clause.

        * a controlled infinitive's understood subject is the matrix object
          ("Kim asked Moon to call him": him is not Moon) or, without one, the
          matrix subject ("Drew began to side with her": her is not Drew);
        * an argument of a relative clause is not the noun the clause
          modifies ("Chris, who he admired": he is not Chris);
        * a possessive is not the noun phrase it sits in, nor that phrase's
          apposition ("her sister, Ethel": her is not Ethel), nor the subject
          a copula equates with that phrase ("Ross was her aide");
        * a subject pronoun is not the subject of its verb's small clause
          ("she considered Ellie a rival": she is not Ellie).
        """
        found: set[int] = set()
        head = tok.head
        if tok.dep_ == "poss":
            others = [c for c in head.children if c.dep_ == "appos"]
            if head.dep_ == "appos":
                others.append(head.head)
            if head.dep_ == "attr" and head.head.lemma_ == "be":  # "Ross was her secretary": not Ross
                for subject in head.head.children:
                    if subject.dep_ == "nsubj":
                        relative = subject.lower_ in ("who", "that") and head.head.dep_ == "relcl"
                        subject = head.head.head if relative else subject
                        others.append(subject)
                        others.extend(c for c in subject.children if c.dep_ == "appos")
            for other in others:
                k = self._cluster_at(other.i)
                if k is not None:
                    found.add(k)
            return found
        verb = head.head if tok.dep_ == "pobj" and head.dep_ == "prep" else head
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "dative", "pobj") or \
                verb.pos_ not in ("VERB", "AUX"):
            return found
        if tok.dep_ in ("nsubj", "nsubjpass"):
            # a small clause's subject is in the matrix clause's domain: "she considered Ellie a rival"
            for small in verb.children:
                if small.dep_ in ("ccomp", "xcomp", "oprd") and small.pos_ in ("NOUN", "ADJ", "PROPN"):
                    for arg in small.children:
                        if arg.dep_ in ("nsubj", "nsubjpass") and (k := self._cluster_at(arg.i)) is not None:
                            found.add(k)
        if verb.dep_ == "xcomp" and verb.head.pos_ in ("VERB", "AUX"):
            args = [c for c in verb.head.children if c.dep_ in ("dobj", "dative")] or \
                   [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            for arg in args:
                k = self._cluster_at(arg.i)
                if k is not None:
                    found.add(k)
                for conj in arg.conjuncts:  # "Drew and Diane began to ..."
                    k = self._cluster_at(conj.i)
                    if k is not None:
                        found.add(k)
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN") and \
                not any(t.lower_ == "whose" for t in verb.children):
            relative_subject = any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "that", "which")
                                   for c in verb.children)
            if tok.dep_ in ("nsubj", "nsubjpass") or relative_subject:
                k = self._cluster_at(verb.head.i)
                if k is not None:
                    found.add(k)
        return found

    def _local_antecedents(self, tok: Token) -> set[int]:
        """Clusters the syntax ties the pronoun to.

        "X, who ... his ..." (the noun a relative clause modifies); "V X to
        ... he ..." (object control: the object of the verb whose infinitive
        holds the pronoun); "X admitted to Y that she ..." (a reported clause
        leans to the reporter, the subject of the verb that governs it); and
        "X was appointed, and later he ..." (the subject of a second
        conjunct continues the first conjunct's subject).
        """
        found: set[int] = set()
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "conj":
            # "Ruhnken was appointed in 1757, and in 1761 he succeeded ...": the first conjunct's subject
            first = tok.head
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head
            for child in first.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    k = self._cluster_at(child.i)
                    if k is not None:
                        found.add(k)
        node, steps = tok, 0
        while node.head.i != node.i and steps < 10:
            steps += 1
            parent = node.head
            if node.dep_ == "relcl" and parent.pos_ in ("NOUN", "PROPN"):
                k = self._cluster_at(parent.i)
                if k is not None:
                    found.add(k)
                break
            if node.dep_ in ("xcomp", "ccomp") and parent.pos_ == "VERB":
                # object control for infinitives; a reported clause's subject is the reporter
                wanted = ("dobj", "obj") if node.dep_ == "xcomp" else ("nsubj",)
                for child in parent.children:
                    if child.dep_ in wanted and child.pos_ in ("PROPN", "NOUN"):
                        k = self._cluster_at(child.i)
                        if k is not None:
                            found.add(k)
                break
            node = parent
        return found

    def _cataphora_ok(self, tok: Token, ment: Ment, m: Ment) -> bool:
        """A pronoun may point forward to the subject of a clause that contains it.

        "In his youth, Kim ..." and "..., and as he left, Kim said ...": the
        pronoun sits in a fronted phrase or clause governed by the verb whose
        subject is the name (not only the sentence's root verb).
        """
        if m.sent != ment.sent or m.kind not in ("name", "nominal") or m.role != "subj" or m.clause < 0:
            return False
        if ment.clause == m.clause and ment.role == "subj":
            return False
        return self.tokens[m.clause].is_ancestor(self.tokens[tok.i])

    # -- output

    def entities(self) -> list[Entity]:
        doc = self.doc
        grouped: dict[int, list[Ment]] = {}
        for m in self.mentions:
            if m.cluster >= 0:
                grouped.setdefault(m.cluster, []).append(m)
        result: list[tuple[int, Entity]] = []
        for k, ments in grouped.items():
            cluster = self.clusters[k]
            if not cluster.report or not any(m.kind in ("name", "nominal") for m in ments):
                continue
            actor, country = self._actor(cluster)
            name = cluster.display or cluster.name
            if cluster.label != "PERSON":  # "North Korea" over "Democratic People's Republic of Korea"
                forms = Counter(self.text[self.char_start[m.start]:self.char_end[m.end - 1]]
                                for m in ments if m.kind == "name")
                if forms:
                    name = max(forms, key=lambda f: (forms[f], len(f)))
            entity = Entity(id="", name=name, type=cluster.label, actor=actor, country=country)
            entity.role = cluster.role
            seen = set()
            for m in sorted(ments, key=lambda m: m.start):
                key = (self.char_start[m.start], self.char_end[m.end - 1])
                if key in seen:
                    continue
                seen.add(key)
                entity.mentions.append(Mention(key[0], key[1], self.text[key[0]:key[1]], m.kind))
            result.append((entity.mentions[0].start, entity))
        result.sort(key=lambda pair: pair[0])
        entities = [e for _, e in result]
        for number, entity in enumerate(entities, 1):
            entity.id = f"E{number}"
        return entities

    def _actor(self, cluster: Cluster) -> tuple[Optional[str], Optional[str]]:
        if cluster.actor:
            return cluster.actor, cluster.country or _country_part(cluster.actor)
        name = cluster.name
        if cluster.label in ("GPE", "LOC"):
            iso = actors.country_by_name(name) or place_country(name)  # "Texas" acts for the USA
            if iso:
                return iso, iso
        if cluster.label == "NORP":
            iso = actors.country_by_adjective(name)
            if iso:
                return iso, iso
        if cluster.label == "ORG":
            org = actors.organisation(name)
            if org:
                return org.code, org.country
            words = name.split()
            roles = [r.code for w in words if (r := actors.role_of(w)) is not None]
            country = actors.country_in_words(name)
            if roles or country:
                return actors.combine(country, roles[:1]), country
            return None, None
        if cluster.label == "PERSON":
            roles = cluster.roles[:1]
            return actors.combine(cluster.country, roles), cluster.country
        return None, None


def _order(m: Ment) -> tuple[int, int]:
    return (m.start, -m.end)


def _country_part(code: str) -> Optional[str]:
    head = code[:3]
    return head if head.isalpha() and head.isupper() and head not in ("IGO", "NGO") and \
        len(code) >= 3 and not actors.role_of(head) and head not in _ROLE_CODES else None


_ROLE_CODES = frozenset({"GOV", "MIL", "OPP", "REB", "BUS", "MED", "JUD", "LEG", "COP", "EDU", "CVL",
                         "PTY", "SPY", "UAF", "INS", "LAB", "REF", "HLH", "AGR", "CRM", "ELI", "ENV",
                         "HRI", "MOD", "RAD", "PPL", "REL", "IGO", "NGO"})


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def resolve(doc: Doc, published: Optional[str] = None) -> list[Entity]:
    """The article's entities with names, nominals and pronouns resolved."""
    resolver = Resolver(doc, published)
    resolver.add_names()
    resolver.add_leaders()
    resolver.add_nominals()
    resolver.add_common_nouns()
    resolver.resolve_pronouns()
    return resolver.entities()


def fill_entities(doc: Doc, analysis: Analysis) -> None:
    """The pipeline stage: entities with actors and coreference (never raises)."""
    try:
        analysis.entities = resolve(doc, analysis.published)
    except Exception:  # odd input must not end the article: fall back to names alone
        try:
            analysis.entities = extract_entities(doc)
        except Exception:
            analysis.entities = []
