"""What a run of ingest or remove did, file by file, and how to say it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kg.release import Release


@dataclass
class Outcome:
    path: str
    status: str  # added | replaced | skipped | failed
    slug: str | None = None
    passages: int = 0
    pages: int = 0
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    release: Release | None = None
    timings: Counter = field(default_factory=Counter)  # seconds per phase

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> bool:
        return self.count("failed") > 0

    def messages(self) -> list[str]:
        """One line per failed file and per alignment mismatch, naming the file."""
        lines = []
        for o in self.outcomes:
            lines += [f"{o.path}: alignment: {w}" for w in o.warnings]
            if o.status == "failed":
                lines.append(f"{o.path}: {o.reason}")
        return lines

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.count(s)} {s}" for s in ("added", "replaced", "skipped", "removed", "failed")
            if self.count(s) or s in ("added", "replaced", "skipped", "failed")
        )  # fmt: skip
        passages = sum(o.passages for o in self.outcomes if o.status in ("added", "replaced"))
        where = f"release {self.release.id}" if self.release else "no new release (nothing changed)"
        return f"{counts}; {passages:,} passages written; {where}"
