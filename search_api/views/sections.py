"""What the sections of a resource page show, read from the finished view model, and
what is left over for "More about this resource" and "Referred to by": the resource's
statements that no section displays and no named rule hides. Because the leftovers
are computed from what the page displays, they do not depend on how or in which
order a section read the graph."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass

from pyoxigraph import Literal, NamedNode

from search_api.views.facts import Facts, Label
from search_api.views.language import Language
from search_api.views.model import Group, Link, Row, link, links, value

Key = str | tuple[str, str | None]  # an IRI, or a literal's text and language
REST = ("", "rest")  # stands for the values a section counts without listing them


@dataclass(frozen=True)
class Shows:
    """The statements one section of a page displays: the resource's values of ``out``
    and the resources that point at it with ``inbound`` (CURIEs). A :class:`Row` says
    its own predicate and needs no declaration."""

    out: tuple[str, ...] = ()
    inbound: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hidden:
    """Statements a page leaves out on purpose, and why."""

    why: str
    out: tuple[str, ...] = ()
    inbound: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shown:
    """The resource's statements that the page's sections display."""

    out: frozenset[tuple[str, Key]]  # (predicate, value)
    inbound: frozenset[tuple[str, str]]  # (predicate, subject)


def key(term: object) -> Key:
    """A statement's value as a section displays it."""
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, Literal):
        return (term.value, term.language)
    return (str(term), None)


def displayed(section: object) -> Iterator[tuple[str | None, Key]]:
    """(the predicate a value is shown under, or None; the value) for everything a
    section displays, and (None, REST) where it counts values it does not list."""
    if isinstance(section, Row):
        for v in section.values:
            yield from ((section.predicate.iri, k) for _, k in displayed(v))
    elif isinstance(section, Link):
        yield None, section.iri  # the link's label is the neighbour's, not this resource's
    elif isinstance(section, Label):
        yield None, (section.text, section.lang)
    elif isinstance(section, str):  # a plain string shows a literal, or an IRI written out
        yield None, (section, None)
        yield None, section
    elif isinstance(section, Group):
        yield from displayed(section.items)
        if section.more:
            yield None, REST
    elif isinstance(section, list | tuple):
        for item in section:
            yield from displayed(item)
    elif is_dataclass(section):
        for f in fields(section):
            yield from displayed(getattr(section, f.name))


def shown(sections: dict[str, object], shows: dict[str, Shows], facts: Facts) -> Shown:
    """The resource's statements that these sections (field name -> value) display. A
    positive number as a whole section counts what the section next to it leaves out."""
    out = {(p, key(o)) for p, objects in _own(facts).items() for o in objects}
    inbound = {(p, s) for p, subjects in facts.inbound.items() for s in subjects}
    seen_out: set[tuple[str, Key]] = set()
    seen_inbound: set[tuple[str, Key]] = set()
    for name, section in sections.items():
        declared = shows.get(name, Shows())
        out_by = {facts.expand(c) for c in declared.out}
        inbound_by = {facts.expand(c) for c in declared.inbound}
        for predicate, k in [*displayed(section), *_count(section)]:
            if k == REST:
                seen_out |= {pair for pair in out if pair[0] in out_by}
                seen_inbound |= {pair for pair in inbound if pair[0] in inbound_by}
            elif predicate:  # a row names its predicate; it may point either way
                seen_out.add((predicate, k))
                seen_inbound.add((predicate, k))
            else:
                seen_out |= {(p, k) for p in out_by}
                seen_inbound |= {(p, k) for p in inbound_by}
    seen_out, seen_inbound = _restated(seen_out & out, seen_inbound & inbound, facts)
    return Shown(frozenset(seen_out & out), frozenset(seen_inbound & inbound))


def _restated(
    out: set[tuple[str, Key]], inbound: set[tuple[str, Key]], facts: Facts
) -> tuple[set[tuple[str, Key]], set[tuple[str, Key]]]:
    """The displayed statements and what each of them also says, by the release's
    ontology: the same value under every super-property of its predicate (entailed
    ng:inCountry -> dcterms:spatial), and the statement read the other way round
    (skos:topConceptOf -> skos:hasTopConcept from the scheme)."""
    sides = {"out": set(out), "inbound": set(inbound)}
    other = {"out": "inbound", "inbound": "out"}
    supers: dict[str, set[str]] = {}
    inverses: dict[str, set[str]] = {}
    todo = [(side, pair) for side, pairs in sides.items() for pair in pairs]
    while todo:
        side, (p, k) = todo.pop()
        if p not in supers:
            supers[p], inverses[p] = facts.super_properties(p), facts.inverses(p)
        implied = [(side, (q, k)) for q in supers[p]]
        if isinstance(k, str):  # an IRI: the other resource says it the other way round
            implied += [(other[side], (q, k)) for q in inverses[p]]
        for said in implied:
            if said[1] not in sides[said[0]]:
                sides[said[0]].add(said[1])
                todo.append(said)
    return sides["out"], sides["inbound"]


def _count(section: object) -> list[tuple[None, Key]]:
    """(None, REST) for a section that is a count of what another leaves out."""
    counts = isinstance(section, int) and not isinstance(section, bool) and section > 0
    return [(None, REST)] if counts else []


def leftovers(
    facts: Facts, seen: Shown, hidden: tuple[Hidden, ...], lang: Language, cap: int
) -> tuple[list[Row], list[Row]]:
    """Rows of the resource's own statements and of the statements pointing at it that
    no section shows and no rule hides (at most ``cap`` referrers a row)."""
    hidden_out = {facts.expand(c) for rule in hidden for c in rule.out}
    hidden_inbound = {facts.expand(c) for rule in hidden for c in rule.inbound}
    more = []
    for p, objects in sorted(_own(facts).items()):
        rest = [o for o in objects if (p, key(o)) not in seen.out]
        if rest and p not in hidden_out:
            more.append(Row(link(facts, p, lang), [value(facts, o, lang) for o in rest]))
    inbound = []
    for p, subjects in sorted(facts.inbound.items()):
        rest = [s for s in subjects if (p, s) not in seen.inbound]
        if rest and p not in hidden_inbound:
            inbound.append(Row(link(facts, p, lang), links(facts, rest, lang)[:cap]))
    return more, inbound


def _own(facts: Facts) -> dict[str, list]:
    return facts.out.get(facts.iri, {})
