"""The passage table of a release (``passages.sqlite``): every passage of every ingested
document with its IRI, document, order, kind, label, text, language, the provision whose
wording it gives and its tags, for the search layer to index without SPARQL; and the
documents table that ingest consults to skip unchanged files and replace changed ones.

``changes`` lists the passages added and removed by the release that wrote the table, so
that search indexes can be brought up to date without reading everything again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    slug TEXT PRIMARY KEY, iri TEXT NOT NULL, graph TEXT NOT NULL, title TEXT NOT NULL,
    language TEXT NOT NULL, file_name TEXT NOT NULL, media_type TEXT NOT NULL,
    sha256 TEXT NOT NULL, fingerprint TEXT NOT NULL, source_url TEXT, instrument TEXT,
    symbol TEXT, ingested_at TEXT NOT NULL, pages INTEGER NOT NULL, passages INTEGER NOT NULL,
    graph_sha256 TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_fingerprint ON documents (fingerprint);
CREATE TABLE IF NOT EXISTS passages (
    iri TEXT PRIMARY KEY, document TEXT NOT NULL REFERENCES documents (slug),
    ord INTEGER NOT NULL, kind TEXT NOT NULL, label TEXT NOT NULL, heading TEXT NOT NULL,
    text TEXT NOT NULL, language TEXT NOT NULL, provision TEXT, page INTEGER,
    tags TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS passages_order ON passages (document, ord);
CREATE TABLE IF NOT EXISTS mentions (
    passage TEXT NOT NULL REFERENCES passages (iri), target TEXT NOT NULL,
    kind TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (passage, target));
CREATE INDEX IF NOT EXISTS mentions_target ON mentions (target);
CREATE TABLE IF NOT EXISTS changes (
    passage TEXT NOT NULL, document TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('added', 'removed')));
"""


@dataclass(frozen=True)
class DocumentRow:
    slug: str
    iri: str
    graph: str
    title: str
    language: str
    file_name: str
    media_type: str
    sha256: str
    fingerprint: str
    source_url: str | None
    instrument: str | None
    symbol: str | None
    ingested_at: str
    pages: int
    passages: int
    graph_sha256: str


@dataclass(frozen=True)
class PassageRow:
    iri: str
    document: str
    ord: int
    kind: str
    label: str
    heading: str
    text: str
    language: str
    provision: str | None
    page: int | None
    tags: list[dict]  # [{"iri", "kind", "label", "count"}]


class PassageTable:
    """One release's table, opened for writing inside a staged release."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)  # explicit transactions below
        self.db.execute("PRAGMA foreign_keys = ON")
        # The table is written inside a staged release that a crash throws away whole, so
        # no write needs to reach the disk before the release is committed: no fsync per
        # file (that was most of the write time), one in close().
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA journal_mode = MEMORY")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        """Close and flush to disk: the release that holds the table is about to be published."""
        self.db.close()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def start_release(self) -> None:
        """The change list describes one release: the one being staged."""
        self.db.execute("DELETE FROM changes")

    def document(self, slug: str) -> DocumentRow | None:
        row = self.db.execute("SELECT * FROM documents WHERE slug = ?", (slug,)).fetchone()
        return DocumentRow(*row) if row else None

    def by_fingerprint(self, fingerprint: str) -> DocumentRow | None:
        row = self.db.execute(
            "SELECT * FROM documents WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        return DocumentRow(*row) if row else None

    def documents(self) -> list[DocumentRow]:
        return [DocumentRow(*r) for r in self.db.execute("SELECT * FROM documents ORDER BY slug")]

    def put(self, document: DocumentRow, passages: list[PassageRow]) -> None:
        """Add a document, or replace it and all its passages, in one transaction."""
        self.put_many([(document, passages)])

    def put_many(self, documents: list[tuple[DocumentRow, list[PassageRow]]]) -> None:
        """Add or replace several documents with their passages, in one transaction."""
        with self._transaction():
            for document, passages in documents:
                self._insert(document, passages)

    def _insert(self, document: DocumentRow, passages: list[PassageRow]) -> None:
        self._delete(document.slug)
        self.db.execute(
            f"INSERT INTO documents VALUES ({','.join('?' * 16)})",
            tuple(vars(document).values()),
        )
        self.db.executemany(
            "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(*_values(p)[:-1], json.dumps(p.tags, ensure_ascii=False)) for p in passages],
        )
        self.db.executemany(
            "INSERT INTO mentions VALUES (?,?,?,?)",
            [(p.iri, t["iri"], t["kind"], t["count"]) for p in passages for t in p.tags],
        )
        self.db.executemany(
            "INSERT INTO changes VALUES (?, ?, 'added')",
            [(p.iri, document.slug) for p in passages],
        )

    def remove(self, slug: str) -> None:
        with self._transaction():
            self._delete(slug)

    def _delete(self, slug: str) -> None:
        self.db.execute(
            "INSERT INTO changes SELECT iri, document, 'removed' FROM passages WHERE document = ?",
            (slug,),
        )
        self.db.execute(
            "DELETE FROM mentions WHERE passage IN (SELECT iri FROM passages WHERE document = ?)",
            (slug,),
        )
        self.db.execute("DELETE FROM passages WHERE document = ?", (slug,))
        self.db.execute("DELETE FROM documents WHERE slug = ?", (slug,))

    def _transaction(self):
        return _Transaction(self.db)

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]

    def checksum(self) -> str:
        """SHA-256 over the documents and their graphs' checksums: equal for equal content."""
        digest = hashlib.sha256()
        for slug, graph_sha in self.db.execute(
            "SELECT slug, graph_sha256 FROM documents ORDER BY slug"
        ):
            digest.update(f"{slug} {graph_sha}\n".encode())
        return digest.hexdigest()


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _values(row: PassageRow) -> tuple:
    return tuple(vars(row).values())


def read_passages(path: Path, document: str | None = None) -> list[PassageRow]:
    """Passages of a release (read-only), in document order; for search and tests."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        query = "SELECT * FROM passages"
        args: tuple = ()
        if document is not None:
            query, args = query + " WHERE document = ?", (document,)
        rows = db.execute(query + " ORDER BY document, ord", args).fetchall()
    finally:
        db.close()
    return [PassageRow(*r[:-1], json.loads(r[-1])) for r in rows]
