"""Worked SPARQL examples for the editor: one ``.rq`` file each in
search_api/queries/, whose leading comment lines give a title, a description
and whether the current data answers it (``# expects: rows`` or
``# expects: corpus`` for queries that need records another issue adds)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "queries"
_HEADER = re.compile(r"^#\s*(title|description|expects):\s*(.*)$")


@dataclass(frozen=True)
class Example:
    """One worked query: ``name`` is its file stem, ``text`` the query itself."""

    name: str
    title: str
    description: str
    expects: str  # "rows": the embedded corpus answers it; "corpus": needs more records
    text: str


def parse(name: str, source: str) -> Example:
    header: dict[str, str] = {}
    for line in source.splitlines():
        found = _HEADER.match(line)
        if not found:
            break
        key, value = found.groups()
        header[key] = (header.get(key, "") + " " + value).strip()
    missing = {"title", "description"} - set(header)
    if missing:
        raise ValueError(f"example {name}.rq lacks a '# {sorted(missing)[0]}:' line")
    return Example(
        name, header["title"], header["description"], header.get("expects", "rows"), source
    )


def editor_text(example: Example, known: dict[str, str]) -> str:
    """The query as the editor shows it: PREFIX lines for the predeclared prefixes it
    uses (so it runs anywhere and the editor knows them), without the header comments."""
    body = "\n".join(line for line in example.text.splitlines() if not _HEADER.match(line)).strip()
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", body)}
    used = dict.fromkeys(re.findall(r"(?<![\w<?$\"/#])([a-z][\w-]*):(?!//)", body))
    lines = [f"PREFIX {p}: <{known[p]}>" for p in used if p in known and p not in declared]
    return "\n".join([f"# {example.title}", *lines, "", body]) + "\n"


@cache
def examples(folder: Path = FOLDER) -> tuple[Example, ...]:
    """Every example, in file-name order (the files are numbered)."""
    return tuple(
        parse(path.stem, path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.rq"))
    )
