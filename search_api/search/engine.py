"""The search engine: a query in, ranked units out, with facets and an account
of every score. Dense and lexical retrieval are fused; the concept layer then
boosts units tagged with the concepts the query names (expanded to their
narrower concepts), and pins an instrument or provision the query cites."""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pyoxigraph import Store

from ingest.tagging import Mention, Taggers
from kg.errors import NormgraphError
from kg.iris import Iris
from kg.release import Release
from search_api.search import dense, facets, fuse
from search_api.search.encoder import Encoder
from search_api.search.filters import Filters, matcher
from search_api.search.index import DENSE, INFO, LEXICAL, SEARCH_DIR, UNITS
from search_api.search.labels import Labels
from search_api.search.lexical import LexicalIndex, required_phrases
from search_api.search.units import Unit, read_table

CANDIDATES = 1000  # from each retriever, before filters
DENSE_FLOOR = 0.25  # a dense neighbour below this cosine is not a result
CONCEPT_BOOST = 0.3  # per matched concept a unit is tagged with (fused scores are ~0..1)
DEFAULT_FUSION = "weighted"  # better on bench/qrels.tsv (README, "Search quality")
SNIPPET_CHARS = 240


class SearchUnavailable(NormgraphError):
    """The release has no usable search index (none built, or another model)."""


# (text, language) -> what the text names: ingest's tagger, the same one that tags passages
QueryTagger = Callable[[str, str], list[Mention]]


def query_tagger(store: Store, base_iri: str) -> QueryTagger:
    """Tag queries with the graph's own labels, one spaCy matcher per language."""
    taggers = Taggers(store, base_iri)
    return lambda text, lang: taggers(lang).tag(text)


@dataclass(frozen=True)
class SearchRequest:
    q: str
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    size: int = 10
    lang: str = "en"
    mode: str = "hybrid"  # hybrid | lexical | dense
    fusion: str = DEFAULT_FUSION
    concepts: bool = True  # the concept layer (query tagging, expansion, boost, pins)


@dataclass
class Hit:
    iri: str
    kind: str
    label: str
    instrument: dict[str, str] | None
    snippet: str
    score: float
    parts: dict[str, float]
    matched_concepts: list[dict[str, str]]
    tags: dict[str, list[dict[str, str]]]
    year: int | None


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    size: int
    hits: list[Hit]
    facets: dict[str, list[dict[str, Any]]]
    matched_concepts: list[dict[str, str]]
    pinned: list[str]
    mode: str
    fusion: str
    release: str
    took_ms: float


