"""ontology/ + corpus/ -> a new release (docs/architecture.md, "The release model").

Load every source file into its own named graph, validate with SHACL (a
violation stops the build before anything is written), materialise the
entailments into their own graph, write the store in a staging directory,
and commit: the `current` switch is the last, atomic step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Quad

from kg import store as stores
from kg import version
from kg.config import Settings
from kg.corpus import read_corpus
from kg.errors import CorpusError, ValidationFailed
from kg.iris import Iris
from kg.progress import Progress
from kg.reason import entailments
from kg.release import Finalizer, Manifest, Release, Releases, copy_sqlite, new_release_id
from kg.sources import SourceGraph, read_turtle_dir
from kg.validate import validate
from kg.vocab import EXTERNAL

SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class Inputs:
    ontology_dir: Path
    corpus_dir: Path


@dataclass
class Loaded:
    ontology: list[SourceGraph]
    shapes: SourceGraph
    corpus: list[SourceGraph]

    @property
    def data(self) -> list[SourceGraph]:
        """What SHACL validates and the reasoner reads: all but the shapes."""
        return [*self.ontology, *self.corpus]

    @property
    def sources(self) -> list[SourceGraph]:
        return [*self.ontology, self.shapes, *self.corpus]


def load(inputs: Inputs, iris: Iris, progress: Progress) -> Loaded:
    with progress.step(f"reading ontology from {inputs.ontology_dir}") as step:
        turtle = read_turtle_dir("ontology", inputs.ontology_dir, iris)
        shapes = [s for s in turtle if s.name == SHAPES_FILE]
        if not shapes:
            raise CorpusError(inputs.ontology_dir, None, f"has no {SHAPES_FILE}")
        ontology = [s for s in turtle if s.name != SHAPES_FILE]
        step.done(f"{len(turtle)} files, {sum(len(s.triples) for s in turtle)} triples")
    with progress.step(f"reading corpus from {inputs.corpus_dir}") as step:
        corpus = read_corpus(inputs.corpus_dir, iris)
        step.done(f"{len(corpus)} files, {sum(len(s.triples) for s in corpus)} triples")
    return Loaded(ontology=ontology, shapes=shapes[0], corpus=corpus)


def check(inputs: Inputs, iris: Iris, progress: Progress) -> Loaded:
    """Load and validate; raises ValidationFailed naming file, resource and rule."""
    loaded = load(inputs, iris, progress)
    with progress.step("validating with SHACL") as step:
        violations = validate(loaded.data, loaded.shapes, iris)
        if violations:
            step.done(f"{len(violations)} violation(s)")
            raise ValidationFailed(violations)
        step.done("conforms")
    return loaded


def _ontology_facts(loaded: Loaded, iris: Iris) -> dict[str, str]:
    ontology = iris.ontology().value
    facts = {"iri": ontology, "version": "", "version_iri": ""}
    for source in loaded.ontology:
        for t in source.triples:
            if t.subject.value == ontology and t.predicate.value == EXTERNAL["owl"] + "versionInfo":
                facts["version"] = t.object.value
            if t.subject.value == ontology and t.predicate.value == EXTERNAL["owl"] + "versionIRI":
                facts["version_iri"] = t.object.value
    return facts


@dataclass
class Carried:
    inputs: list[dict[str, str]]
    checksums: dict[str, str]


def carry_documents(base: Release | None, store, target: Path, iris: Iris) -> Carried:
    """Ingested documents live on across builds: their named graphs and the passage table
    are copied from the current release (not re-read, so their tags are those of the
    thesaurus they were ingested with; `normgraph ingest --force` re-tags them)."""
    if base is None or base.manifest.base_iri != iris.base:
        return Carried([], {})  # a new base IRI: the old documents' IRIs no longer apply
    prefix = iris.document_graph_prefix()
    old = stores.open_read_only(base)
    graphs = [g for g in old.named_graphs() if g.value.startswith(prefix)]
    for graph in graphs:
        store.bulk_extend(old.quads_for_pattern(None, None, None, graph))
    store.flush()
    del old
    if base.passages_path.is_file():
        copied = target / base.passages_path.name
        copy_sqlite(base.passages_path, copied)
        with closing(sqlite3.connect(copied)) as db, db:
            # the table's change list says what the release that wrote it changed: a build
            # changes no passage (ingest/passages.py owns the schema)
            db.execute("DELETE FROM changes")
    names = {g.value for g in graphs}
    inputs = [i for i in base.manifest.inputs if i["graph"] in names]
    sums = {k: v for k, v in base.manifest.checksums.items() if k == "documents_sha256"}
    return Carried(inputs, sums if graphs else {})


def build(
    settings: Settings,
    inputs: Inputs,
    progress: Progress,
    keep: int = 3,
    finalize: Finalizer | None = None,
) -> Release:
    """Build and commit a release; on any failure the current release stays as it was."""
    iris = Iris(settings.base_iri)
    loaded = check(inputs, iris, progress)
    with progress.step("reasoning (OWL 2 RL)") as step:
        entailed = entailments(loaded.data)
        step.done(f"{len(entailed)} entailed triples")
    releases = Releases(settings.release_dir)
    base = releases.current() if releases.exists() else None
    previous = base.id if base else None
    with releases.stage() as stage:
        with progress.step(f"writing store in {stage.path}") as step:
            store = stores.create(stage.store_path)
            quads = [q for s in loaded.sources for q in s.quads()]
            graph = iris.graph("entailments")
            quads += [Quad(t.subject, t.predicate, t.object, graph) for t in entailed]
            store.bulk_extend(quads)
            store.flush()
            checksum = stores.checksum(store)
            carried = carry_documents(base, store, stage.path, iris)
            counts = stores.census(store, iris)
            del store  # close RocksDB before the directory is renamed
            step.done(f"{counts['triples']} triples in {counts['graphs']} graphs")
        content = hashlib.sha256("".join(sorted([checksum, *carried.checksums.values()])).encode())
        manifest = Manifest(
            release_id=new_release_id(checksum if not carried.inputs else content.hexdigest()),
            created_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            normgraph_version=version(),
            base_iri=settings.base_iri,
            ontology=_ontology_facts(loaded, iris),
            counts=counts,
            inputs=[
                {"file": f"{kind}/{s.name}", "graph": s.graph.value, "sha256": s.sha256}
                for kind, group in (
                    ("ontology", [*loaded.ontology, loaded.shapes]),
                    ("corpus", loaded.corpus),
                )
                for s in group
            ]
            + carried.inputs,
            checksums={"nquads_sha256": checksum, **carried.checksums},
            previous=previous,
        )
        if finalize is not None:
            finalize(stage.path, manifest, base.path if base else None, progress)
        with progress.step("committing") as step:
            release = stage.commit(manifest, keep=keep)
            step.done(f"current -> {release.id}")
    return release
