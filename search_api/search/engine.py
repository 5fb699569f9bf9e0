"""The search engine: a query in, ranked documents out, with facets, a panel of the
concepts and entities the query names or evokes, and an account of every score.
Dense and lexical retrieval are fused with weights for the query's language
(``rank``); the concept layer then boosts units tagged with the concepts the query
names (expanded to their narrower concepts), and pins a provision it cites or an
instrument that is all it names."""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from pyoxigraph import Store

from ingest import language
from ingest.tagging import Mention, Taggers
from kg.errors import NormgraphError
from kg.iris import Iris
from kg.release import Release
from search_api.search import dense, facets, fuse, panel, rank, translate
from search_api.search.columns import Columns
from search_api.search.encoder import Encoder
from search_api.search.filters import DOCUMENT_KINDS, Filters, failures
from search_api.search.index import DENSE, INFO, LEXICAL, SEARCH_DIR, UNITS
from search_api.search.labels import Labels
from search_api.search.lexical import LexicalIndex, required_phrases
from search_api.search.snippets import Snippets
from search_api.search.units import Unit, read_table

CANDIDATES = 1000  # from each retriever, before filters
DENSE_FLOOR = 0.25  # a dense neighbour below this cosine is not a result
DEFAULT_FUSION = "weighted"  # better on the tune half of bench/qrels.tsv (README)


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
    lang: str | None = None  # the query's language; None: guessed (ingest.language)
    mode: str = "hybrid"  # hybrid | lexical | dense
    fusion: str = DEFAULT_FUSION
    concepts: bool = True  # the concept layer (query tagging, expansion, boost, pins)
    weights: rank.Weights | None = None  # None: rank.weights_for(the query's language)


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
    entities: list[panel.Entity]
    matched_concepts: list[dict[str, str]]
    pinned: list[str]
    lang: str
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
        vocabulary: language.Vocabulary | None = None,
        overseers: dict[str, list[str]] | None = None,
    ) -> None:
        self.release, self.units, self.index, self.lexical = release, units, index, lexical
        self.encoder, self.labels, self.tagger = encoder, labels, tagger
        self.vocabulary = vocabulary or {}
        self.overseers = overseers or {}  # instrument -> the bodies it sets up or that monitor it
        self.rows = {u.iri: i for i, u in enumerate(units)}
        self.columns = Columns(units)  # filters, facets and concept tags as arrays
        self.snippets = Snippets()
        self._specific: dict[str, float] = {}  # concept -> specificity, computed on first use
        self._pool: tuple[int, ThreadPoolExecutor] | None = None  # (pid, pool)

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
        base = release.manifest.base_iri
        return cls(
            release,
            read_table(folder / UNITS),
            dense.load(folder / DENSE),
            LexicalIndex(folder / LEXICAL),
            encoder,
            Labels.from_store(store, Iris(base)),
            tagger or query_tagger(store, base),
            language.vocabulary(store),
            panel.overseers(store, Iris(base)),
        )

    def known(self, facet: str) -> list[str]:
        """The ids (last IRI segment) a filter on ``facet`` accepts, from the units."""
        if facet not in ("theme", "group", "body", "country", "instrument"):
            raise KeyError(facet)
        return sorted({v.rsplit("/", 1)[-1] for v in self.columns.values[facet]})

    # ------------------------------------------------------------ the query
    def search(self, request: SearchRequest) -> SearchResults:
        started = time.perf_counter()
        lang = request.lang or language.guess(request.q, known=self.vocabulary)
        weights = request.weights or rank.weights_for(lang)
        mentions = self.tagger(request.q, lang) if self.tagger and request.concepts else []
        concepts = [m.iri for m in mentions if m.kind in ("theme", "group")]
        candidates = self._retrieve(request, mentions, lang, weights)
        pins = self._pin(candidates, mentions, request.q)
        self._boost(candidates, concepts, weights)
        filters = request.filters
        if not filters.kinds:  # the ranked list answers: documents; concepts go to the panel
            filters = replace(filters, kinds=DOCUMENT_KINDS)
        # each filter tested once over the candidates: what they fail decides list and facets
        rows = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
        fails = failures(filters, self.labels, self.columns, self.rows)(rows)
        misses = sum(fails.values(), np.zeros(len(rows), dtype=np.int8))  # filters failed
        passing = rows[misses == 0].tolist()
        start = (request.page - 1) * request.size
        best = fuse.top([candidates[row] for row in passing], start + request.size, self._iri)
        page = best[start:]
        return SearchResults(
            query=request.q,
            total=len(passing),
            page=request.page,
            size=request.size,
            hits=self._hits(page, request, lang),
            facets=self._facets(rows, fails, misses, lang),
            entities=panel.entities(self, mentions, candidates, lang),
            matched_concepts=[self._ref(i, lang) for i in concepts],
            pinned=pins,
            lang=lang,
            mode=request.mode,
            fusion=request.fusion,
            release=self.release.id,
            took_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    def _facets(
        self, rows: np.ndarray, fails: dict[str, np.ndarray], misses: np.ndarray, lang: str
    ) -> dict[str, list[dict[str, Any]]]:
        """Each facet counted, exactly, over the units that fail no filter but its own."""
        out = {}
        for name, own in facets.OWN_FILTER.items():
            counted = misses == fails[own] if own in fails else misses == 0
            found = facets.count_one(name, rows[counted], self.columns, self.labels, lang)
            out[name] = [v.__dict__ for v in found]
        return out

    def _expansions(self, concepts: list[str]) -> list[tuple[str, float]]:
        """Alternative labels of the named concepts and their narrower concepts."""
        out = []
        for concept in concepts:
            for iri in self.labels.with_narrower(concept):
                out.append((self.labels.name(iri, "en"), 0.5))
        return out

    def _retrieve(
        self, request: SearchRequest, mentions: list[Mention], lang: str, weights: rank.Weights
    ) -> dict[int, fuse.Scored]:
        lexical: list[tuple[int, float]] = []
        dense_hits: list[tuple[int, float]] = []
        concepts = [m.iri for m in mentions if m.kind in ("theme", "group")]
        english = self._english(request.q, mentions, lang) if weights.translate else request.q
        neighbours = None
        if request.mode in ("hybrid", "dense"):
            # in a second thread while BM25 runs in this one: the model, FAISS and tantivy
            # all leave the GIL, so the two retrievers take the two cores
            neighbours = self._threads().submit(self._nearest, request.q, english, weights.original)
        if request.mode in ("hybrid", "lexical"):
            # English words for the English text; the query's own still match its titles
            words = request.q if lang == "en" else f"{request.q} {english}"
            lexical = self.lexical.search(words, CANDIDATES, self._expansions(concepts))
        if neighbours is not None:
            dense_hits = neighbours.result()
        candidates = fuse.merge(lexical, dense_hits)
        if required_phrases(request.q) and request.mode != "dense":
            # a quoted phrase must appear: dense neighbours without it are dropped
            candidates = {r: c for r, c in candidates.items() if c.lexical_rank is not None}
        if request.fusion == "weighted":
            fuse.weighted(candidates, weights.lexical)
        else:
            fuse.METHODS[request.fusion](candidates)
        return candidates

    def _english(self, q: str, mentions: list[Mention], lang: str) -> str:
        """The query with the things it names (instruments, provisions, bodies, countries)
        in the graph's English labels, and (French, Spanish) its other words through the
        glossary, which renders "langue maternelle" closer than its theme's label would."""
        named = [
            (m.surface, self.labels.name(m.iri, "en"))
            for m in mentions
            if m.kind not in ("theme", "group")
        ]
        return translate.to_english(q, lang, named)

    def _threads(self) -> ThreadPoolExecutor:
        """This process's pool for the dense half of a search (a forked server worker makes
        its own: threads do not survive a fork)."""
        if self._pool is None or self._pool[0] != os.getpid():
            self._pool = (os.getpid(), ThreadPoolExecutor(4, thread_name_prefix="dense"))
        return self._pool[1]

    def _nearest(self, q: str, english: str, original: float) -> list[tuple[int, float]]:
        vector = self._vector(q, english, original)
        return dense.nearest(self.index, vector, CANDIDATES, DENSE_FLOOR)

    def _vector(self, q: str, english: str, original: float) -> Any:
        """The query's embedding, blended with its English version's where that differs
        (``original``: the share of the query's own words: names, cognates)."""
        if english == q or original == 0:
            return self.encoder.encode([english])[0]
        own, translated = self.encoder.encode([q, english])
        blend = original * own + (1 - original) * translated
        return blend / float((blend**2).sum() ** 0.5)

    def _pin(
        self, candidates: dict[int, fuse.Scored], mentions: list[Mention], q: str
    ) -> list[str]:
        """Pin a cited provision; pin an instrument only when naming it is the whole query."""
        cited = [
            m for m in mentions if m.kind in ("instrument", "provision") and m.iri in self.rows
        ]
        bare = rank.covers([m.surface for m in cited], q)
        pins = [m.iri for m in cited if m.kind == "provision" or bare]
        for iri in pins:
            candidates.setdefault(self.rows[iri], fuse.Scored(self.rows[iri])).pinned = True
        return pins

    def _boost(
        self, candidates: dict[int, fuse.Scored], concepts: list[str], weights: rank.Weights
    ) -> None:
        rows = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
        # each concept once, in the order the question names them: a set's order changes
        # with the process's hash seed, and the answer (its ETag) must not
        for concept in dict.fromkeys(concepts):
            boost = weights.concept * self._specificity(concept)
            for row in rows[self._tagged(concept, rows)].tolist():
                candidates[row].concept += boost
                candidates[row].matched += (concept,)

    def _tagged(self, concept: str, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` are tagged with the concept or one below it, or are one of them."""
        family = self.labels.with_narrower(concept)
        own = np.array([self.rows[i] for i in family if i in self.rows], dtype=np.int64)
        tagged = self.columns.any_of("theme", family, rows)
        tagged |= self.columns.any_of("group", family, rows)
        return tagged | np.isin(rows, own)

    def _specificity(self, concept: str) -> float:
        """1 for a concept that tags one unit, falling to 0 for one that tags them all
        (its inverse document frequency over the units, scaled to 0..1): a concept that
        half the corpus is tagged with says little about which unit answers."""
        if concept not in self._specific:
            n = len(self.units)
            tagged = int(self._tagged(concept, np.arange(n)).sum())
            self._specific[concept] = math.log(n / max(tagged, 1)) / math.log(n) if n > 1 else 1.0
        return self._specific[concept]

    # ------------------------------------------------------------ presenting a hit
    def _iri(self, c: fuse.Scored) -> str:
        return self.units[c.row].iri

    def _ref(self, iri: str, lang: str) -> dict[str, str]:
        return {"iri": iri, "label": self.labels.name(iri, lang)}

    def _hits(self, page: list[fuse.Scored], request: SearchRequest, lang: str) -> list[Hit]:
        return [self._hit(c, lang, request.q) for c in page]

    def _hit(self, c: fuse.Scored, lang: str, q: str) -> Hit:
        unit = self.units[c.row]
        # no wording of its own (an instrument known by its titles): its other names
        names = [t for t in unit.text.split(" \n") if t.strip() and t != unit.label]
        snippet = self.snippets(q, unit.wording, fallback=" · ".join(names))
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
