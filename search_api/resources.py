"""The view model of one resource page, built from its description (kg.store.describe):
labels chosen by language, values as links, inbound links, and an instrument's
provisions in order. No Flask, no HTML: templates render what this returns."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from kg.iris import Iris
from kg.vocab import EXTERNAL

RDF_TYPE = EXTERNAL["rdf"] + "type"
LABELS = (EXTERNAL["skos"] + "prefLabel", EXTERNAL["rdfs"] + "label")


@dataclass
class Value:
    text: str
    iri: str | None = None
    lang: str | None = None
    page: str | None = None  # local path when the IRI is ours


@dataclass
class Row:
    predicate: Value
    values: list[Value]


@dataclass
class ResourceView:
    iri: str
    label: str
    types: list[Value]
    properties: list[Row]
    inbound: list[Row]
    parts: list[Value] = field(default_factory=list)


def _label(labels: dict[str, dict[str | None, str]], iri: str, lang: str) -> str | None:
    by_lang = labels.get(iri, {})
    return (
        by_lang.get(lang)
        or by_lang.get("en")
        or by_lang.get(None)
        or next(iter(by_lang.values()), None)
    )


def _short(iri: str, iris: Iris) -> str:
    for prefix, ns in EXTERNAL.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    if iri.startswith(iris.base + "def/"):
        return "ng:" + iri[len(iris.base) + 4 :]
    return iris.local(iri)


def build(iri: str, triples: list[Triple], iris: Iris, lang: str = "en") -> ResourceView:
    labels: dict[str, dict[str | None, str]] = defaultdict(dict)
    for t in triples:
        if t.predicate.value in LABELS and isinstance(t.object, Literal):
            current = labels[t.subject.value]
            # skos:prefLabel wins over rdfs:label for the same language
            if t.predicate.value == LABELS[0] or t.object.language not in current:
                current[t.object.language] = t.object.value

    def value(term) -> Value:
        if isinstance(term, NamedNode):
            page = iris.page_path(term.value)
            text = _label(labels, term.value, lang) or _short(term.value, iris)
            return Value(text, term.value, None, page)
        if isinstance(term, Literal):
            return Value(term.value, None, term.language)
        return Value(str(term))

    outgoing: dict[str, list[Value]] = defaultdict(list)
    incoming: dict[str, list[Value]] = defaultdict(list)
    order: dict[str, tuple[int, str]] = {}
    for t in triples:
        if t.subject.value == iri:
            outgoing[t.predicate.value].append(value(t.object))
        elif isinstance(t.object, NamedNode) and t.object.value == iri:
            incoming[t.predicate.value].append(value(t.subject))
        if t.predicate.value == iris.term("order").value:
            order[t.subject.value] = (int(t.object.value), t.subject.value)
    types = outgoing.pop(RDF_TYPE, [])
    part_of = iris.term("partOfInstrument").value
    parts = sorted(incoming.get(part_of, []), key=lambda v: _part_key(v.iri, order))
    return ResourceView(
        iri=iri,
        label=_label(labels, iri, lang) or iris.local(iri),
        types=sorted(types, key=lambda v: v.text),
        properties=[Row(value(NamedNode(p)), vs) for p, vs in sorted(outgoing.items())],
        inbound=[Row(value(NamedNode(p)), vs) for p, vs in sorted(incoming.items())],
        parts=parts,
    )


def _part_key(iri: str | None, order: dict[str, tuple[int, str]]) -> tuple:
    """Provisions in the order of the text: parent's order first, then their own."""
    path = (iri or "").split("/")
    key = []
    for depth in range(len(path)):
        prefix = "/".join(path[: depth + 1])
        if prefix in order:
            key.append(order[prefix][0])
    return tuple(key)
