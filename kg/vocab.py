"""Namespaces of the vocabularies normgraph reuses, and CURIE expansion.

The ``ng:`` namespace (normgraph's own terms) hangs off the configurable base
IRI, so it is not a constant: :func:`prefixes` takes the base.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

EXTERNAL: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def prefixes(base_iri: str) -> dict[str, str]:
    """All prefixes normgraph uses, ``ng:`` resolved against the base IRI."""
    return {"ng": f"{base_iri}def/", "ngf": f"{base_iri}fn/", **EXTERNAL}


def expand(curie: str, base_iri: str) -> NamedNode:
    """``dcterms:title`` -> NamedNode; an unknown prefix is a programming error."""
    prefix, _, local = curie.partition(":")
    return NamedNode(prefixes(base_iri)[prefix] + local)


RDF_TYPE = NamedNode(EXTERNAL["rdf"] + "type")
XSD_DATE = NamedNode(EXTERNAL["xsd"] + "date")
XSD_BOOLEAN = NamedNode(EXTERNAL["xsd"] + "boolean")
XSD_INTEGER = NamedNode(EXTERNAL["xsd"] + "integer")
XSD_GYEAR = NamedNode(EXTERNAL["xsd"] + "gYear")
XSD_GYEAR_MONTH = NamedNode(EXTERNAL["xsd"] + "gYearMonth")