class Searcher:
    def __init__(
        self,
        release: Release,
        units: list[Unit],
        index: Any,
        lexical: LexicalIndex,
        encoder: Encoder,
        labels: Labels,
        tagger: QueryTagger | None,
    ) -> None:
        self.release, self.units, self.index, self.lexical = release, units, index, lexical
        self.encoder, self.labels, self.tagger = encoder, labels, tagger
        self.rows = {u.iri: i for i, u in enumerate(units)}

    @classmethod
    def from_release(
        cls, release: Release, store: Store, encoder: Encoder, tagger: QueryTagger | None = None
    ) -> Searcher:
        """``tagger`` defaults to the release's own (query_tagger)."""
        folder = release.path / SEARCH_DIR
        if not (folder / INFO).is_file():
            raise SearchUnavailable(
                f"release {release.id} has no search index; rebuild it with `normgraph build`"
            )
        info = json.loads((folder / INFO).read_text())
        if info["model"] != encoder.model_id or info["dimension"] != encoder.dimension:
            raise SearchUnavailable(
                f"release {release.id} was indexed with {info['model']} ({info['dimension']} "
                f"dimensions) but this server loads {encoder.model_id} ({encoder.dimension}); "
                "serve with the same NORMGRAPH_EMBEDDING_MODEL or rebuild the release"
            )
        return cls(
            release,
            read_table(folder / UNITS),
            dense.load(folder / DENSE),
            LexicalIndex(folder / LEXICAL),
            encoder,
            Labels.from_store(store, Iris(release.manifest.base_iri)),
            tagger or query_tagger(store, release.manifest.base_iri),
        )

    def known(self, facet: str) -> list[str]:
        """The ids (last IRI segment) a filter on ``facet`` accepts, from the units."""
        field = {
            "theme": "themes",
            "group": "groups",
            "body": "bodies",
            "country": "countries",
            "instrument": "instrument",
        }[facet]
        values = set()
        for unit in self.units:
            got = getattr(unit, field)
            values.update(got if isinstance(got, list) else [got] if got else [])
        return sorted(v.rsplit("/", 1)[-1] for v in values)

    # ------------------------------------------------------------ the query
    def search(self, request: SearchRequest) -> SearchResults:
        started = time.perf_counter()
        tag = self.tagger if request.concepts else None
        mentions = tag(request.q, request.lang) if tag else []
        concepts = [m.iri for m in mentions if m.kind in ("theme", "group")]
        pins = [
            m.iri for m in mentions if m.kind in ("instrument", "provision") and m.iri in self.rows
        ]
        candidates = self._retrieve(request, concepts)
        for iri in pins:
            candidates.setdefault(self.rows[iri], fuse.Scored(self.rows[iri])).pinned = True
        self._boost(candidates, concepts)
        kept = matcher(request.filters, self.labels)
        ranked = sorted(
            (c for c in candidates.values() if kept(self.units[c.row])),
            key=lambda c: (-c.score, self.units[c.row].iri),
        )
        start = (request.page - 1) * request.size
        page = ranked[start : start + request.size]
        return SearchResults(
            query=request.q,
            total=len(ranked),
            page=request.page,
            size=request.size,
            hits=self._hits(page, request),
            facets=self._facets(candidates, request),
            matched_concepts=[self._ref(i, request.lang) for i in concepts],
            pinned=pins,
            mode=request.mode,
            fusion=request.fusion,
            release=self.release.id,
            took_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    def _facets(
        self, candidates: dict[int, fuse.Scored], request: SearchRequest
    ) -> dict[str, list[dict[str, Any]]]:
        """Each facet counted over the units that pass every filter but its own."""
        out = {}
        for name, own in facets.OWN_FILTER.items():
            relaxed = replace(request.filters, **{own: ()})
            kept = matcher(relaxed, self.labels)
            units = [self.units[r] for r in candidates if kept(self.units[r])]
            found = facets.count_one(name, units, self.labels, request.lang)
            out[name] = [v.__dict__ for v in found]
        return out

    def _expansions(self, concepts: list[str]) -> list[tuple[str, float]]:
        """Alternative labels of the named concepts and their narrower concepts."""
        out = []
        for concept in concepts:
            for iri in self.labels.with_narrower(concept):
                out.append((self.labels.name(iri, "en"), 0.5))
        return out

    def _retrieve(self, request: SearchRequest, concepts: list[str]) -> dict[int, fuse.Scored]:
        lexical: list[tuple[int, float]] = []
        dense_hits: list[tuple[int, float]] = []
        if request.mode in ("hybrid", "lexical"):
            found = self.lexical.search(request.q, CANDIDATES, self._expansions(concepts))
            lexical = [(h.row, h.score) for h in found]
        if request.mode in ("hybrid", "dense"):
            # the thesaurus bridges languages: the English names of named concepts join the query
            bridge = [self.labels.name(c, "en") for c in concepts]
            vector = self.encoder.encode([" ".join([request.q, *bridge])])[0]
            found = dense.search(self.index, vector, CANDIDATES)
            dense_hits = [(h.row, h.score) for h in found if h.score >= DENSE_FLOOR]
        candidates = fuse.merge(lexical, dense_hits)
        if required_phrases(request.q) and request.mode != "dense":
            # a quoted phrase must appear: dense neighbours without it are dropped
            candidates = {r: c for r, c in candidates.items() if c.lexical_rank is not None}
        fuse.METHODS[request.fusion](candidates)
        return candidates

    def _boost(self, candidates: dict[int, fuse.Scored], concepts: list[str]) -> None:
        for concept in concepts:
            family = self.labels.with_narrower(concept)
            for c in candidates.values():
                unit = self.units[c.row]
                if family & {*unit.themes, *unit.groups, unit.iri}:
                    c.concept += CONCEPT_BOOST
                    c.matched.append(concept)

    # ------------------------------------------------------------ presenting a hit
    def _ref(self, iri: str, lang: str) -> dict[str, str]:
        return {"iri": iri, "label": self.labels.name(iri, lang)}

    def _hits(self, page: list[fuse.Scored], request: SearchRequest) -> list[Hit]:
        matched = [c.row for c in page if c.lexical_rank]
        snippets = self.lexical.snippets(request.q, matched)
        return [self._hit(c, request, snippets.get(c.row, "")) for c in page]

    def _hit(self, c: fuse.Scored, request: SearchRequest, snippet: str) -> Hit:
        unit = self.units[c.row]
        if not snippet:
            text = unit.text if len(unit.text) <= SNIPPET_CHARS else unit.text[:SNIPPET_CHARS] + "…"
            snippet = html.escape(text)
        lang = request.lang
        return Hit(
            iri=unit.iri,
            kind=unit.kind,
            label=self.labels.name(unit.iri, lang) if unit.kind == "concept" else unit.label,
            instrument=self._ref(unit.instrument, lang) if unit.instrument else None,
            snippet=snippet,
            score=round(c.score, 6),
            parts={
                "lexical": round(c.lexical, 6),
                "dense": round(c.dense, 6),
                "fused": round(c.fused, 6),
                "concept": round(c.concept, 6),
                "pinned": 1.0 if c.pinned else 0.0,
            },
            matched_concepts=[self._ref(i, lang) for i in c.matched],
            tags={
                name: [self._ref(i, lang) for i in getattr(unit, name)]
                for name in ("themes", "groups", "countries", "bodies")
            },
            year=unit.year,
        )
