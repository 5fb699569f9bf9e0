"""Where the ontology and corpus that ship with normgraph live.

In a wheel they sit inside the package (``kg/_data/``, see pyproject.toml); in a
source checkout they are the top-level ``ontology/`` and ``corpus/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def ontology_dir() -> Path:
    return _find("ontology")


def corpus_dir() -> Path:
    return _find("corpus")
