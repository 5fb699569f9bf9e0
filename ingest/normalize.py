"""Text normalisation shared by every extractor: Unicode NFC, one form of quotes,
plain spaces, and lines joined without line-end hyphenation.

NFC (not NFKC) on purpose: NFKC would turn superscripts, fractions and full-width
forms into other characters, and official wording must keep them. Only characters
that carry no text are dropped (soft hyphens, zero-width marks, control codes).
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",  # prime
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)
# Typographic ligatures that PDF fonts emit as one glyph; NFC keeps them, search needs letters.
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb06": "st",
    }
)
# Characters that carry no text: soft hyphen, zero-width space/joiners, word joiner, BOM.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_PREFIXES = {"non", "self", "anti", "ex", "all", "well", "cross", "half", "quasi", "so", "de"}
_HYPHENATED = re.compile(r"(\w+)-$")


def normalize(text: str) -> str:
    """NFC, straight quotes, letters for ligatures, single spaces, trimmed lines."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_QUOTES).translate(_LIGATURES)
    text = _CONTROL.sub("", _INVISIBLE.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip()


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph, undoing line-end hyphenation ("enforce-" +
    "ment" -> "enforcement") but keeping real hyphens ("non-" + "discrimination")."""
    out = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if not out:
            out = line
            continue
        match = _HYPHENATED.search(out)
        if match and line[0].islower() and match.group(1).lower() not in _PREFIXES:
            out = out[:-1] + line
        elif match and line[0].islower():
            out += line  # a compound broken after its hyphen: keep the hyphen, no space
        else:
            out += " " + line
    return out


def one_line(text: str) -> str:
    """A paragraph as a single line (extractors that give several lines per block)."""
    return join_lines(text.split("\n"))
