"""Mints every normgraph IRI from the base IRI (docs/architecture.md, "IRI policy"). Pure, no IO.

Slugs come from curated ids, numbers or document symbols, never from row order,
so rebuilding the same input yields the same IRIs. Nothing else in the code
base builds an IRI by string formatting.
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NUMBER = re.compile(r"^[A-Za-z0-9]+(?:[ .-][A-Za-z0-9]+)*$")

# Provision path steps, in the order they nest: art/{n}[/para/{m}].
PROVISION_STEPS = ("art", "para")
# Divisions that group provisions: id/instrument/{slug}/{step}/{n}.
SECTION_STEPS = ("section", "part")
_SDG_TARGET = re.compile(r"^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])$")


def check_slug(slug: str) -> str:
    """A curated id: lower-case letters, digits and single hyphens."""
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise ValueError(
            f"{slug!r} is not a valid id: use lower-case letters, digits and single hyphens"
        )
    return slug


def number_slug(number: object) -> str:
    """An article or paragraph number as it appears in an IRI: '1 bis' -> '1-bis'."""
    text = str(number).strip()
    if isinstance(number, bool) or not _NUMBER.match(text):
        raise ValueError(f"{number!r} is not a valid provision number")
    return re.sub(r"[ .]", "-", text).lower()


class Iris:
    """IRI factory for one base IRI (which ends with '/')."""

    def __init__(self, base: str) -> None:
        self.base = base

    def _mint(self, path: str) -> NamedNode:
        return NamedNode(self.base + path)

    # ontology
    def ontology(self) -> NamedNode:
        return self._mint("def")

    def ontology_version(self, version: str) -> NamedNode:
        return self._mint(f"def/{version}")

    def term(self, name: str) -> NamedNode:
        return self._mint(f"def/{name}")

    def scheme(self, name: str) -> NamedNode:
        return self._mint(f"id/scheme/{check_slug(name)}")

    # things
    def instrument(self, slug: str) -> NamedNode:
        return self._mint(f"id/instrument/{check_slug(slug)}")

    def provision(self, instrument: str, *steps: tuple[str, object]) -> NamedNode:
        """``provision('unmd-1992', ('art', 4), ('para', 3))`` -> .../art/4/para/3."""
        parts = [f"id/instrument/{check_slug(instrument)}"]
        for kind, number in steps:
            if kind not in PROVISION_STEPS:
                raise ValueError(f"unknown provision step {kind!r}")
            parts.append(f"{kind}/{number_slug(number)}")
        return self._mint("/".join(parts))

    def section(self, instrument: str, number: object, step: str = "section") -> NamedNode:
        """A division of an instrument (``section/ii``, ``part/i``) that groups provisions
        without entering their IRIs: ICERD article 5 stays .../art/5 inside part I."""
        if step not in SECTION_STEPS:
            raise ValueError(f"unknown division {step!r}")
        return self._mint(f"id/instrument/{check_slug(instrument)}/{step}/{number_slug(number)}")

    def theme(self, slug: str) -> NamedNode:
        return self._mint(f"id/theme/{check_slug(slug)}")

    def group(self, slug: str) -> NamedNode:
        return self._mint(f"id/group/{check_slug(slug)}")

    def body(self, slug: str) -> NamedNode:
        return self._mint(f"id/body/{check_slug(slug)}")

    def entity(self, slug: str) -> NamedNode:
        return self._mint(f"id/entity/{check_slug(slug)}")

    def practice(self, slug: str) -> NamedNode:
        return self._mint(f"id/practice/{check_slug(slug)}")

    def network(self, slug: str) -> NamedNode:
        return self._mint(f"id/network/{check_slug(slug)}")

    def commitment(self, slug: str) -> NamedNode:
        return self._mint(f"id/commitment/{check_slug(slug)}")

    def anniversary(self, slug: str) -> NamedNode:
        return self._mint(f"id/anniversary/{check_slug(slug)}")

    def event(self, slug: str) -> NamedNode:
        return self._mint(f"id/event/{check_slug(slug)}")

    def sdg_goal(self, number: object) -> NamedNode:
        """An SDG goal by its official number: ``sdg_goal(10)`` -> id/sdg/goal/10."""
        text = str(number).strip()
        if isinstance(number, bool) or not text.isdigit() or not 1 <= int(text) <= 17:
            raise ValueError(f"{number!r} is not an SDG goal number (1-17)")
        return self._mint(f"id/sdg/goal/{int(text)}")

    def sdg_target(self, notation: object) -> NamedNode:
        """An SDG target by its official identifier: ``sdg_target('10.3')`` -> .../target/10-3."""
        text = notation.strip() if isinstance(notation, str) else ""
        if not _SDG_TARGET.match(text):
            raise ValueError(f"{notation!r} is not an SDG target identifier such as 10.3 or 16.b")
        return self._mint(f"id/sdg/target/{text.replace('.', '-')}")

    def country(self, code: str) -> NamedNode:
        """A country by its ISO 3166-1 alpha-3 code: ``country('FRA')`` -> id/country/fra."""
        if not re.fullmatch(r"[A-Za-z]{3}", code):
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 code")
        return self._mint(f"id/country/{code.lower()}")

    def document(self, slug: str) -> NamedNode:
        return self._mint(f"id/document/{check_slug(slug)}")

    def passage(self, document: str, n: int) -> NamedNode:
        return self._mint(f"id/document/{check_slug(document)}/p/{int(n)}")

    # graphs and skolem IRIs
    def document_graph(self, slug: str) -> NamedNode:
        """The named graph that holds everything one ingested document contributes."""
        return self.graph("document", check_slug(slug))

    def document_graph_prefix(self) -> str:
        """Every document graph's IRI starts with this (build carries them over)."""
        return self.base + "graph/document/"

    def mention(self, document: str, n: int, k: int) -> NamedNode:
        """Skolem IRI of the k-th mention record of passage n (no IRI of its own to dereference)."""
        return self.genid(f"document/{check_slug(document)}/p/{int(n)}", k)

    def graph(self, *parts: str) -> NamedNode:
        """Named graph of one source: ``graph('corpus', 'instruments', 'unmd-1992')``."""
        return self._mint("graph/" + "/".join(parts))

    def genid(self, graph_name: str, n: int) -> NamedNode:
        """Skolem IRI (RDF 1.1 §3.5) for the n-th blank node of a source file."""
        return self._mint(f".well-known/genid/{graph_name}/{n}")

    # request paths <-> IRIs (the server answers for the canonical IRIs)
    def page_path(self, iri: NamedNode | str) -> str | None:
        """The path a resource has under /doc/ and /data/: ``instrument/unmd-1992`` for
        ``{base}id/instrument/unmd-1992``, ``def/Instrument`` for a term; None if not ours."""
        value = iri.value if isinstance(iri, NamedNode) else iri
        if value.startswith(self.base + "id/"):
            return value[len(self.base) + 3 :] or None
        if value.startswith(self.base + "def/"):
            return value[len(self.base) :]
        return None

    def from_page_path(self, path: str) -> NamedNode:
        """Inverse of :meth:`page_path`."""
        return self._mint(path if path.startswith("def/") else f"id/{path}")

    def instrument_slug(self, iri: NamedNode | str) -> str | None:
        """The slug of an instrument IRI (``.../id/instrument/unmd-1992`` -> 'unmd-1992')."""
        value = iri.value if isinstance(iri, NamedNode) else iri
        prefix = self.base + "id/instrument/"
        rest = value[len(prefix) :] if value.startswith(prefix) else ""
        return rest if _SLUG.match(rest) else None

    def local(self, iri: NamedNode | str) -> str:
        """The part after the base, for short display; other IRIs unchanged."""
        value = iri.value if isinstance(iri, NamedNode) else iri
        return value[len(self.base) :] if value.startswith(self.base) else value
