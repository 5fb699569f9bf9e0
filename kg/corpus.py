"""Curated corpus (YAML, format in corpus/README.md) -> one SourceGraph per file.

This module checks shape (known keys, value types, ids) and reports problems with
file and line; whether a record is *complete* is the SHACL shapes' job
(kg.validate), so each rule lives in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import Literal, NamedNode, Triple

from kg import countries
from kg.errors import CorpusError
from kg.iris import Iris
from kg.sources import SourceGraph, file_sha256, graph_name
from kg.vocab import (
    XSD_BOOLEAN,
    XSD_DATE,
    XSD_GYEAR,
    XSD_GYEAR_MONTH,
    XSD_INTEGER,
    expand,
)

INSTRUMENT_KINDS = (
    "Treaty",
    "Declaration",
    "Resolution",
    "GeneralRecommendation",
    "ProgrammeOfAction",
    "GuidanceDocument",
    "PolicyStatement",
)
BODY_KINDS = (
    "TreatyBody",
    "IntergovernmentalBody",
    "SpecialProcedure",
    "Forum",
    "ExpertMechanism",
    "Conference",
    "UNOffice",
    "CoordinationBody",
)
EVENT_KINDS = ("Observance", "Meeting")
# YAML value of `adoption` -> the ng: individual it names.
ADOPTION_METHODS = {
    "without-vote": "AdoptedWithoutVote",
    "consensus": "AdoptedByConsensus",
    "recorded-vote": "AdoptedByRecordedVote",
    "unanimous": "AdoptedUnanimously",
}
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
    described: set[str] = field(default_factory=set)  # countries this file has described

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


_YEAR_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _partial_date(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    """A full date, or only what the record confirms: ``2013-03`` or ``2013``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _year(ctx, value, line)
    if isinstance(value, str) and _YEAR_MONTH.match(value):
        return [Literal(value, datatype=XSD_GYEAR_MONTH)]
    return _date(ctx, value, line)


