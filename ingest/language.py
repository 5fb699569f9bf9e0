"""The language of a text when neither the user nor the file says: Arabic, Russian and
Chinese by their scripts; English, French and Spanish by their function words, their
letters and, where the graph's labels are given, the words only one language's labels
use ("raciale", "odio"). A whole document and a three-word query are told apart the
same way; with no sign of French or Spanish a text is English, the corpus's language."""

from __future__ import annotations

import re
from collections import defaultdict

from pyoxigraph import Store

_SCRIPTS = (("ar", re.compile(r"[\u0600-\u06ff]")), ("ru", re.compile(r"[\u0400-\u04ff]")),
            ("zh", re.compile(r"[\u4e00-\u9fff]")))  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# function words frequent in one language and rare in the others ("la", "en", "que" are
# common to French and Spanish, so they tell nothing apart and are left out)
_WORDS = {
    "en": set(
        "the of and to in is are for on with what who how can does do which by be an "
        "their they there this that from when where why should may must".split()
    ),
    "fr": set(
        "le les des du une est sont et dans pour sur aux au qui quoi quel quelle "
        "quels quelles comment peut peuvent ce cette ces leur leurs pas être avec par "
        "où d l qu sa ses".split()
    ),
    "es": set(
        "el los las del una unos unas es y para por con qué quién quiénes cómo "
        "cuál cuáles puede pueden este esta estos estas su sus al lo dónde cuándo "
        "hay".split()
    ),
}
_LETTERS = {"fr": set("àâçèêëîïôûœ"), "es": set("ñáíóú¿¡")}
_LITERALS = 'SELECT DISTINCT ?text WHERE { ?s ?p ?text FILTER(LANG(?text) = "%s") }'

Vocabulary = dict[str, set[str]]  # language -> words that only its labels in the graph use


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("'", " ").replace("\u2019", " "))]


def vocabulary(store: Store) -> Vocabulary:
    """The words of the graph's English, French and Spanish literals, each kept only for
    the one language that uses it."""
    seen: dict[str, set[str]] = defaultdict(set)
    for lang in _WORDS:
        for row in store.query(_LITERALS % lang, use_default_graph_as_union=True):
            for word in _words(row["text"].value):
                seen[word].add(lang)
    out: Vocabulary = {lang: set() for lang in _WORDS}
    for word, langs in seen.items():
        if len(langs) == 1 and len(word) > 2:
            out[next(iter(langs))].add(word)
    return out


def guess(text: str, default: str = "en", known: Vocabulary | None = None) -> str:
    """en, fr, es, ar, ru or zh: the language ``text`` is most likely written in."""
    sample = text[:20000]
    letters = sum(c.isalpha() for c in sample) or 1
    for language, script in _SCRIPTS:
        if len(script.findall(sample)) > letters / 3:
            return language
    words = _words(sample)
    score = {lang: sum(w in vocab for w in words) for lang, vocab in _WORDS.items()}
    for lang, only in (known or {}).items():
        score[lang] += sum(w in only for w in words)
    lowered = sample.lower()
    for lang, accents in _LETTERS.items():
        score[lang] += sum(ch in accents for ch in lowered)
    best = max(("fr", "es"), key=lambda lang: score[lang])
    if score[best] > score["en"]:
        return best
    return "en" if score["en"] else default
