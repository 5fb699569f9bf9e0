"""The tagger: which concepts, instruments, provisions, bodies, UN entities and countries
a text mentions, and how often. Used on every passage at ingest and, by search, on queries.

A blank spaCy pipeline for the text's language with a sentence segmenter and the lookup
lemmatizer (tables from spacy-lookups-data), and two PhraseMatchers compiled from the
graph's own labels (ingest.lexicon): one on exact token text for acronyms, symbols and
country names, one on a normalised form for everything else. The normalised form is the
lower-cased lemma with "of/for/on" folded together, so that "Call to Action on Human
Rights" finds the "Call to Action for Human Rights" and "Law Enforcement Officers" the
label "law enforcement officer". Overlapping matches keep the longest. Citations of
provisions are resolved against the instrument mentions (ingest.citations).

Build one with :meth:`Tagger.from_store`; building costs a second or so (the lookup
tables and a few thousand patterns), tagging is fast, so keep it for many texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from pyoxigraph import Store

from ingest import citations, lexicon
from ingest.lexicon import KINDS, Lexicon, Target
from kg.iris import Iris

if TYPE_CHECKING:  # spaCy (and the torch its thinc imports) loads on the first Tagger, not here
    from spacy.language import Language
    from spacy.tokens import Doc

# Prepositions that titles use interchangeably ("Decade for / of People of African Descent").
_FOLDED = {
    "en": {"of", "for", "on"},
    "fr": {"de", "du", "des", "pour", "sur"},
    "es": {"de", "del", "para", "sobre"},
}


@dataclass(frozen=True)
class Mention:
    """A passage or query mentions ``iri`` (of ``kind``) ``count`` times, first as ``surface``."""

    iri: str
    kind: str
    label: str
    count: int
    surface: str


@cache  # the same for every release: a server keeps one per language, not one per release
def pipeline(language: str) -> Language:
    """Blank model + sentencizer + lookup lemmatizer (where spacy-lookups-data has a table)."""
    import spacy

    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")  # a language spaCy does not know: multi-language tokenizer
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()
    except (ValueError, OSError):  # no lookup table for this language (Arabic, Chinese)
        nlp.remove_pipe("lemmatizer")
        nlp.initialize()
        return nlp
    return nlp


class Tagger:
    def __init__(self, lex: Lexicon, iris: Iris) -> None:
        from spacy.matcher import PhraseMatcher

        self.lexicon, self.iris = lex, iris
        self.language = lex.language
        self.nlp = pipeline(lex.language)
        self._lemmas = _lemma_table(self.nlp)
        self._folded = _FOLDED.get(lex.language, set())
        self._norms: dict[int, int] = {}  # token text -> its NORM (both as string-store keys)
        self._targets: dict[str, dict[str, Target]] = {}
        self._exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._loose = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._compile()

    @classmethod
    def from_store(cls, store: Store, base_iri: str, language: str) -> Tagger:
        iris = Iris(base_iri)
        return cls(lexicon.load(store, iris, language), iris)

    # ------------------------------------------------------------------ building
    def _compile(self) -> None:
        for term in self.lexicon.terms:
            key = ("=" if term.exact else "~") + term.text.lower()
            self._targets.setdefault(key, {})[term.target.iri] = term.target
        exact = sorted(k for k in self._targets if k[0] == "=")
        loose = sorted(k for k in self._targets if k[0] == "~")
        originals = {("=" if t.exact else "~") + t.text.lower(): t.text for t in self.lexicon.terms}
        # one pattern per key; exact patterns keep the original casing
        for key in exact:
            self._exact.add(key, [self.nlp.make_doc(originals[key])])
        docs = self.nlp.pipe([originals[k] for k in loose])
        for key, doc in zip(loose, docs, strict=True):
            self._loose.add(key, [self._normed(doc)])

    def _normed(self, doc: Doc) -> Doc:
        """Set each token's NORM to its folded lower-case lemma (what the loose matcher reads),
        computed once per distinct token text and set as an array: per Token object, this
        loop cost as much as the rest of tagging."""
        from spacy.attrs import NORM, ORTH

        norms = self._norms
        orths = doc.to_array(ORTH).tolist()
        for orth in [o for o in set(orths) if o not in norms]:  # (server threads add to it)
            norms[orth] = self.nlp.vocab.strings.add(self._norm(self.nlp.vocab.strings[orth]))
        doc.from_array([NORM], np.array([norms[o] for o in orths], dtype=np.uint64)[:, None])
        return doc

    def _norm(self, text: str) -> str:
        # what the lookup lemmatizer would set (the table's entry for the text, else the
        # text), preceded by the entry for its lower-case form
        lower = text.lower()
        lemma = self._lemmas.get(lower) or self._lookup(text).lower() or lower
        if isinstance(lemma, list):  # some tables list several lemmas: take the first
            lemma = lemma[0] if lemma else lower
        return "of" if lemma in self._folded else lemma

    def _lookup(self, text: str) -> str:
        if not self._lemmas:  # no lemmatizer for this language: no lemma
            return ""
        found = self._lemmas.get(text, text)
        return found[0] if isinstance(found, list) else found

    # ------------------------------------------------------------------ tagging
    def tag(self, text: str, instrument: str | None = None) -> list[Mention]:
        """Mentions in ``text``; ``instrument`` (an IRI) is what a bare "article 4" cites."""
        return next(self.tag_many([text], instrument))

    def tag_many(
        self, texts: Iterable[str], instrument: str | None = None
    ) -> Iterator[list[Mention]]:
        # the lemmatizer's only reader is _normed, which looks lemmas up itself
        for doc in self.nlp.pipe(texts, batch_size=256, disable=["lemmatizer"]):
            yield self._mentions(self._normed(doc), instrument)

    def _spans(self, doc: Doc) -> list[tuple[int, int, set[str]]]:
        """Matched token spans, longest first where they overlap, each with its keys."""
        found: dict[tuple[int, int], set[str]] = {}
        strings = self.nlp.vocab.strings
        for match_id, start, end in [*self._exact(doc), *self._loose(doc)]:
            found.setdefault((start, end), set()).add(strings[match_id])
        taken = [False] * len(doc)
        kept = []
        for (start, end), keys in sorted(found.items(), key=lambda s: (s[0][0] - s[0][1], s[0][0])):
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                kept.append((start, end, keys))
        return sorted(kept)

    def _mentions(self, doc: Doc, instrument: str | None) -> list[Mention]:
        counts: dict[str, list] = {}

        def count(target: Target, surface: str) -> None:
            entry = counts.setdefault(target.iri, [target, 0, surface])
            entry[1] += 1

        instruments: list[tuple[int, int, str]] = []  # char start, sentence start, IRI
        for start, end, keys in self._spans(doc):
            span = doc[start:end]
            # two labels with one lemma ("disability", "disabilities") match once, not twice
            targets = {iri: t for key in keys for iri, t in self._targets[key].items()}
            for target in targets.values():
                count(target, span.text)
                if target.kind == "instrument":
                    instruments.append((span.start_char, span.sent.start_char, target.iri))
        for cite in citations.find(doc.text):
            cited = self._cited(doc, cite, instruments, instrument)
            iri = cited and citations.provision(
                self.iris, cited, cite.steps, self.lexicon.provisions
            )
            if iri:
                count(self.lexicon.provisions[iri], doc.text[cite.start : cite.end])
        order = {kind: n for n, kind in enumerate(KINDS)}
        mentions = [Mention(t.iri, t.kind, t.label, n, s) for t, n, s in counts.values()]
        return sorted(mentions, key=lambda m: (order.get(m.kind, 99), -m.count, m.label))

    @staticmethod
    def _cited(doc: Doc, cite: citations.Citation, instruments, default: str | None) -> str | None:
        if cite.of_at is not None:  # "article 27 of the X": X or nothing
            return next((iri for at, _, iri in instruments if at == cite.of_at), None)
        if default:
            return default
        sentence = doc.char_span(cite.start, cite.end, alignment_mode="expand")
        if sentence is None:
            return None
        here = {iri for _, sent, iri in instruments if sent == sentence.sent.start_char}
        return next(iter(here)) if len(here) == 1 else None


def _lemma_table(nlp: Language) -> dict[str, str]:
    if "lemmatizer" not in nlp.pipe_names:
        return {}
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup", {})
    return table  # a Table is a Mapping: .get(word) -> lemma


class Taggers:
    """One tagger per language, built on first use from the same store (for a batch)."""

    def __init__(self, store: Store, base_iri: str) -> None:
        self.store, self.base_iri = store, base_iri
        self._by_language: dict[str, Tagger] = {}

    def __call__(self, language: str) -> Tagger:
        if language not in self._by_language:
            self._by_language[language] = Tagger.from_store(self.store, self.base_iri, language)
        return self._by_language[language]
