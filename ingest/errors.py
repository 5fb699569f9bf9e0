"""Errors of one input file. A :class:`Rejected` file is reported with its path and
the reason, nothing of it is written, and the rest of the batch goes on."""

from __future__ import annotations

from pathlib import Path

from kg.errors import NormgraphError


class Rejected(NormgraphError):
    """This file cannot be ingested; ``reason`` says why in plain words."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")
