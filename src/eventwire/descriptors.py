"""What the words around a name say about it: country, role, title, gender.

"North Korean leader Kim Jong-un", "U.S. President Donald Trump", "Lim, a
professor" and "his wife, Ellen" describe the name they touch.  We read the
premodifiers written right before the name (titles, role nouns, country
names, demonyms and possessives), the head of an apposition, and a gendered
noun the clause predicates of a subject name ("Okafor is an actress",
"Marlow was born in Leeds, the daughter of a miner"); countries
inside prepositional phrases ("professor of Korean studies") are not read,
because they rarely give the person's nationality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Span, Token

from . import actors, gender

#: Tokens that may sit inside a premodifier run ("North Korea's leader").
_JOINERS = {"'s", "’s", "-", "of", "."}
_MAX_LEFT = 6


@dataclass
class Description:
    country: Optional[str] = None
    roles: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # lower-case title words ("president")
    leader_roles: set[str] = field(default_factory=set)
    gender: Optional[str] = None


def _read_words(words: list[Token], found: Description) -> None:
    """Titles, roles and countries in a run of words; longest match first."""
    texts = [t.text for t in words]
    i = 0
    while i < len(texts):
        matched = False
        for size in (3, 2, 1):
            if i + size > len(texts):
                continue
            chunk = " ".join(texts[i:i + size])
            title = actors.title_of(chunk)
            role = actors.role_of(chunk)
            iso = actors.country_by_adjective(chunk) or actors.country_by_name(chunk)
            if title is not None:
                found.titles.append(chunk.casefold().rstrip("."))
                found.leader_roles |= title.leader_roles
                if title.code:
                    found.roles.append(title.code)
                if title.gender and not found.gender:
                    found.gender = title.gender
            elif role is not None:
                found.roles.append(role.code)
            if iso and not found.country:
                found.country = iso
            noun_sex = gender.noun_gender(chunk) if size == 1 else None
            if noun_sex and not found.gender:
                found.gender = noun_sex
            if title is not None or role is not None or iso:
                i += size
                matched = True
                break
        if not matched:
            i += 1


def _left_run(span: Span) -> list[Token]:
    """The premodifier words right before a name, up to a determiner or clause word."""
    doc = span.doc
    run: list[Token] = []
    i = span.start - 1
    # Only words inside the name's own noun phrase: "In China Kim met" gives Kim no country.
    leftmost = min(span.root.left_edge.i, span.start)
    while i >= leftmost and len(run) < _MAX_LEFT:
        tok = doc[i]
        if tok.is_space or "\n" in tok.whitespace_:
            break
        usable = (tok.text in _JOINERS or tok.text[:1].isupper()
                  or actors.title_of(tok.text) is not None or actors.role_of(tok.text) is not None
                  or (tok.pos_ in ("NOUN", "ADJ", "PROPN") and tok.dep_ in ("compound", "amod", "nmod")))
        if not usable or tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY"):
            break
        run.append(tok)
        i -= 1
    run.reverse()
    while run and run[0].text in _JOINERS:  # "of" or a dash cannot start the run
        run.pop(0)
    return run


def describe(span: Span) -> Description:
    """Country, roles, titles and gender written around a name."""
    found = Description()
    _read_words(_left_run(span), found)
    head = span.root
    appositions = [c for c in head.children if c.dep_ == "appos"]
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":
        appositions.append(head.head)
    if not found.gender:
        found.gender = predicate_gender(head)
    for app in appositions:
        if app.i in range(span.start, span.end) or app.pos_ not in ("NOUN", "PROPN"):
            continue
        mods = [c for c in app.children if c.dep_ in ("amod", "compound", "poss", "nmod")
                and c.i < app.i]
        words = sorted([t for m in mods for t in m.subtree if t.i < app.i] + [app], key=lambda t: t.i)
        _read_words(words, found)
        sex = gender.noun_gender(app.text)
        if sex and not found.gender:
            found.gender = sex
    return found


def _gender_of_noun(tok: Token) -> Optional[str]:
    return gender.noun_gender(tok.text) if tok.pos_ == "NOUN" and tok.tag_ == "NN" else None


def predicate_gender(head: Token) -> Optional[str]:
    """The gender a clause predicates of its subject name.

    "Rivera is an actress", "Morgan became the wife of ...", "Okafor was born
    as the son of ..." and "Marlow was born in Leeds, the daughter of ..."
    (an apposition that cannot describe the place it follows describes the
    subject).  Only a sole subject qualifies: "Lee and Park are actresses"
    says nothing about either alone.
    """
    if head.dep_ not in ("nsubj", "nsubjpass") or head.conjuncts:
        return None
    verb = head.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    for child in verb.children:
        if child.dep_ in ("attr", "oprd"):
            sex = _gender_of_noun(child)
            if sex:
                return sex
        elif child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                if child.lower_ == "as":
                    sex = _gender_of_noun(pobj)
                    if sex:
                        return sex
                elif pobj.ent_type_ in ("GPE", "LOC", "FAC", "DATE"):
                    for app in pobj.children:
                        if app.dep_ == "appos" and (sex := _gender_of_noun(app)):
                            return sex
    return None
