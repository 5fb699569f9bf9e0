"""Stable identity of an ingested document: its slug, never random. In order: --slug;
the UN document symbol found at the head of the text ("A/HRC/RES/43/1" ->
"a-hrc-res-43-1", with "-fr", "-es" ... for versions in languages other than English,
which share the symbol); the file name ("Statement 2020-12-03.txt" ->
"statement-2020-12-03")."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from kg.iris import check_slug

# UN symbols: series letters, then at least two more parts ("A/RES/47/135", "CERD/C/GC/35").
_SYMBOL = re.compile(r"(?<![\w/])(?:[A-Z]{1,6})(?:/[A-Z0-9][A-Za-z0-9.\-]*){2,}(?![\w/])")
_HEAD = 1500  # symbols sit in the masthead; later ones are citations of other documents


def symbol_in(text: str) -> str | None:
    """The first UN document symbol in the head of the text, if any."""
    match = _SYMBOL.search(text[:_HEAD])
    return match.group(0).rstrip(".") if match else None


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def slug_for(path: Path, text: str, language: str, explicit: str | None) -> str:
    if explicit:
        return check_slug(explicit)
    symbol = symbol_in(text)
    if symbol and slugify(symbol):
        base = slugify(symbol)
        return base if language == "en" else f"{base}-{slugify(language)}"
    return slugify(path.stem) or "document"


def fingerprint(sha256: str, options: dict[str, object]) -> str:
    """What decides whether re-ingesting a file changes anything: its bytes and the options
    that shape its graph. Equal fingerprints: the file is skipped."""
    canonical = json.dumps({"sha256": sha256, **options}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
