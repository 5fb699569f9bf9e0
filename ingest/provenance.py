"""Where a document's graph came from, in PROV-O: the document ``prov:wasDerivedFrom`` the
file (named by its SHA-256 as an RFC 6920 ``ni:`` URI, so the same bytes are the same
entity), with its original name and media type; ``prov:wasGeneratedBy`` an ingest activity
that used the file, at a time, with the normgraph version; ``dcterms:source`` the URL the
file was fetched from, when given."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from kg.iris import Iris
from kg.vocab import expand

XSD_DATETIME = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


@dataclass(frozen=True)
class Source:
    sha256: str
    file_name: str
    media_type: str
    source_url: str | None
    ingested_at: str  # ISO 8601, UTC, seconds
    software_version: str


def file_iri(sha256: str) -> NamedNode:
    """RFC 6920 'named information' URI of the bytes: ni:///sha-256;<base64url>."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode().rstrip("=")
    return NamedNode(f"ni:///sha-256;{digest}")


def describe(
    add: Callable[[NamedNode, str, object], None],
    iris: Iris,
    document: NamedNode,
    slug: str,
    source: Source,
) -> None:
    """Add the document's provenance through ``add(subject, CURIE, object)``."""
    file = file_iri(source.sha256)
    activity = iris.genid(f"document/{slug}/ingest", 1)
    add(document, "prov:wasDerivedFrom", file)
    add(document, "prov:generatedAtTime", Literal(source.ingested_at, datatype=XSD_DATETIME))
    add(document, "prov:wasGeneratedBy", activity)
    add(file, "rdf:type", expand("prov:Entity", iris.base))
    add(file, "ng:sha256", Literal(source.sha256))
    add(file, "ng:fileName", Literal(source.file_name))
    add(file, "dcterms:format", Literal(source.media_type))
    add(activity, "rdf:type", expand("prov:Activity", iris.base))
    add(activity, "prov:used", file)
    add(activity, "prov:endedAtTime", Literal(source.ingested_at, datatype=XSD_DATETIME))
    add(activity, "ng:softwareVersion", Literal(source.software_version))
    add(activity, "rdfs:label", Literal(f"ingest of {source.file_name}", language="en"))
    if source.source_url:
        add(document, "dcterms:source", NamedNode(source.source_url))
