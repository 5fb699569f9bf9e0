"""French and Spanish queries put into English, the language of the corpus's text,
so that both the English-only embedding model and BM25 can read them.

Two sources, the graph's first: what the query names (an instrument's French title,
a body's Spanish name, a theme's label, as the tagger finds them) becomes that
thing's English label; the rest goes word by word, longest phrase first, through the
project's glossary (``glossary.tsv``: the corpus's English vocabulary and the field's
terms with their French and Spanish equivalents). Words are compared as Snowball
stems without accents, so "raciaux" finds "racial" and "minorias" finds "minorías".
A word the glossary does not know is kept (names, numbers, cognates); a function
word is dropped."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

import tantivy

LANGUAGES = {"fr": "french", "es": "spanish"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# words dropped before the glossary: articles, prepositions, pronouns; not the question
# words ingest.language tells languages apart by, which the glossary translates
_FUNCTION = {
    "fr": set(
        "le la les l un une des du de d au aux et ou à a en dans par pour sur avec ce cet "
        "cette ces se sa son ses leur leurs qu que est sont être il elle ils elles on y".split()
    ),
    "es": set(
        "el la los las lo un una unos unas de del al y o e a en por para con se su sus "
        "que es son ser está están le les".split()
    ),
}


class Glossary:
    """Stemmed French or Spanish phrases -> their English term."""

    def __init__(self, rows: Iterable[dict[str, str]], lang: str) -> None:
        self.lang = lang
        self._analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())  # before the stemmer: users drop accents
            .filter(tantivy.Filter.stemmer(LANGUAGES[lang]))
            .build()
        )
        self.terms: dict[tuple[str, ...], str] = {}
        for row in rows:
            for variant in row[lang].split("|"):
                key = self.key(variant)
                if key:
                    self.terms.setdefault(key, row["en"])
        self.longest = max((len(k) for k in self.terms), default=0)

    def key(self, text: str) -> tuple[str, ...]:
        words = [w for w in _WORD.findall(text.lower()) if w not in _FUNCTION[self.lang]]
        return tuple(self.stem(w) for w in words)

    def stem(self, word: str) -> str:
        return "".join(self._analyzer.analyze(word))

    def __call__(self, text: str) -> str:
        words = [w for w in _WORD.findall(text) if w.lower() not in _FUNCTION[self.lang]]
        stems = [self.stem(w) for w in words]
        out, at = [], 0
        while at < len(words):
            for size in range(min(self.longest, len(words) - at), 0, -1):
                english = self.terms.get(tuple(stems[at : at + size]))
                if english:
                    out.append(english)
                    at += size
                    break
            else:
                out.append(words[at])
                at += 1
        return " ".join(out)


@cache
def glossary(lang: str) -> Glossary | None:
    """The glossary for ``lang`` (None for a language it does not cover), read once."""
    if lang not in LANGUAGES:
        return None
    text = resources.files("search_api.search").joinpath("glossary.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return Glossary(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), lang)


def to_english(text: str, lang: str, named: list[tuple[str, str]]) -> str:
    """``text`` in English: each named (surface, English label) pair replaced, the words
    between them through the glossary of ``lang`` (kept as they are if there is none)."""
    words = glossary(lang)
    pieces, rest = [], text
    for surface, english in sorted(named, key=lambda n: text.find(n[0])):
        before, found, after = rest.partition(surface)
        if not found:
            continue
        pieces += [words(before) if words else before, english]
        rest = after
    pieces.append(words(rest) if words else rest)
    return " ".join(p.strip() for p in pieces if p.strip())
