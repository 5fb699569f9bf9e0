"""Progress for long work: one line per step on stderr, with what it did and how long it took."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Step:
    def __init__(self) -> None:
        self.summary = ""

    def done(self, summary: str) -> None:
        self.summary = summary


class Progress:
    def __init__(self, prefix: str, stream: TextIO | None = sys.stderr) -> None:
        self.prefix, self.stream = prefix, stream
        self._pending = False  # a step's "label ..." waits on its line for the result

    def bar(self, total: int, unit: str = "files") -> Bar:
        return Bar(self, total, unit)

    def say(self, text: str) -> None:
        self.write(f"[{self.prefix}] {text}")

    def write(self, text: str, end: str = "\n") -> None:
        if self.stream is None:
            return
        if self._pending:  # output inside a step: end the step's line first
            print(file=self.stream)
            self._pending = False
        print(text, end=end, file=self.stream, flush=True)

    @contextmanager
    def step(self, label: str) -> Iterator[Step]:
        self.write(f"[{self.prefix}] {label} ...", end="")
        self._pending = self.stream is not None
        started, step = time.perf_counter(), Step()
        try:
            yield step
        except BaseException:
            self._finish(label, " failed")
            raise
        summary = f" {step.summary}" if step.summary else ""
        self._finish(label, f"{summary} ({time.perf_counter() - started:.2f} s)")

    def _finish(self, label: str, result: str) -> None:
        if self.stream is None:
            return
        # On the step's own line when nothing came between; else on a line naming the step.
        line = result if self._pending else f"[{self.prefix}] {label}:{result}"
        print(line, file=self.stream, flush=True)
        self._pending = False


class Bar:
    """Files and passages done so far. On a terminal one line redrawn in place; in a log
    (not a terminal) a line every few seconds, so that 1,000 files do not give 1,000 lines."""

    EVERY_S = 2.0

    def __init__(self, progress: Progress, total: int, unit: str = "files") -> None:
        self.progress, self.total, self.unit = progress, total, unit
        self.done = self.passages = 0
        self.tty = progress.stream is not None and progress.stream.isatty()
        self.last = time.perf_counter()

    def advance(self, name: str, passages: int = 0) -> None:
        self.done += 1
        self.passages += passages
        now = time.perf_counter()
        if self.tty:
            self._draw(name, end="")
        elif now - self.last >= self.EVERY_S or self.done == self.total:
            self._draw(name, end="\n")
        else:
            return
        self.last = now

    def _draw(self, name: str, end: str) -> None:
        width = 24
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (width - filled)
        line = (
            f"[{self.progress.prefix}] [{bar}] {self.done}/{self.total} {self.unit}, "
            f"{self.passages:,} passages  {name[-40:]}"
        )
        prefix = "\r\x1b[2K" if self.tty else ""
        self.progress.write(prefix + line, end=end)

    def close(self) -> None:
        if self.tty and self.progress.stream is not None and self.done:
            print(file=self.progress.stream, flush=True)


def silent(prefix: str = "normgraph") -> Progress:
    return Progress(prefix, stream=None)
