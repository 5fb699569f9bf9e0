"""Curated corpus (YAML, format in corpus/README.md) -> one SourceGraph per file.

This module checks shape (known keys, value types, ids) and reports problems with
file and line; whether a record is *complete* is the SHACL shapes' job
(kg.validate), so each rule lives in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import Literal, NamedNode, Triple

from kg.errors import CorpusError
from kg.iris import Iris
from kg.sources import SourceGraph, file_sha256, graph_name
from kg.vocab import XSD_BOOLEAN, XSD_DATE, XSD_INTEGER, expand

INSTRUMENT_KINDS = (
    "Treaty",
    "Declaration",
    "Resolution",
    "GeneralRecommendation",
    "ProgrammeOfAction",
    "GuidanceDocument",
    "PolicyStatement",
)
BODY_KINDS = ("TreatyBody", "IntergovernmentalBody", "SpecialProcedure", "Forum", "ExpertMechanism")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


# ---------------------------------------------------------------- YAML with lines
class _Located(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    pass


# Dates stay strings so that a bad one (2000-02-31) is reported with its line by _date.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Located:
    loader.flatten_mapping(node)
    mapping = _Located()
    mapping.line, mapping.key_lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        loader = _Loader(path.read_text(encoding="utf-8"))
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except UnicodeDecodeError as error:
        raise CorpusError(path, None, f"not UTF-8 text ({error.reason})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise CorpusError(path, mark.line + 1 if mark else None, problem) from None


# ---------------------------------------------------------------- values
@dataclass
class _Ctx:
    """What a converter needs to mint IRIs and to say where a problem is."""

    iris: Iris
    path: Path
    source: SourceGraph
    seen: dict[str, tuple[str, int]]

    def fail(self, line: int | None, message: str) -> CorpusError:
        return CorpusError(self.path, line, message)

    def add(self, s: NamedNode, p: str, o: Any) -> None:
        self.source.triples.append(Triple(s, expand(p, self.iris.base), o))


Convert = Callable[[_Ctx, Any, int], list[Any]]


def _text(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    if (
        not isinstance(value, str | int | float)
        or isinstance(value, bool)
        or not str(value).strip()
    ):
        raise ctx.fail(line, f"expected a non-empty text, got {value!r}")
    return [Literal(" ".join(str(value).split()))]


def _langtext(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    """``text`` (English) or ``{en: text, fr: text}``."""
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict) or not value:
        raise ctx.fail(line, f"expected a text or a mapping of language -> text, got {value!r}")
    out = []
    for lang, text in value.items():
        if not isinstance(lang, str) or not _LANG.match(lang):
            raise ctx.fail(
                line, f"{lang!r} is not a language tag (use e.g. en, fr, es, ar, ru, zh)"
            )
        out.append(Literal(_text(ctx, text, line)[0].value, language=lang))
    return out


def _date(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise ctx.fail(line, f"expected a date as YYYY-MM-DD, got {value!r}")
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    except ValueError:
        raise ctx.fail(line, f"expected a date as YYYY-MM-DD, got {value!r}") from None
    return [Literal(day.isoformat(), datatype=XSD_DATE)]


def _boolean(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    if not isinstance(value, bool):
        raise ctx.fail(line, f"expected true or false, got {value!r}")
    return [Literal("true" if value else "false", datatype=XSD_BOOLEAN)]


def _url(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    if not isinstance(value, str) or not _URL.match(value):
        raise ctx.fail(line, f"expected an absolute http(s) URL, got {value!r}")
    return [NamedNode(value)]


def _ref(kind: str) -> Convert:
    """A reference by curated id to a thing of ``kind`` (checked by SHACL to exist)."""

    def convert(ctx: _Ctx, value: Any, line: int) -> list[Any]:
        try:
            return [getattr(ctx.iris, kind)(value)]
        except ValueError as error:
            raise ctx.fail(line, f"{kind} reference: {error}") from None

    return convert


@dataclass(frozen=True)
class Field:
    predicate: str
    convert: Convert
    many: bool = False


_SOURCED = {
    "url": Field("dcat:landingPage", _url),
    "sources": Field("dcterms:source", _url, many=True),
}
_TAGGED = {
    "themes": Field("ng:addressesTheme", _ref("theme"), many=True),
    "groups": Field("ng:concernsGroup", _ref("group"), many=True),
}
INSTRUMENT_FIELDS: dict[str, Field] = {
    "title": Field("dcterms:title", _langtext),
    "short_title": Field("ng:shortTitle", _langtext),
    "abbreviations": Field("ng:abbreviation", _text, many=True),
    "symbol": Field("ng:symbol", _text),
    "adopted_by": Field("ng:adoptedBy", _ref("body")),
    "adopted": Field("eli:date_document", _date),
    "entry_into_force": Field("eli:first_date_entry_in_force", _date),
    "binding": Field("ng:legallyBinding", _boolean),
    "recalls": Field("ng:recalls", _ref("instrument"), many=True),
    "builds_on": Field("ng:buildsOn", _ref("instrument"), many=True),
    "monitored_by": Field("ng:monitoredBy", _ref("body"), many=True),
    "establishes": Field("ng:establishes", _ref("body"), many=True),
    **_SOURCED,
    **_TAGGED,
}
PROVISION_FIELDS: dict[str, Field] = {
    "heading": Field("dcterms:title", _langtext),
    "summary": Field("dcterms:abstract", _langtext),
    **_TAGGED,
}
ORGANIZATION_FIELDS: dict[str, Field] = {
    "name": Field("rdfs:label", _langtext),
    "abbreviations": Field("ng:abbreviation", _text, many=True),
    "established": Field("dcterms:created", _date),
    "founding_instrument": Field("ng:foundingInstrument", _ref("instrument")),
    "parent": Field("org:subOrganizationOf", _ref("body")),
    **_SOURCED,
}


# ---------------------------------------------------------------- records
def _emit_fields(
    ctx: _Ctx, subject: NamedNode, record: _Located, fields: dict[str, Field], special: set[str]
) -> None:
    for key, value in record.items():
        line = record.key_lines.get(key, record.line)
        if key in special:
            continue
        if key not in fields:
            allowed = ", ".join(sorted(set(fields) | special))
            raise ctx.fail(line, f"unknown key {key!r} (allowed: {allowed})")
        spec = fields[key]
        ctx.source.key_lines[(subject.value, key)] = line
        if spec.many and not isinstance(value, list):
            raise ctx.fail(line, f"{key}: expected a list")
        for item in value if spec.many else [value]:
            for obj in spec.convert(ctx, item, line):
                ctx.add(subject, spec.predicate, obj)


def _declare(ctx: _Ctx, subject: NamedNode, line: int) -> None:
    """Record where a resource is defined; the same IRI twice is an error."""
    here = (ctx.source.name, line)
    if subject.value in ctx.seen:
        name, first = ctx.seen[subject.value]
        raise ctx.fail(line, f"{ctx.iris.local(subject)} is already defined at {name}:{first}")
    ctx.seen[subject.value] = here
    ctx.source.locations[subject.value] = line


def _required(ctx: _Ctx, record: Any, key: str, what: str, line: int) -> Any:
    if not isinstance(record, dict):
        raise ctx.fail(line, f"each {what} must be a mapping of keys to values")
    if key not in record:
        raise ctx.fail(record.line, f"{what} has no {key!r}")
    return record[key]


def _kind(ctx: _Ctx, record: _Located, allowed: Iterable[str], what: str) -> str:
    kind = _required(ctx, record, "kind", what, record.line)
    if kind not in allowed:
        line = record.key_lines["kind"]
        raise ctx.fail(line, f"{what} kind {kind!r} is not one of: {', '.join(allowed)}")
    return kind


def _english(record: _Located, *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and isinstance(value.get("en"), str):
            return value["en"]
        if isinstance(value, list) and value and isinstance(value[0], str):
            return value[0]
    return None


def _instrument(ctx: _Ctx, record: Any, line: int) -> tuple[str, NamedNode, str]:
    slug = _required(ctx, record, "id", "instrument", line)
    try:
        subject = ctx.iris.instrument(slug)
    except ValueError as error:
        raise ctx.fail(record.key_lines["id"], str(error)) from None
    kind = _kind(ctx, record, INSTRUMENT_KINDS, "instrument")
    _declare(ctx, subject, record.line)
    ctx.add(subject, "rdf:type", ctx.iris.term(kind))
    _emit_fields(ctx, subject, record, INSTRUMENT_FIELDS, {"id", "kind"})
    label = _english(record, "short_title", "abbreviations", "title") or slug
    ctx.add(subject, "rdfs:label", Literal(" ".join(label.split()), language="en"))
    return slug, subject, label


_PROVISION_KINDS = {"article": ("art", "Article"), "paragraph": ("para", "Paragraph")}


def _provisions(
    ctx: _Ctx,
    items: Any,
    line: int,
    instrument: tuple[str, NamedNode, str],
    parent: NamedNode,
    steps: tuple[tuple[str, object], ...] = (),
    label: str = "",
) -> None:
    if not isinstance(items, list):
        raise ctx.fail(line, "provisions: expected a list")
    slug, instrument_iri, short = instrument
    for order, item in enumerate(items, start=1):
        keys = [k for k in _PROVISION_KINDS if isinstance(item, dict) and k in item]
        if len(keys) != 1:
            where = item.line if isinstance(item, _Located) else line
            raise ctx.fail(where, "each provision needs exactly one of: article, paragraph")
        key = keys[0]
        step, kind = _PROVISION_KINDS[key]
        number = item[key]
        try:
            subject = ctx.iris.provision(slug, *steps, (step, number))
        except ValueError as error:
            raise ctx.fail(item.key_lines[key], str(error)) from None
        _declare(ctx, subject, item.line)
        here = f"{label or short}, {key} {number}"
        ctx.add(subject, "rdf:type", ctx.iris.term(kind))
        ctx.add(subject, "eli:number", Literal(str(number)))
        ctx.add(subject, "ng:order", Literal(str(order), datatype=XSD_INTEGER))
        ctx.add(subject, "rdfs:label", Literal(here, language="en"))
        ctx.add(subject, "ng:partOfInstrument", instrument_iri)
        ctx.add(subject, "dcterms:isPartOf", parent)
        ctx.add(parent, "dcterms:hasPart", subject)
        _emit_fields(ctx, subject, item, PROVISION_FIELDS, {key, "paragraphs"})
        if "paragraphs" in item:
            if key != "article":
                raise ctx.fail(item.key_lines["paragraphs"], "only an article has paragraphs")
            nested = (*steps, (step, number))
            _provisions(
                ctx,
                item["paragraphs"],
                item.key_lines["paragraphs"],
                instrument,
                subject,
                nested,
                here,
            )


def _organizations(ctx: _Ctx, items: Any, line: int, entity: bool) -> None:
    what = "entity" if entity else "body"
    if not isinstance(items, list):
        raise ctx.fail(line, f"expected a list of {what} records")
    for record in items:
        slug = _required(ctx, record, "id", what, line)
        try:
            subject = ctx.iris.entity(slug) if entity else ctx.iris.body(slug)
        except ValueError as error:
            raise ctx.fail(record.key_lines["id"], str(error)) from None
        kind = "UNEntity" if entity else _kind(ctx, record, BODY_KINDS, what)
        _declare(ctx, subject, record.line)
        ctx.add(subject, "rdf:type", ctx.iris.term(kind))
        _emit_fields(
            ctx, subject, record, ORGANIZATION_FIELDS, {"id"} | ({"kind"} if not entity else set())
        )


TOP_LEVEL = ("instrument", "provisions", "bodies", "entities")


def read_corpus_file(
    root: Path, path: Path, iris: Iris, seen: dict[str, tuple[str, int]]
) -> SourceGraph:
    """One YAML file -> its SourceGraph. ``seen`` spans files to catch duplicate ids."""
    name, parts = graph_name("corpus", root, path)
    source = SourceGraph(name=name, graph=iris.graph(*parts), sha256=file_sha256(path))
    ctx = _Ctx(iris=iris, path=path, source=source, seen=seen)
    data = _read_yaml(path)
    if data is None:
        return source
    if not isinstance(data, _Located):
        raise ctx.fail(1, f"expected a mapping with some of the keys: {', '.join(TOP_LEVEL)}")
    for key in data:
        if key not in TOP_LEVEL:
            raise ctx.fail(
                data.key_lines[key],
                f"unknown top-level key {key!r} (allowed: {', '.join(TOP_LEVEL)})",
            )
    instrument = None
    if "instrument" in data:
        instrument = _instrument(ctx, data["instrument"], data.key_lines["instrument"])
    if "provisions" in data:
        if instrument is None:
            raise ctx.fail(
                data.key_lines["provisions"], "provisions need an 'instrument' in the same file"
            )
        _provisions(
            ctx, data["provisions"], data.key_lines["provisions"], instrument, instrument[1]
        )
    for key, entity in (("bodies", False), ("entities", True)):
        if key in data:
            _organizations(ctx, data[key], data.key_lines[key], entity)
    return source


def read_corpus(root: Path, iris: Iris) -> list[SourceGraph]:
    """Every ``*.yaml`` below ``root``, in path order."""
    if not root.is_dir():
        raise CorpusError(root, None, "is not a directory")
    seen: dict[str, tuple[str, int]] = {}
    return [read_corpus_file(root, p, iris, seen) for p in sorted(root.rglob("*.yaml"))]
