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

    def say(self, text: str) -> None:
        if self.stream is not None:
            print(f"[{self.prefix}] {text}", file=self.stream, flush=True)

    @contextmanager
    def step(self, label: str) -> Iterator[Step]:
        if self.stream is not None:
            print(f"[{self.prefix}] {label} ...", end="", file=self.stream, flush=True)
        started, step = time.perf_counter(), Step()
        try:
            yield step
        except BaseException:
            if self.stream is not None:
                print(" failed", file=self.stream, flush=True)
            raise
        if self.stream is not None:
            summary = f" {step.summary}" if step.summary else ""
            elapsed = time.perf_counter() - started
            print(f"{summary} ({elapsed:.2f} s)", file=self.stream, flush=True)


def silent(prefix: str = "normgraph") -> Progress:
    return Progress(prefix, stream=None)
