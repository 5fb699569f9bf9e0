"""Where a document's graph came from, in PROV-O: the document ``prov:wasDerivedFrom`` the
file (named by its SHA-256 as an RFC 6920 ``ni:`` URI, so the same bytes are the same
entity), with its original name and media type; ``prov:wasGeneratedBy`` an ingest activity
that used the file, at a time, with the normgraph version; ``dcterms:source`` the URL the
file was fetched from, when given."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

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


def triples(document: NamedNode, slug: str, source: Source, iris: Iris) -> list[Triple]:
    def t(s: NamedNode, p: str, o) -> Triple:
        return Triple(s, expand(p, iris.base), o)

    file = file_iri(source.sha256)
    activity = iris.genid(f"document/{slug}/ingest", 1)
    out = [
        t(document, "prov:wasDerivedFrom", file),
        t(document, "prov:generatedAtTime", Literal(source.ingested_at, datatype=XSD_DATETIME)),
        t(document, "prov:wasGeneratedBy", activity),
        t(file, "rdf:type", expand("prov:Entity", iris.base)),
        t(file, "ng:sha256", Literal(source.sha256)),
        t(file, "ng:fileName", Literal(source.file_name)),
        t(file, "dcterms:format", Literal(source.media_type)),
        t(activity, "rdf:type", expand("prov:Activity", iris.base)),
        t(activity, "prov:used", file),
        t(activity, "prov:endedAtTime", Literal(source.ingested_at, datatype=XSD_DATETIME)),
        t(activity, "ng:softwareVersion", Literal(source.software_version)),
        t(activity, "rdfs:label", Literal(f"ingest of {source.file_name}", language="en")),
    ]
    if source.source_url:
        out.append(t(document, "dcterms:source", NamedNode(source.source_url)))
    return out
