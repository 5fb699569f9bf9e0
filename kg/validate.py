"""SHACL validation that gates the build. A violation is reported with the
source file and line, the resource, the corpus key and a plain message, not as
a raw pySHACL report."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH

from kg.iris import Iris
from kg.sources import SourceGraph, to_rdflib


@dataclass(frozen=True, order=True)
class Violation:
    file: str
    line: int
    focus: str
    key: str
    message: str
    shape: str
    rule: str
    value: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        value = f" (found: {self.value})" if self.value else ""
        key = f"{self.key}: " if self.key else ""
        return (
            f"{where}: {self.focus}: {key}{self.message}{value} "
            f"[{self.shape} shape, rule {self.rule}]"
        )


def _locate(sources: list[SourceGraph]) -> dict[str | tuple[str, str], tuple[str, int]]:
    """Resource IRI, or (IRI, corpus key), -> (file, line); line 0 where the format gives none."""
    where: dict[str | tuple[str, str], tuple[str, int]] = {}
    for source in sources:
        for iri_key, line in source.key_lines.items():
            where.setdefault(iri_key, (source.name, line))
        for iri, line in source.locations.items():
            where.setdefault(iri, (source.name, line))
        for triple in source.triples:
            where.setdefault(triple.subject.value, (source.name, 0))
    return where


def _text(graph: Graph, node, predicate) -> str:
    value = graph.value(node, predicate)
    return str(value) if value is not None else ""


def _shape_names(shapes: Graph, source_shape) -> tuple[str, str]:
    """(corpus key, node-shape label) for a property shape or a node shape."""
    owner = shapes.value(None, SH.property, source_shape)
    if owner is None:  # a node-level constraint (e.g. sh:sparql)
        return "", _text(shapes, source_shape, RDFS.label)
    return _text(shapes, source_shape, SH.name), _text(shapes, owner, RDFS.label)


def validate(
    data: list[SourceGraph], shapes: SourceGraph, iris: Iris, shapes_graph: Graph | None = None
) -> list[Violation]:
    """Validate the union of ``data`` against ``shapes``; an empty list means it conforms.
    ``shapes_graph`` is ``shapes`` already converted, for callers that validate often."""
    data_graph = to_rdflib(data)
    shapes_graph = shapes_graph if shapes_graph is not None else to_rdflib([shapes])
    conforms, report, _ = pyshacl.validate(
        data_graph, shacl_graph=shapes_graph, inference="none", advanced=True, inplace=True
    )
    if conforms:
        return []
    where = _locate(data)
    violations: dict[tuple[str, str, str], Violation] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        key, shape = _shape_names(shapes_graph, report.value(result, SH.sourceShape))
        file, line = where.get((str(focus), key)) or where.get(str(focus), ("?", 0))
        rule = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        value = report.value(result, SH.value)
        path = report.value(result, SH.resultPath)
        message = _text(report, result, SH.resultMessage)
        # one line per problem, even when two rules (e.g. MinCount, QualifiedMinCount) see it
        violations.setdefault(
            (str(focus), key, message),
            Violation(
                file=file,
                line=line,
                focus=iris.local(str(focus)),
                key=key or (iris.local(str(path)) if isinstance(path, URIRef) else ""),
                message=message,
                shape=shape or "?",
                rule=rule.removesuffix("ConstraintComponent"),
                value=iris.local(str(value)) if value not in (None, focus) else "",
            ),
        )
    return sorted(violations.values())
