"""Entailments that queries need, materialised into a named graph of their own:
class membership through subclasses, super-properties, inverses and the
transitive closure of skos:broader (OWL 2 RL, by owlrl).

The reasoner reads only what can entail something: the schema (RDF, RDFS and
OWL terms), every rdf:type, and the triples of properties that an axiom
mentions (sub-properties such as skos:prefLabel, inverses such as
ng:establishes, properties with a domain or range). Summaries, titles, sources
and landing pages are most of the corpus and no axiom uses them, so leaving
them out gives the same entailments (a test checks it) in far less time."""

from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal

from kg.sources import SourceGraph, from_rdflib, to_rdflib

# Consequences that hold of everything, or only of the built-in vocabularies,
# and help no query.
_TRIVIAL = {
    OWL.Thing,
    OWL.Nothing,
    RDFS.Resource,
    OWL.NamedIndividual,
    RDFS.Datatype,
    OWL.AnnotationProperty,
    OWL.Class,
}
_REFLEXIVE = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
_NOISE = {OWL.sameAs, OWL.differentFrom, OWL.disjointWith}
_BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD))


def _useful(triple: tuple) -> bool:
    s, p, o = triple
    if isinstance(s, BNode | Literal) or isinstance(o, BNode) or p in _NOISE:
        return False
    if str(s).startswith(_BUILT_IN) or o in _TRIVIAL:
        return False
    return not (p in _REFLEXIVE and s == o)


# Axioms about properties: their subject, and for the symmetric ones their
# object too, is a property whose triples can entail something.
_PROPERTY_AXIOMS = {RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.propertyChainAxiom}
_SYMMETRIC_AXIOMS = {OWL.equivalentProperty, OWL.inverseOf}
_PROPERTY_TYPES = {
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.SymmetricProperty,
    OWL.TransitiveProperty,
    OWL.AsymmetricProperty,
    OWL.IrreflexiveProperty,
}


def _axiom_properties(graph: Graph) -> set:
    """Properties that some axiom of the graph talks about."""
    used = {
        s
        for p in _PROPERTY_AXIOMS | _SYMMETRIC_AXIOMS
        for s, o in graph.subject_objects(p)
        if not (p == RDFS.range and str(o).startswith(_BUILT_IN))
    }
    used |= {o for p in _SYMMETRIC_AXIOMS for o in graph.objects(None, p)}
    used |= set(graph.objects(None, OWL.onProperty))
    used |= {s for t in _PROPERTY_TYPES for s in graph.subjects(RDF.type, t)}
    return used


# Built-in terms that carry no schema meaning for the rules.
_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.isDefinedBy, RDFS.seeAlso, OWL.versionInfo}


def _needed(predicate, keep: set) -> bool:
    if predicate in keep:
        return True
    return str(predicate).startswith(_BUILT_IN) and predicate not in _ANNOTATIONS


def prune(graph: Graph) -> Graph:
    """Drop, in place, the triples whose property no axiom of the graph mentions."""
    keep = _axiom_properties(graph)
    for triple in [t for t in graph if not _needed(t[1], keep)]:
        graph.remove(triple)
    return graph


def entailments(sources: list[SourceGraph]) -> list:
    """New triples entailed by the union of ``sources`` (order irrelevant: the store sorts)."""
    graph = to_rdflib(sources)
    asserted = set(graph)
    prune(graph)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    new = [t for t in graph if t not in asserted and _useful(t)]
    return from_rdflib(new)
