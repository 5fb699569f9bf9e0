"""Entailments that queries need, materialised into a named graph of their own:
class membership through subclasses, super-properties, inverses and the
transitive closure of skos:broader (OWL 2 RL, by owlrl)."""

from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, RDFS, XSD, BNode, Literal

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


def entailments(sources: list[SourceGraph]) -> list:
    """New triples entailed by the union of ``sources`` (order irrelevant: the store sorts)."""
    graph = to_rdflib(sources)
    asserted = set(graph)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    new = [t for t in graph if t not in asserted and _useful(t)]
    return from_rdflib(new)
