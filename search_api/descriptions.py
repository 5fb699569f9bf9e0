"""Descriptions of the service and the dataset, built from the open release:
the SPARQL 1.1 Service Description, the VoID/DCAT dataset description, the
JSON-LD context and the ontology documentation's data. No Flask here: callers
pass the absolute URLs they want advertised."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from pyoxigraph import BlankNode, Literal, NamedNode, Store, Triple

from kg.formats import FORMATS
from kg.release import Manifest
from kg.store import CENSUS, PageQuery
from kg.vocab import EXTERNAL, XSD_INTEGER, prefixes

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID, DCAT, DCTERMS, RDF = (EXTERNAL[k] for k in ("void", "dcat", "dcterms", "rdf"))


def _n(value: str) -> NamedNode:
    return NamedNode(value)


def _int(value: int) -> Literal:
    return Literal(str(value), datatype=XSD_INTEGER)


def graph_sizes(store: Store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


def service_description(endpoint: str, sizes: dict[str, int], updates: bool) -> list[Triple]:
    """SPARQL 1.1 Service Description of the endpoint at ``endpoint``."""
    service, dataset, default = _n(endpoint), BlankNode("dataset"), BlankNode("default")
    t = [
        Triple(service, _n(RDF + "type"), _n(SD + "Service")),
        Triple(service, _n(SD + "endpoint"), service),
        Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        Triple(service, _n(SD + "defaultDataset"), dataset),
        Triple(dataset, _n(RDF + "type"), _n(SD + "Dataset")),
        Triple(dataset, _n(SD + "defaultGraph"), default),
        Triple(default, _n(RDF + "type"), _n(SD + "Graph")),
        Triple(default, _n(VOID + "triples"), _int(sum(sizes.values()))),
    ]
    if updates:
        t.append(Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Update")))
    t += [Triple(service, _n(SD + "resultFormat"), _n(fmt.iri)) for fmt in FORMATS]
    for i, (graph, count) in enumerate(sorted(sizes.items())):
        named, described = BlankNode(f"named{i}"), BlankNode(f"graph{i}")
        t += [
            Triple(dataset, _n(SD + "namedGraph"), named),
            Triple(named, _n(SD + "name"), _n(graph)),
            Triple(named, _n(SD + "graph"), described),
            Triple(described, _n(VOID + "triples"), _int(count)),
        ]
    return t


def void(
    dataset: str, manifest: Manifest, endpoint: str, dumps: dict[str, str], examples: list[str]
) -> list[Triple]:
    """VoID and DCAT description of the current release."""
    ds, base = _n(dataset), manifest.base_iri
    ng = prefixes(base)["ng"]
    t = [
        Triple(ds, _n(RDF + "type"), _n(VOID + "Dataset")),
        Triple(ds, _n(RDF + "type"), _n(DCAT + "Dataset")),
        Triple(ds, _n(DCTERMS + "title"), Literal("normgraph", language="en")),
        Triple(
            ds,
            _n(DCTERMS + "description"),
            Literal(
                "Instruments, provisions, bodies, practices and concepts on racial discrimination "
                "and the protection of minorities.",
                language="en",
            ),
        ),
        Triple(ds, _n(DCTERMS + "identifier"), Literal(manifest.release_id)),
        Triple(
            ds,
            _n(DCTERMS + "modified"),
            Literal(manifest.created_at, datatype=_n(EXTERNAL["xsd"] + "dateTime")),
        ),
        Triple(ds, _n(VOID + "sparqlEndpoint"), _n(endpoint)),
        Triple(ds, _n(VOID + "uriSpace"), Literal(base)),
        Triple(ds, _n(VOID + "vocabulary"), _n(ng)),
        Triple(ds, _n(VOID + "triples"), _int(manifest.counts.get("triples", 0))),
    ]
    for name, curie in CENSUS.items():
        if "|" in curie:  # a count over several classes is no single class partition
            continue
        prefix, local = curie.split(":")
        part = BlankNode(f"class-{name}")
        t += [
            Triple(ds, _n(VOID + "classPartition"), part),
            Triple(part, _n(VOID + "class"), _n(prefixes(base)[prefix] + local)),
            Triple(part, _n(VOID + "entities"), _int(manifest.counts.get(name, 0))),
        ]
    for media_type, url in dumps.items():
        dist = BlankNode(f"dump-{len(t)}")
        t += [
            Triple(ds, _n(VOID + "dataDump"), _n(url)),
            Triple(ds, _n(DCAT + "distribution"), dist),
            Triple(dist, _n(RDF + "type"), _n(DCAT + "Distribution")),
            Triple(dist, _n(DCAT + "downloadURL"), _n(url)),
            Triple(dist, _n(DCAT + "mediaType"), Literal(media_type)),
            Triple(dist, _n(DCAT + "compressFormat"), Literal("application/gzip")),
        ]
    t += [Triple(ds, _n(VOID + "exampleResource"), _n(iri)) for iri in examples]
    return t


def named_graphs(dataset: str, sizes: dict[str, int], store: str) -> list[Triple]:
    """Each named graph as a VoID subset with its name (sd:name), size and the Graph Store
    Protocol URL that returns it (``store``: the /store endpoint)."""
    ds, t = _n(dataset), []
    for i, (graph, count) in enumerate(sorted(sizes.items())):
        subset = BlankNode(f"graph-{i}")
        t += [
            Triple(ds, _n(VOID + "subset"), subset),
            Triple(subset, _n(RDF + "type"), _n(VOID + "Dataset")),
            Triple(subset, _n(RDF + "type"), _n(SD + "NamedGraph")),
            Triple(subset, _n(SD + "name"), _n(graph)),
            Triple(subset, _n(VOID + "triples"), _int(count)),
            Triple(subset, _n(VOID + "dataDump"), _n(f"{store}?{urlencode({'graph': graph})}")),
        ]
    return t


def jsonld_context(base_iri: str) -> dict:
    """The published JSON-LD context: every prefix normgraph uses."""
    return {"@context": dict(sorted(prefixes(base_iri).items()))}


# ---------------------------------------------------------------- ontology documentation
@dataclass
class Term:
    iri: str
    name: str
    kind: str  # class | object property | datatype property
    label: str = ""
    definition: str = ""
    parents: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


_TERMS = """
SELECT ?term ?kind ?p ?o WHERE {
  GRAPH ?g { ?term a ?kind . FILTER(?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty))
             FILTER(STRSTARTS(STR(?term), STR(ng:)))
             ?term ?p ?o . }
}"""
_KINDS = {
    EXTERNAL["owl"] + "Class": "class",
    EXTERNAL["owl"] + "ObjectProperty": "object property",
    EXTERNAL["owl"] + "DatatypeProperty": "datatype property",
}


def ontology_terms(query: PageQuery, base_iri: str, lang: str = "en") -> list[Term]:
    """Every class and property of the ontology with what its documentation shows."""
    ns = prefixes(base_iri)
    terms: dict[str, Term] = {}
    values: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in query(_TERMS, None):
        iri = row["term"].value
        terms.setdefault(iri, Term(iri, iri[len(ns["ng"]) :], _KINDS[row["kind"].value]))
        values[iri][row["p"].value].append(row["o"])
    for iri, term in terms.items():
        v = values[iri]
        term.label = _in_lang(v[EXTERNAL["rdfs"] + "label"], lang)
        term.definition = _in_lang(v[EXTERNAL["skos"] + "definition"], lang)
        term.parents = sorted(
            o.value
            for o in v[EXTERNAL["rdfs"] + "subClassOf"] + v[EXTERNAL["rdfs"] + "subPropertyOf"]
        )
        term.domain = sorted(o.value for o in v[EXTERNAL["rdfs"] + "domain"])
        term.range = sorted(o.value for o in v[EXTERNAL["rdfs"] + "range"])
        term.examples = _examples(query, term)
    return sorted(terms.values(), key=lambda t: (t.kind != "class", t.name.lower()))


def _in_lang(literals: list, lang: str) -> str:
    by_lang = {getattr(o, "language", None): o.value for o in literals}
    return by_lang.get(lang) or by_lang.get("en") or next(iter(by_lang.values()), "")


def _examples(query: PageQuery, term: Term) -> list[str]:
    text = (
        "SELECT DISTINCT ?x WHERE { ?x a ?t } ORDER BY ?x LIMIT 3"
        if term.kind == "class"
        else "SELECT DISTINCT ?x WHERE { ?x ?t ?o } ORDER BY ?x LIMIT 3"
    )
    return [row["x"].value for row in query(text, {"t": term.iri})]
