"""Files in, a new release out (docs/architecture.md: "documents --ingest--> new release").

The new release is staged as a copy of the current one (kg.release, the store's backup
facility), each file is read, segmented, aligned, tagged and turned into its own named
graph and passage rows *before* anything is written (:meth:`Session.prepare`, pure), then
written in one store transaction and one table transaction (:meth:`Session.write`); a
file that fails is reported and leaves no trace. Only when every file is through is the
release committed and `current` switched; a crash at any point leaves the previous
release current. An unchanged file (same bytes, same options) is skipped, and a run
that changes nothing makes no release.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Store

from ingest import align as aligning
from ingest import document as documents
from ingest.analysis import LANGUAGE_CODE, Ahead, Analysed, Crashed, analyse
from ingest.entailment import Entailment
from ingest.errors import Rejected
from ingest.extract import claimed_format, read_bytes
from ingest.identity import fingerprint, slug_for, symbol_in
from ingest.passages import DocumentRow, PassageRow, PassageTable
from ingest.provenance import Source
from ingest.report import Outcome, Report
from ingest.segment import Segment, title_of
from ingest.shapes import DocumentCheck
from ingest.tagging import Taggers
from kg import version
from kg.config import Settings
from kg.errors import NormgraphError
from kg.export import read_dump
from kg.iris import Iris, check_slug
from kg.progress import Progress
from kg.release import Finalizer, Manifest, Release, Releases, Stage, new_release_id
from kg.store import census
from kg.vocab import expand

_BULK = 20_000  # quads; from here on the store's bulk loader beats a transaction
_BATCH_QUADS, _BATCH_FILES = 100_000, 500  # a batch of files is written when either is reached
_AHEAD_FROM = 8  # files: fewer do not pay for starting the worker (spaCy loads in it)
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class Options:
    """What the user said about the files; all but None values shape the graph."""

    instrument: str | None = None
    slug: str | None = None
    language: str | None = None
    title: str | None = None
    source_url: str | None = None

    def check(self, files: int) -> None:
        if self.instrument is not None:
            _checked(check_slug, self.instrument, "--instrument")
        if self.slug is not None:
            _checked(check_slug, self.slug, "--slug")
        if self.language is not None and not LANGUAGE_CODE.match(self.language):
            raise NormgraphError(
                f"--lang {self.language!r}: give a language code such as en, fr, es"
            )
        if self.source_url is not None and not _URL.match(self.source_url):
            raise NormgraphError(f"--source-url {self.source_url!r}: give an absolute http(s) URL")
        single = [name for name, value in (("--slug", self.slug), ("--title", self.title),
                  ("--source-url", self.source_url)) if value]  # fmt: skip
        if single and files != 1:
            raise NormgraphError(f"{', '.join(single)} name one document: give exactly one file")


def _checked(check: Callable[[str], str], value: str, option: str) -> None:
    try:
        check(value)
    except ValueError as error:
        raise NormgraphError(f"{option}: {error}") from None


@dataclass
class _Prepared:
    path: Path
    document: documents.Document
    row: DocumentRow
    passages: list[PassageRow]
    quads: list  # the document graph (documents.quads), entailments included
    warnings: list[str]


def discover(paths: list[Path]) -> tuple[list[Path], list[Outcome]]:
    """Files named, and files in folders named (recursively, hidden ones left out), in a
    stable order; a path that does not exist is a failed outcome."""
    files: dict[Path, None] = {}
    missing = []
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if found.is_file() and not hidden:
                    files.setdefault(found, None)
        elif path.is_file():
            files.setdefault(path, None)
        else:
            missing.append(Outcome(str(path), "failed", reason="no such file or folder"))
    return list(files), missing


class Session:
    """One run of ingest or remove, writing into one staged release."""

    def __init__(
        self, stage: Stage, settings: Settings, progress: Progress, force: bool = False
    ) -> None:
        assert stage.base is not None, "ingest stages from the current release"
        self.stage, self.base, self.progress = stage, stage.base, progress
        self.max_bytes = settings.max_ingest_bytes
        self.iris = Iris(self.base.manifest.base_iri)  # the release's base, not the setting's
        self.store = Store(str(stage.store_path))
        self.table = PassageTable(stage.passages_path)
        self.table.start_release()
        self.taggers = Taggers(self.store, self.iris.base)
        self.shapes = DocumentCheck(self.store, self.iris)
        self.entailment = Entailment(self.store, self.iris)
        self.structures: dict[str, aligning.Structure] = {}
        self.claimed: dict[str, str] = {}  # slug -> file that took it in this run
        self.timings: Counter = Counter()
        self.changed = False
        self.force = force  # re-ingest unchanged files too (to re-tag with a newer thesaurus)
        self.software_version = version()  # read from the package metadata: once, not per file
        self.pending: list[_Prepared] = []  # prepared files not yet written (see flush)
        self.pending_quads = 0
        self._copy: Store | None = None  # the staged quads in memory, for the dumps (copy)
        self.ahead: Ahead | None = None  # a worker analysing the next files (read_ahead)

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[phase] += time.perf_counter() - started

    # ------------------------------------------------------------------ one file
    def ingest(self, path: Path, options: Options) -> Outcome:
        try:
            prepared = self.prepare(path, options)
        except Rejected as error:
            return Outcome(str(path), "failed", reason=error.reason)
        except NormgraphError:
            raise  # the user's options, not this file: stop the run, nothing is committed
        except Exception as error:  # a bug on one odd file must not stop the batch
            kind = error.kind if isinstance(error, Crashed) else type(error).__name__
            reason = f"could not be read ({kind}: {error}); please report this"
            return Outcome(str(path), "failed", reason=reason)
        if isinstance(prepared, DocumentRow):
            reason = f"unchanged since it was ingested as {prepared.slug}"
            return Outcome(str(path), "skipped", slug=prepared.slug, reason=reason)
        with self.timed("write"):
            status = self.write(prepared)
        return Outcome(
            str(path),
            status,
            slug=prepared.document.slug,
            passages=len(prepared.passages),
            pages=prepared.document.pages,
            warnings=prepared.warnings,
        )

    def prepare(self, path: Path, options: Options) -> _Prepared | DocumentRow:
        """Everything about the file, computed without writing anything."""
        claimed_format(path)
        with self.timed("read"):
            data = read_bytes(path, self.max_bytes)
        sha256 = hashlib.sha256(data).hexdigest()
        key = fingerprint(sha256, asdict(options))
        unchanged = self.table.by_fingerprint(key)
        if unchanged is not None and not self.force and unchanged.slug not in self.claimed:
            return unchanged
        analysed = self.ahead.take(path, sha256, lambda: self.timed("wait")) if self.ahead else None
        if analysed is None:
            analysed = analyse(path, data, options.language, self.instrument(options), self.taggers)
        for phase, took in analysed.timings.items():  # the worker's, when it analysed the file
            self.timings[phase] += took
        extracted, segments, language = analysed.extracted, analysed.segments, analysed.language
        head = extracted.head + "\n" + "\n".join(b.text for b in extracted.blocks[:40])
        slug = slug_for(path, head, language, options.slug)
        if slug in self.claimed:
            raise Rejected(
                path,
                f"its slug would be {slug!r}, which {self.claimed[slug]} already took in this "
                "run; ingest it on its own with --slug",
            )
        doc = documents.Document(
            slug=slug,
            title=options.title or extracted.title or title_of(extracted.blocks) or path.stem,
            language=language,
            source=Source(
                sha256=sha256,
                file_name=path.name,
                media_type=extracted.media_type,
                source_url=options.source_url,
                ingested_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                software_version=self.software_version,
            ),
            pages=extracted.pages,
            symbol=symbol_in(head),
        )
        warnings, provision_of = self._align(doc, segments, options, path)
        self._passages(doc, segments, analysed, provision_of)
        with self.timed("check"):  # the shapes' data rules; the rest hold by construction
            violations = self.shapes.check(doc)
        if violations:
            raise Rejected(path, f"the graph made from it breaks a SHACL shape: {violations[0]}")
        with self.timed("graph"):
            quads = documents.quads(doc, self.iris)
            quads += self.entailment.quads(quads)
            row, passages = _rows(doc, self.iris, key, documents.checksum(quads))
        return _Prepared(path, doc, row, passages, quads, warnings)

    def _align(
        self, doc: documents.Document, segments: list[Segment], options: Options, path: Path
    ) -> tuple[list[str], dict[int, str]]:
        """Mismatch warnings, and which segment gives the wording of which provision."""
        if not options.instrument:
            return [], {}
        slug = options.instrument
        self.flush()  # _check_no_other_wording reads the official texts written so far
        found = self.structure(slug)
        alignment = aligning.align(segments, found, self.iris)
        if not alignment.official:
            raise Rejected(
                path, f"none of its articles or paragraphs matches a provision of {slug}"
            )
        self._check_no_other_wording(doc, alignment.official, path)
        doc.instrument = found.iri
        doc.official = alignment.official
        return alignment.mismatches(slug), alignment.provision_of

    def structure(self, slug: str) -> aligning.Structure:
        if slug not in self.structures:
            self.structures[slug] = aligning.structure(self.store, self.iris, slug)
        return self.structures[slug]

    def _check_no_other_wording(
        self, doc: documents.Document, official: dict[str, str], path: Path
    ) -> None:
        """One official wording per provision and language: another document's stays."""
        own = self.iris.document_graph(doc.slug)
        prop = expand("ng:officialText", self.iris.base)
        for iri in sorted(official):
            for quad in self.store.quads_for_pattern(NamedNode(iri), prop, None, None):
                if quad.object.language == doc.language and quad.graph_name != own:
                    other = quad.graph_name.value.rsplit("/", 1)[-1]
                    raise Rejected(
                        path,
                        f"{self.iris.local(iri)} already has official {doc.language} text from "
                        f"document {other!r}; run `normgraph remove {other}` first, or ingest "
                        f"this file with --slug {other} to replace it",
                    )

    def instrument(self, options: Options) -> str | None:
        """The IRI a bare "article 4" cites: the instrument the files are aligned with."""
        return self.structure(options.instrument).iri if options.instrument else None

    def read_ahead(self, files: list[Path], options: Options) -> None:
        """Hand the next files to the worker, up to its window; one that is refused or
        unchanged is left for prepare() to report, as in a serial run."""
        while self.ahead is not None and self.ahead.room() and files:
            path = files.pop(0)
            try:
                claimed_format(path)
                with self.timed("read"):
                    data = read_bytes(path, self.max_bytes)
            except Exception:  # prepare() reads it again and reports it in its turn
                continue
            sha256 = hashlib.sha256(data).hexdigest()
            if not self.force and self.table.by_fingerprint(fingerprint(sha256, asdict(options))):
                continue
            self.ahead.submit(path, sha256, data, options.language, self.instrument(options))

    def _passages(
        self,
        doc: documents.Document,
        segments: list[Segment],
        analysed: Analysed,
        provision_of: dict[int, str],
    ) -> None:
        if analysed.tag_error is not None:
            raise analysed.tag_error
        mentions = analysed.mentions
        for n, (seg, found) in enumerate(zip(segments, mentions, strict=True), start=1):
            doc.passages.append(
                documents.Passage(
                    n=n,
                    kind=seg.kind,
                    label=seg.label or f"passage {n}",
                    heading=seg.heading,
                    text=seg.text,
                    page=seg.page,
                    provision=provision_of.get(n - 1),
                    mentions=found,
                )
            )

    def write(self, prepared: _Prepared) -> str:
        """Replace the document's graph and rows: the old graph goes now, the new one is
        written with its batch (flush). A failure aborts the whole run (the staged release
        is dropped), so a file is never left half-written."""
        slug = prepared.document.slug
        graph = self.iris.document_graph(slug)
        existed = self.table.document(slug) is not None or self.store.contains_named_graph(graph)
        if existed:
            self.store.remove_graph(graph)
            self.copy().remove_graph(graph)
        self.pending.append(prepared)
        self.pending_quads += len(prepared.quads)
        if self.pending_quads >= _BATCH_QUADS or len(self.pending) >= _BATCH_FILES:
            self.flush()
        self.claimed[slug] = str(prepared.path)
        self.changed = True
        return "replaced" if existed else "added"

    def flush(self) -> None:
        """Write the pending files: one store transaction (or bulk load) and one table
        transaction for the batch; per file, their fixed costs were most of the writing."""
        if not self.pending:
            return
        quads = [q for p in self.pending for q in p.quads]
        if len(quads) > _BULK:
            # the bulk loader: several times faster on big batches but with a fixed cost
            # per call that small ones would pay; atomicity comes from the staged release,
            # which a failure here throws away whole
            self.store.bulk_extend(quads)
        else:
            self.store.extend(quads)
        self.copy().extend(quads)
        self.table.put_many([(p.row, p.passages) for p in self.pending])
        self.pending, self.pending_quads = [], 0

    # ------------------------------------------------------------------ remove
    def remove(self, slug: str) -> Outcome:
        row = self.table.document(slug)
        self.store.remove_graph(self.iris.document_graph(slug))
        self.copy().remove_graph(self.iris.document_graph(slug))
        self.table.remove(slug)
        self.changed = True
        return Outcome(row.file_name if row else slug, "removed", slug=slug, passages=0)

    def copy(self) -> Store:
        """The staged store's quads in memory: the base release's dump, then every change
        made to the store. The dumps are written from it (kg.export.write_dumps)."""
        if self._copy is None:
            self._copy = read_dump(self.base.path)
        return self._copy

    # ------------------------------------------------------------------ commit
    def commit(self, keep: int, finalize: Finalizer | None = None) -> Release:
        base = self.base.manifest
        with self.timed("write"):
            self.flush()
        # RocksDB keeps recent writes in its log; readers open the release read-only and
        # would not see them (nor would the next ingest's backup): write them out now
        self.store.flush()
        counts = census(self.store, self.iris)
        documents_sha = self.table.checksum()
        prefix = self.iris.document_graph_prefix()
        inputs = [i for i in base.inputs if not i["graph"].startswith(prefix)]
        inputs += [
            {"file": f"documents/{d.file_name}", "graph": d.graph, "sha256": d.sha256}
            for d in self.table.documents()
        ]
        checksums = {
            "nquads_sha256": base.checksums.get("nquads_sha256", ""),
            "documents_sha256": documents_sha,
        }
        content = hashlib.sha256("".join(sorted(checksums.values())).encode()).hexdigest()
        manifest = Manifest(
            release_id=new_release_id(content),
            created_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            normgraph_version=version(),
            base_iri=base.base_iri,
            ontology=base.ontology,
            counts=counts,
            inputs=inputs,
            checksums=checksums,
            previous=base.release_id,
        )
        self.close()
        if finalize is not None:  # the search indexes, refreshed by the layer that owns them
            finalize(self.stage.path, manifest, self.base.path, self.progress)
        return self.stage.commit(manifest, keep=keep, copy=self.copy())

    def close(self) -> None:
        """Let go of the store (RocksDB must be closed before its directory is renamed)."""
        self.table.close()
        self.taggers = self.shapes = self.entailment = self.store = None  # type: ignore[assignment]
        gc.collect()


