"""Snippets: the sentence of a unit's own wording (its summary, description or
official text) that matches most of the query's words, with those words in <b>;
the wording's first sentence when none matches. Never the title again, nor a run
of alternative labels: those are in the hit's label and tags already."""

from __future__ import annotations

import html
import re

import tantivy

SNIPPET_CHARS = 240
KNOWN_WORDS = 100_000  # stems remembered (a few MB); past that, words are stemmed each time
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[\"'(\[A-Z0-9])")
_WORD = re.compile(r"\w+", re.UNICODE)


class Snippets:
    """Words compared as the lexical index compares them: lower-cased English stems."""

    def __init__(self) -> None:
        simple = tantivy.Tokenizer.simple()
        self._stem = (
            tantivy.TextAnalyzerBuilder(simple)
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer("english"))
            .build()
        )
        self._known: dict[str, str] = {}
        self._terms = (
            tantivy.TextAnalyzerBuilder(simple)
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stopword("english"))
            .filter(tantivy.Filter.stemmer("english"))
            .build()
        )

    def __call__(self, query: str, wording: str, fallback: str = "") -> str:
        """HTML: the best sentence of ``wording`` (else of ``fallback``), words marked."""
        sentences = [s for s in _SENTENCE.split(wording or fallback) if s.strip()]
        if not sentences:
            return ""
        terms = set(self._terms.analyze(query))
        matched = [len(terms & self._stems(s)) for s in sentences]
        best = max(range(len(sentences)), key=lambda i: (matched[i], -i))  # earliest of the best
        return self._mark(_cut(sentences[best]), terms)

    def _stems(self, text: str) -> set[str]:
        return {self._word_stem(w) for w in _WORD.findall(text)}

    def _word_stem(self, word: str) -> str:
        """One word's stem, remembered: the same words come back in every snippet."""
        stem = self._known.get(word)
        if stem is None:
            stem = "".join(self._stem.analyze(word))
            if len(self._known) < KNOWN_WORDS:
                self._known[word] = stem
        return stem

    def _mark(self, text: str, terms: set[str]) -> str:
        # a word (letters, digits, _) has nothing to escape: the text is escaped in runs
        # between the marked words, not word by word
        out, at = [], 0
        for match in _WORD.finditer(text):
            if self._word_stem(match.group()) in terms:
                out.append(html.escape(text[at : match.start()]))
                out.append(f"<b>{match.group()}</b>")
                at = match.end()
        out.append(html.escape(text[at:]))
        return "".join(out)


def _cut(text: str, limit: int = SNIPPET_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"
