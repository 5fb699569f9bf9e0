"""What ingest learns from a file without the store being written: its text, passages,
language and mentions. In a run of many files a worker process analyses the next files
while the main one builds and writes the graphs of the current one (:class:`Ahead`);
results are taken in the files' order, so a run gives what a serial one gives.

A worker reads the thesaurus from the base release's store (read-only): ingest adds
document graphs, never the themes, instruments and bodies the tagger names.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Store

from ingest.errors import Rejected
from ingest.extract import Extracted, extract_bytes
from ingest.language import guess
from ingest.segment import Segment, segment
from ingest.tagging import Mention, Taggers
from kg.errors import NormgraphError

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
# Files handed to the worker ahead of the one being written, and their bytes: enough for
# the worker to go on through a batch write (seconds), few enough to bound memory.
_WINDOW_FILES, _WINDOW_BYTES = 256, 64 << 20


@dataclass
class Analysed:
    extracted: Extracted
    segments: list[Segment]
    language: str
    mentions: list[list[Mention]] | None  # None: tagging failed (tag_error says how)
    tag_error: Exception | None = None
    timings: dict[str, float] = field(default_factory=dict)


class Crashed(Exception):
    """An unexpected error in the worker, carried back as its type name and message."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind

    def __reduce__(self):  # pickled back from the worker with both fields
        return (Crashed, (self.kind, str(self)))


def analyse(
    path: Path, data: bytes, language: str | None, instrument: str | None, taggers: Taggers
) -> Analysed:
    """Extract, segment, tell the language, tag. A file that cannot give passages raises
    Rejected; an error while tagging is kept for the caller to raise after its own checks
    (in the order a file's checks have always run)."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    extracted = extract_bytes(path, data)
    timings["extract"] = (split := time.perf_counter()) - started
    segments = segment(extracted.blocks)
    timings["segment"] = time.perf_counter() - split
    if not segments:
        raise Rejected(path, "it has headings but no paragraphs of text to ingest")
    language = language or _language(extracted, segments)
    started = time.perf_counter()
    try:
        tagger = taggers(language)
        mentions, error = list(tagger.tag_many([s.text for s in segments], instrument)), None
    except Exception as failure:  # raised by the caller where it always was
        mentions, error = None, failure
    timings["tag"] = time.perf_counter() - started
    return Analysed(extracted, segments, language, mentions, error, timings)


def _language(extracted: Extracted, segments: list[Segment]) -> str:
    said = extracted.language
    if said and LANGUAGE_CODE.match(said):
        return said
    return guess("\n".join(s.text for s in segments[:200]))


# ---------------------------------------------------------------------- the worker
_taggers: Taggers | None = None


def _start(store_path: str, base_iri: str) -> None:
    global _taggers
    # the tagger's spaCy parts are rule-based and run without torch; thinc imports torch
    # when it can (3 of spaCy's 5 s of imports) and goes without it when it cannot
    sys.modules.setdefault("torch", None)  # type: ignore[arg-type]
    import spacy  # noqa: F401  (the rest of the imports: before the first file)

    _taggers = Taggers(Store.read_only(store_path), base_iri)


def _ready() -> None:
    """Nothing: submitted first, so that the worker starts at once."""


def _work(path: Path, data: bytes, language: str | None, instrument: str | None) -> object:
    """analyse() in the worker; errors come back as values (any exception may not pickle)."""
    assert _taggers is not None
    try:
        result = analyse(path, data, language, instrument, _taggers)
    except Rejected as error:
        return ("rejected", error.reason)
    except NormgraphError as error:
        return ("stop", str(error))
    except Exception as error:
        return ("crashed", type(error).__name__, str(error))
    if result.tag_error is not None:
        error = result.tag_error
        result.tag_error = Crashed(type(error).__name__, str(error))
    return result


class Ahead:
    """A worker process analysing the next files while the caller writes; ``submit`` the
    files in order (the caller reads them: it needs their hash first), ``take`` them in
    the same order. A broken worker (killed, out of memory) is given up: take() returns
    None and the caller analyses the file itself."""

    def __init__(self, store_path: Path, base_iri: str) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            # not fork: the parent holds RocksDB and its threads
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(str(store_path), base_iri),
        )
        self._queued: deque[tuple[Path, str, Future]] = deque()
        self._sizes: dict[Future, int] = {}
        self.broken = False
        self._pool.submit(_ready)

    def room(self) -> bool:
        return (
            not self.broken
            and len(self._queued) < _WINDOW_FILES
            and sum(self._sizes.values()) < _WINDOW_BYTES
        )

    def submit(
        self, path: Path, sha256: str, data: bytes, language: str | None, instrument: str | None
    ) -> None:
        future = self._pool.submit(_work, path, data, language, instrument)
        self._queued.append((path, sha256, future))
        self._sizes[future] = len(data)
        future.add_done_callback(self._done)

    def _done(self, future: Future) -> None:
        self._sizes.pop(future, None)  # its bytes are in the worker or gone

    def take(self, path: Path, sha256: str, wait: Callable) -> Analysed | None:
        """The analysis of ``path`` if it was submitted with these bytes; files submitted
        before it that the caller did not take (skipped, refused) are dropped."""
        if self.broken or all(queued != path for queued, _, _ in self._queued):
            return None
        while self._queued[0][0] != path:
            self._queued.popleft()[2].cancel()
        _, submitted_sha, future = self._queued.popleft()
        if submitted_sha != sha256:
            future.cancel()
            return None
        try:
            with wait():
                result = future.result()
        except BrokenProcessPool:
            self.broken = True
            return None
        if isinstance(result, Analysed):
            return result
        if result[0] == "rejected":
            raise Rejected(path, result[1])
        if result[0] == "stop":
            raise NormgraphError(result[1])
        raise Crashed(result[1], result[2])

    def close(self) -> None:
        for _, _, future in self._queued:
            future.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