def _rows(doc: documents.Document, iris: Iris, key: str, graph_sha: str):
    tags = {
        p.n: [
            {"iri": m.iri, "kind": m.kind, "label": m.label, "count": m.count} for m in p.mentions
        ]
        for p in doc.passages
    }
    row = DocumentRow(
        slug=doc.slug,
        iri=iris.document(doc.slug).value,
        graph=iris.document_graph(doc.slug).value,
        title=doc.title,
        language=doc.language,
        file_name=doc.source.file_name,
        media_type=doc.source.media_type,
        sha256=doc.source.sha256,
        fingerprint=key,
        source_url=doc.source.source_url,
        instrument=doc.instrument,
        symbol=doc.symbol,
        ingested_at=doc.source.ingested_at,
        pages=doc.pages,
        passages=len(doc.passages),
        graph_sha256=graph_sha,
    )
    passages = [
        PassageRow(
            iri=iris.passage(doc.slug, p.n).value,
            document=doc.slug,
            ord=p.n,
            kind=p.kind,
            label=p.label,
            heading=p.heading,
            text=p.text,
            language=doc.language,
            provision=p.provision,
            page=p.page,
            tags=tags[p.n],
        )
        for p in doc.passages
    ]
    return row, passages


# ---------------------------------------------------------------------- entry points
def ingest(
    settings: Settings,
    paths: list[Path],
    options: Options,
    progress: Progress,
    keep: int = 3,
    force: bool = False,
    finalize: Finalizer | None = None,
    ahead: bool | None = None,
) -> Report:
    """``ahead``: analyse the next files in a worker process while one is written (by
    default from _AHEAD_FROM files on); the outcome is the same either way. The worker is
    spawned, so a script calling this guards its entry point (``if __name__ ==
    "__main__"``) as multiprocessing asks, or passes ahead=False."""
    files, report_missing = discover(paths)
    options.check(len(files) + len(report_missing))
    report = Report(outcomes=list(report_missing))
    releases = Releases(settings.release_dir)
    with releases.stage(from_current=True) as stage:
        worker = None
        if ahead if ahead is not None else len(files) >= _AHEAD_FROM:
            # started first: it loads spaCy while this process opens the staged release
            worker = Ahead(stage.base.store_path, stage.base.manifest.base_iri)
        try:
            session = Session(stage, settings, progress, force=force)
            session.ahead = worker
            if options.instrument:
                session.structure(options.instrument)  # an unknown instrument stops the run
            bar = progress.bar(len(files))
            waiting = list(files)
            for path in files:
                session.read_ahead(waiting, options)
                outcome = session.ingest(path, options)
                report.outcomes.append(outcome)
                bar.advance(path.name, outcome.passages)
            bar.close()
        finally:
            if worker is not None:
                worker.close()
        if session.changed:
            with progress.step("committing the new release") as step:
                report.release = session.commit(keep, finalize)
                step.done(f"current -> {report.release.id}")
        else:
            session.close()
        report.timings = session.timings
    return report


def remove(
    settings: Settings,
    slugs: list[str],
    progress: Progress,
    keep: int = 3,
    finalize: Finalizer | None = None,
) -> Report:
    """Take documents out; an unknown slug is an error and nothing is removed."""
    report = Report()
    releases = Releases(settings.release_dir)
    with releases.stage(from_current=True) as stage:
        session = Session(stage, settings, progress)
        unknown = [s for s in slugs if session.table.document(s) is None]
        if unknown:
            known = ", ".join(d.slug for d in session.table.documents()[:20]) or "none"
            session.close()
            raise NormgraphError(
                f"no document {', '.join(map(repr, unknown))} in release {stage.base.id} "
                f"(documents: {known})"
            )
        for slug in dict.fromkeys(slugs):
            report.outcomes.append(session.remove(slug))
        report.release = session.commit(keep, finalize)
    return report
