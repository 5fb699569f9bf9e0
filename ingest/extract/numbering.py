"""How lists number their items ("3.", "(b)", "(iv)"), for formats that keep the number
out of the text (HTML ordered lists, Word automatic numbering)."""

from __future__ import annotations

_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (as browsers and Word count)."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def roman(n: int) -> str:
    out = ""
    for value, numeral in _ROMAN:
        while n >= value:
            out, n = out + numeral, n - value
    return out


def numbered(label: str, text: str) -> str:
    """Put a list number in front of its text unless the text already starts with it."""
    return text if not label or text.startswith(label) else f"{label} {text}"