def _boolean(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    if not isinstance(value, bool):
        raise ctx.fail(line, f"expected true or false, got {value!r}")
    return [Literal("true" if value else "false", datatype=XSD_BOOLEAN)]


def _year(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    if isinstance(value, bool) or not isinstance(value, int) or not 1800 <= value <= 2100:
        raise ctx.fail(line, f"expected a year such as 2012, got {value!r}")
    return [Literal(str(value), datatype=XSD_GYEAR)]


def _integer(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ctx.fail(line, f"expected a whole number from 1, got {value!r}")
    return [Literal(str(value), datatype=XSD_INTEGER)]


def _count(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    """A count that may be zero (votes against, abstentions)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ctx.fail(line, f"expected a whole number from 0, got {value!r}")
    return [Literal(str(value), datatype=XSD_INTEGER)]


_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def _month_day(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    """A day of the year, ``08-31``. Kept as text: owlrl, once loaded, makes rdflib read
    every xsd:gMonthDay as ill-typed, so SHACL would refuse a correct one."""
    if not isinstance(value, str) or not _MONTH_DAY.match(value):
        raise ctx.fail(line, f"expected a day of the year as MM-DD such as 08-31, got {value!r}")
    try:  # 2000 is a leap year, so 02-29 passes and 02-30 does not
        dt.date.fromisoformat(f"2000-{value}")
    except ValueError:
        raise ctx.fail(line, f"{value!r} is not a day of the year") from None
    return [Literal(value)]


def _adoption(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    if value not in ADOPTION_METHODS:
        raise ctx.fail(line, f"adoption {value!r} is not one of: {', '.join(ADOPTION_METHODS)}")
    return [ctx.iris.term(ADOPTION_METHODS[value])]


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


def _sdg_target(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    if not isinstance(value, str):
        raise ctx.fail(line, f"write SDG targets as quoted text such as '10.3', got {value!r}")
    try:
        return [ctx.iris.sdg_target(value)]
    except ValueError as error:
        raise ctx.fail(line, str(error)) from None


def _country(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    """A country by its ISO 3166-1 name or alpha-3 code; the graph gets its description."""
    found = countries.find(value) if isinstance(value, str) else None
    if found is None:
        raise ctx.fail(line, f"{value!r} is not an ISO 3166-1 country name or alpha-3 code")
    if found.alpha_3 not in ctx.described:  # one description per file, however many practices
        ctx.described.add(found.alpha_3)
        countries.describe(ctx.add, ctx.iris, found.alpha_3)
    return [ctx.iris.country(found.alpha_3)]


def _target(ctx: _Ctx, value: Any, line: int) -> list[Any]:
    """An instrument id, or a path to a part of it: ``icerd/art/5/para/a``, ``icerd/section/i``."""
    if not isinstance(value, str):
        raise ctx.fail(line, f"expected an instrument id or provision path, got {value!r}")
    slug, *rest = value.split("/")
    steps = list(zip(rest[::2], rest[1::2], strict=False))
    try:
        if len(rest) % 2:
            raise ValueError("a provision path alternates kind and number: icerd/art/5/para/a")
        if not steps:
            return [ctx.iris.instrument(slug)]
        if steps[0][0] in _DIVISIONS and len(steps) == 1:
            return [ctx.iris.section(slug, steps[0][1], steps[0][0])]
        return [ctx.iris.provision(slug, *steps)]
    except ValueError as error:
        raise ctx.fail(line, f"{value!r}: {error}") from None


@dataclass(frozen=True)
class Field:
    predicate: str
    convert: Convert
    many: bool = False


_SOURCED = {
    "url": Field("dcat:landingPage", _url),
    "sources": Field("dcterms:source", _url, many=True),
}
_ALIGNED = {
    "exact_match": Field("skos:exactMatch", _url, many=True),
    "close_match": Field("skos:closeMatch", _url, many=True),
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
    "adopted": Field("eli:date_document", _partial_date),
    "entry_into_force": Field("eli:first_date_entry_in_force", _date),
    "binding": Field("ng:legallyBinding", _boolean),
    "recalls": Field("ng:recalls", _ref("instrument"), many=True),
    "builds_on": Field("ng:buildsOn", _ref("instrument"), many=True),
    "monitored_by": Field("ng:monitoredBy", _ref("body"), many=True),
    "establishes": Field("ng:establishes", _ref("body"), many=True),
    # how it was adopted, and the treaty life cycle (issue 12)
    "adoption": Field("ng:adoptionMethod", _adoption),
    "votes_in_favour": Field("ng:votesInFavour", _count),
    "votes_against": Field("ng:votesAgainst", _count),
    "abstentions": Field("ng:abstentions", _count),
    "vote_record": Field("ng:voteRecord", _text),
    "opened_for_signature": Field("ng:openedForSignature", _date),
    "signature_place": Field("ng:signaturePlace", _text),
    "entry_into_force_rule": Field("ng:entryIntoForceRule", _langtext),
    "entry_into_force_provision": Field("ng:entryIntoForceProvision", _target),
    "ratifications_for_entry_into_force": Field("ng:ratificationsForEntryIntoForce", _integer),
    "unts_volume": Field("ng:untsVolume", _integer),
    "unts_registration": Field("ng:untsRegistrationNumber", _text),
    "unts_registered": Field("ng:untsRegistrationDate", _date),
    "reporting_rule": Field("ng:reportingRule", _langtext),
    "initial_report_within_years": Field("ng:initialReportWithinYears", _integer),
    "reporting_interval_years": Field("ng:reportingIntervalYears", _integer),
    "reporting_provision": Field("ng:reportingProvision", _target),
    # relations between documents, counts and statements of absence
    "inspired_by": Field("ng:inspiredBy", _target, many=True),
    "interprets": Field("ng:interprets", _target, many=True),
    "draft_approved_by": Field("ng:draftApprovedBy", _ref("body")),
    "draft_approved_in": Field("ng:draftApprovalAct", _text),
    "draft_approved": Field("ng:draftApprovalDate", _date),
    "endorsed_by": Field("ng:endorsedBy", _ref("body")),
    "endorsed_in": Field("ng:endorsementAct", _text),
    "endorsed": Field("ng:endorsementDate", _date),
    "developed_within": Field("ng:developedWithin", _ref("network")),
    "article_count": Field("ng:articleCount", _integer),
    "adopted_at_session": Field("ng:adoptedAtSession", _integer),
    "paragraph_count": Field("ng:paragraphCount", _integer),
    "recommendation_count": Field("ng:recommendationCount", _integer),
    "domain_count": Field("ng:domainCount", _integer),
    "objective_count": Field("ng:objectiveCount", _integer),
    "does_not_define": Field("ng:givesNoDefinitionOf", _ref("group"), many=True),
    "note": Field("skos:note", _langtext),
    **_SOURCED,
    **_TAGGED,
    **_ALIGNED,
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
    "founding_act": Field("ng:foundingAct", _text),
    "size": Field("ng:memberCount", _integer),
    "term_years": Field("ng:termOfOfficeYears", _integer),
    "max_terms": Field("ng:maximumTerms", _integer),
    "mandate_period_years": Field("ng:mandatePeriodYears", _integer),
    "composition": Field("ng:composition", _langtext),
    "members_selected_by": Field("ng:membersSelectedBy", _ref("body"), many=True),
    "reports_to": Field("org:reportsTo", _ref("body"), many=True),
    "advises": Field("ng:advises", _ref("body"), many=True),
    "note": Field("skos:note", _langtext),
    **_SOURCED,
    **_ALIGNED,
}
NETWORK_FIELDS: dict[str, Field] = {
    "name": Field("rdfs:label", _langtext),
    "abbreviations": Field("ng:abbreviation", _text, many=True),
    "established": Field("dcterms:created", _date),
    "description": Field("dcterms:description", _langtext),
    "coordinated_by": Field("ng:coordinatedBy", _ref("entity")),
    "members": Field("org:hasMember", _ref("entity"), many=True),
    **_SOURCED,
    **_TAGGED,
    **_ALIGNED,
}
ANNIVERSARY_FIELDS: dict[str, Field] = {
    "name": Field("rdfs:label", _langtext),
    "year": Field("dcterms:date", _year),
    "description": Field("dcterms:description", _langtext),
    "commemorates": Field("ng:commemorates", _ref("instrument"), many=True),
    **_SOURCED,
}
COMMITMENT_FIELDS: dict[str, Field] = {
    "order": Field("ng:order", _integer),
    "number": Field("eli:number", _text),
    "title": Field("dcterms:title", _langtext),
    "summary": Field("dcterms:abstract", _langtext),
    "committed_by": Field("ng:committedBy", _ref("network")),
    "stated": Field("dcterms:issued", _date),
    "implements": Field("ng:implements", _target, many=True),
    "anniversaries": Field("ng:inLightOf", _ref("anniversary"), many=True),
    "events": Field("ng:refersToEvent", _ref("event"), many=True),
    **_SOURCED,
    **_TAGGED,
}
EVENT_FIELDS: dict[str, Field] = {
    "name": Field("rdfs:label", _langtext),
    "description": Field("dcterms:description", _langtext),
    "start": Field("ng:startDate", _date),
    "end": Field("ng:endDate", _date),
    "annual_date": Field("ng:annualDate", _month_day),
    "proclaimed": Field("ng:proclamationDate", _date),
    "proclaimed_by": Field("ng:proclaimedBy", _ref("instrument")),
    "founding_act": Field("ng:foundingAct", _text),
    "coordinator": Field("ng:coordinator", _ref("body")),
    "convened_by": Field("ng:convenedBy", _ref("body")),
    "venue": Field("ng:venue", _text),
    "requested_by": Field("ng:requestedBy", _langtext),
    "requested": Field("ng:requestDate", _date),
    "concerns": Field("ng:concernsInstrument", _ref("instrument"), many=True),
    "led_to": Field("ng:ledTo", _ref("instrument"), many=True),
    "outcome_document": Field("ng:outcomeDocument", _text),
    "continues": Field("ng:continues", _ref("event")),
    "marks": Field("ng:marksAnniversary", _ref("anniversary"), many=True),
    **_SOURCED,
    **_TAGGED,
}
PRACTICE_FIELDS: dict[str, Field] = {
    "title": Field("dcterms:title", _langtext),
    "description": Field("dcterms:description", _langtext),
    "countries": Field("ng:inCountry", _country, many=True),
    "region": Field("ng:region", _text),
    "start": Field("ng:startYear", _year),
    "end": Field("ng:endYear", _year),
    "actors": Field("ng:implementingActor", _text, many=True),
    "un_entities": Field("prov:wasAttributedTo", _ref("entity"), many=True),
    "implements": Field("ng:implements", _target, many=True),
    "sdg_targets": Field("ng:contributesToTarget", _sdg_target, many=True),
    "documented_in": Field("dcterms:bibliographicCitation", _text, many=True),
    **_SOURCED,
    **_TAGGED,
}
SDG_GOAL_FIELDS: dict[str, Field] = {
    "title": Field("skos:prefLabel", _langtext),
    "summary": Field("skos:definition", _langtext),
    **_SOURCED,
    **_ALIGNED,
}
SDG_TARGET_FIELDS: dict[str, Field] = {
    "summary": Field("skos:definition", _langtext),
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


_PROVISION_KINDS = {
    "article": ("art", "Article"),
    "paragraph": ("para", "Paragraph"),
    "section": ("section", "Section"),
    "part": ("part", "Section"),
}
# The key under which each kind nests its parts.
_CHILDREN = {"article": "paragraphs", "section": "provisions", "part": "provisions"}
_DIVISIONS = ("section", "part")


@dataclass(frozen=True)
class _Parent:
    """Where provisions being read hang: their IRI path steps, parent resource and label."""

    subject: NamedNode
    steps: tuple[tuple[str, object], ...] = ()
    label: str = ""


def _provision_subject(ctx: _Ctx, item: _Located, key: str, slug: str, parent: _Parent):
    step, _ = _PROVISION_KINDS[key]
    number = item[key]
    try:
        if key in _DIVISIONS:
            return ctx.iris.section(slug, number, step)
        return ctx.iris.provision(slug, *parent.steps, (step, number))
    except ValueError as error:
        raise ctx.fail(item.key_lines[key], str(error)) from None


def _provisions(
    ctx: _Ctx,
    items: Any,
    line: int,
    instrument: tuple[str, NamedNode, str],
    parent: _Parent,
) -> None:
    if not isinstance(items, list):
        raise ctx.fail(line, "provisions: expected a list")
    slug, instrument_iri, short = instrument
    for order, item in enumerate(items, start=1):
        keys = [k for k in _PROVISION_KINDS if isinstance(item, dict) and k in item]
        if len(keys) != 1:
            where = item.line if isinstance(item, _Located) else line
            kinds = ", ".join(_PROVISION_KINDS)
            raise ctx.fail(where, f"each provision needs exactly one of: {kinds}")
        key = keys[0]
        number = item[key]
        subject = _provision_subject(ctx, item, key, slug, parent)
        _declare(ctx, subject, item.line)
        here = f"{parent.label or short}, {key} {number}"
        ctx.add(subject, "rdf:type", ctx.iris.term(_PROVISION_KINDS[key][1]))
        ctx.add(subject, "eli:number", Literal(str(number)))
        ctx.add(subject, "ng:order", Literal(str(order), datatype=XSD_INTEGER))
        ctx.add(subject, "rdfs:label", Literal(here, language="en"))
        ctx.add(subject, "ng:partOfInstrument", instrument_iri)
        ctx.add(subject, "dcterms:isPartOf", parent.subject)
        ctx.add(parent.subject, "dcterms:hasPart", subject)
        children = _CHILDREN.get(key)
        nesting = {c for c in _CHILDREN.values() if c in item}
        if nesting - {children}:
            bad = sorted(nesting - {children})[0]
            raise ctx.fail(item.key_lines[bad], f"a {key} cannot have {bad!r}")
        _emit_fields(ctx, subject, item, PROVISION_FIELDS, {key, *nesting})
        if children in item:
            # A division groups provisions without entering their IRIs; an article does.
            division = key in _DIVISIONS
            steps = parent.steps if division else (*parent.steps, ("art", number))
            label = parent.label if division else here
            _provisions(
                ctx,
                item[children],
                item.key_lines[children],
                instrument,
                _Parent(subject, steps, label),
            )


def _record(
    ctx: _Ctx, record: Any, line: int, what: str, mint: Callable[[Any], NamedNode], key: str = "id"
) -> tuple[NamedNode, Any]:
    """Mint and declare the subject of a record identified by ``key``."""
    value = _required(ctx, record, key, what, line)
    try:
        subject = mint(value)
    except ValueError as error:
        raise ctx.fail(record.key_lines[key], str(error)) from None
    _declare(ctx, subject, record.line)
    return subject, value


def _records(ctx: _Ctx, items: Any, line: int, what: str) -> list[_Located]:
    if not isinstance(items, list):
        raise ctx.fail(line, f"expected a list of {what} records")
    return items


def _organizations(ctx: _Ctx, items: Any, line: int, entity: bool) -> None:
    what = "entity" if entity else "body"
    for record in _records(ctx, items, line, what):
        mint = ctx.iris.entity if entity else ctx.iris.body
        if not isinstance(record, dict):
            raise ctx.fail(line, f"each {what} must be a mapping of keys to values")
        kind = "UNEntity" if entity else _kind(ctx, record, BODY_KINDS, what)
        subject, _ = _record(ctx, record, line, what, mint)
        ctx.add(subject, "rdf:type", ctx.iris.term(kind))
        _emit_fields(
            ctx, subject, record, ORGANIZATION_FIELDS, {"id"} | ({"kind"} if not entity else set())
        )


def _typed(
    ctx: _Ctx, subject: NamedNode, record: _Located, kind: str, fields: dict[str, Field], key: str
) -> None:
    ctx.add(subject, "rdf:type", ctx.iris.term(kind))
    _emit_fields(ctx, subject, record, fields, {key})


def _network(ctx: _Ctx, record: Any, line: int) -> None:
    subject, _ = _record(ctx, record, line, "network", ctx.iris.network)
    _typed(ctx, subject, record, "InterAgencyNetwork", NETWORK_FIELDS, "id")


def _anniversaries(ctx: _Ctx, items: Any, line: int) -> None:
    for record in _records(ctx, items, line, "anniversary"):
        subject, _ = _record(ctx, record, line, "anniversary", ctx.iris.anniversary)
        _typed(ctx, subject, record, "Anniversary", ANNIVERSARY_FIELDS, "id")


def _events(ctx: _Ctx, items: Any, line: int) -> None:
    for record in _records(ctx, items, line, "event"):
        if not isinstance(record, dict):
            raise ctx.fail(line, "each event must be a mapping of keys to values")
        kind = _kind(ctx, record, EVENT_KINDS, "event")
        subject, _ = _record(ctx, record, line, "event", ctx.iris.event)
        start, end = record.get("start"), record.get("end")
        if isinstance(start, str) and isinstance(end, str) and end < start:
            raise ctx.fail(record.key_lines["end"], f"end {end} is before start {start}")
        ctx.add(subject, "rdf:type", ctx.iris.term(kind))
        _emit_fields(ctx, subject, record, EVENT_FIELDS, {"id", "kind"})


def _commitments(ctx: _Ctx, items: Any, line: int) -> None:
    for record in _records(ctx, items, line, "commitment"):
        subject, _ = _record(ctx, record, line, "commitment", ctx.iris.commitment)
        _typed(ctx, subject, record, "WorkPlanCommitment", COMMITMENT_FIELDS, "id")
        label = _english(record, "title")
        if label:
            ctx.add(subject, "rdfs:label", Literal(" ".join(label.split()), language="en"))


def _practices(ctx: _Ctx, items: Any, line: int) -> None:
    for record in _records(ctx, items, line, "practice"):
        subject, _ = _record(ctx, record, line, "practice", ctx.iris.practice)
        start, end = record.get("start"), record.get("end")
        if isinstance(start, int) and isinstance(end, int) and end < start:
            raise ctx.fail(record.key_lines["end"], f"end year {end} is before start year {start}")
        _typed(ctx, subject, record, "Practice", PRACTICE_FIELDS, "id")
        label = _english(record, "title")
        if label:
            ctx.add(subject, "rdfs:label", Literal(" ".join(label.split()), language="en"))


def _sdg_goals(ctx: _Ctx, items: Any, line: int) -> None:
    scheme = ctx.iris.scheme("sdgs")
    for record in _records(ctx, items, line, "SDG goal"):
        subject, number = _record(ctx, record, line, "SDG goal", ctx.iris.sdg_goal, "goal")
        _typed(ctx, subject, record, "SDGGoal", SDG_GOAL_FIELDS, "goal")
        ctx.add(subject, "skos:notation", Literal(str(number)))
        ctx.add(subject, "skos:inScheme", scheme)
        ctx.add(subject, "skos:topConceptOf", scheme)


def _sdg_targets(ctx: _Ctx, items: Any, line: int) -> None:
    scheme = ctx.iris.scheme("sdgs")
    for record in _records(ctx, items, line, "SDG target"):
        if isinstance(record, dict) and not isinstance(record.get("target"), str):
            where = record.key_lines.get("target", record.line)
            raise ctx.fail(where, "write SDG targets as quoted text such as '10.3'")
        subject, notation = _record(ctx, record, line, "SDG target", ctx.iris.sdg_target, "target")
        _typed(ctx, subject, record, "SDGTarget", SDG_TARGET_FIELDS, "target")
        ctx.add(subject, "skos:notation", Literal(notation))
        ctx.add(subject, "skos:prefLabel", Literal(f"SDG target {notation}", language="en"))
        ctx.add(subject, "skos:inScheme", scheme)
        ctx.add(subject, "skos:broader", ctx.iris.sdg_goal(notation.split(".")[0]))


_READERS: dict[str, Callable[[_Ctx, Any, int], None]] = {
    "bodies": lambda ctx, items, line: _organizations(ctx, items, line, entity=False),
    "entities": lambda ctx, items, line: _organizations(ctx, items, line, entity=True),
    "network": _network,
    "anniversaries": _anniversaries,
    "events": _events,
    "commitments": _commitments,
    "practices": _practices,
    "sdg_goals": _sdg_goals,
    "sdg_targets": _sdg_targets,
}


TOP_LEVEL = ("instrument", "provisions", *_READERS)


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
        top = _Parent(instrument[1])
        _provisions(ctx, data["provisions"], data.key_lines["provisions"], instrument, top)
    for key, read in _READERS.items():
        if key in data:
            read(ctx, data[key], data.key_lines[key])
    return source


def read_corpus(root: Path, iris: Iris) -> list[SourceGraph]:
    """Every ``*.yaml`` below ``root``, in path order."""
    if not root.is_dir():
        raise CorpusError(root, None, "is not a directory")
    seen: dict[str, tuple[str, int]] = {}
    return [read_corpus_file(root, p, iris, seen) for p in sorted(root.rglob("*.yaml"))]
