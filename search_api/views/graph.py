"""The neighbourhood of a resource as a small graph for the graph view
(cytoscape.js): the resource, what it links to and what links to it, each node
with its label, kind and page path. Derived links (entailed super-properties
and closures) are left out, and so is everything past a cap."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from search_api.views.facts import Facts
from search_api.views.language import Language
from search_api.views.model import kind_of

MAX_NODES = 40
# links the reasoner derives from others, or that only restate structure
HIDDEN = (
    "rdf:type",
    "dcterms:subject",
    "dcterms:references",
    "dcterms:hasPart",
    "ng:partOfInstrument",  # an instrument's direct parts come through dcterms:isPartOf
    "skos:broaderTransitive",
    "skos:narrowerTransitive",
    "skos:narrower",  # the inverse of skos:broader, which is drawn
    "skos:inScheme",
    "skos:topConceptOf",
    "skos:hasTopConcept",
    "rdfs:isDefinedBy",
    "dcterms:source",
    "dcat:landingPage",
    "prov:wasDerivedFrom",
    "prov:wasGeneratedBy",
)


@dataclass
class Node:
    id: str
    label: str
    kind: str
    path: str | None
    focus: bool = False


@dataclass
class Edge:
    source: str
    target: str
    label: str


@dataclass
class Graph:
    """Nodes and edges around one resource; ``more`` counts the neighbours left out."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    more: int = 0


def neighbourhood(facts: Facts, lang: Language) -> Graph:
    hidden = {facts.expand(c) for c in HIDDEN}
    focus = facts.iri
    pairs: list[tuple[str, str, str]] = []  # (source, predicate, target)
    for p, objects in facts.out.get(focus, {}).items():
        if p not in hidden:
            pairs += [(focus, p, o.value) for o in objects if isinstance(o, NamedNode)]
    for p, subjects in facts.inbound.items():
        if p not in hidden:
            pairs += [(s, p, focus) for s in subjects]
    others = list(dict.fromkeys(x for s, _, t in pairs for x in (s, t) if x != focus))
    # things that are not provisions first: an instrument's articles should not crowd out
    # its bodies, themes and practices
    others.sort(key=lambda i: (kind_of(facts, i)[0] == "provision", facts.order(i)))
    kept = set(others[: MAX_NODES - 1])
    graph = Graph(more=max(0, len(others) - len(kept)))
    for iri in [focus, *[o for o in others if o in kept]]:
        graph.nodes.append(
            Node(
                id=iri,
                label=facts.name(iri, lang).text,
                kind=kind_of(facts, iri)[0],
                path=facts.iris.page_path(iri),
                focus=iri == focus,
            )
        )
    for s, p, t in dict.fromkeys(pairs):
        if (s == focus or s in kept) and (t == focus or t in kept):
            graph.edges.append(Edge(s, t, facts.name(p, lang).text))
    return graph
