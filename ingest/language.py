"""The language of a text when neither --lang nor the file says: the script for Arabic,
Cyrillic and Chinese, and the most frequent function words for English, French and
Spanish (the UN's six languages; enough to choose thesaurus labels and a lemma table)."""

from __future__ import annotations

import re
from collections import Counter

_WORDS = {
    "en": {"the", "of", "and", "to", "in", "that", "is", "for", "on", "with", "by", "as"},
    "fr": {"le", "la", "les", "des", "et", "du", "en", "dans", "pour", "une", "est", "sur"},
    "es": {"el", "la", "los", "las", "del", "y", "en", "para", "una", "por", "con", "que"},
}
_SCRIPTS = (("ar", re.compile(r"[\u0600-\u06ff]")), ("ru", re.compile(r"[\u0400-\u04ff]")),
            ("zh", re.compile(r"[\u4e00-\u9fff]")))  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def guess(text: str, default: str = "en") -> str:
    sample = text[:20000]
    letters = sum(c.isalpha() for c in sample) or 1
    for language, script in _SCRIPTS:
        if len(script.findall(sample)) > letters / 3:
            return language
    words = Counter(w.lower() for w in _WORD.findall(sample))
    scores = {lang: sum(words[w] for w in vocab) for lang, vocab in _WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] else default
