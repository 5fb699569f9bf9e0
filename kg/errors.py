"""Typed errors. A NormgraphError is the user's to fix: the CLI prints its
message on one line to stderr and exits 1; the web layer maps it to a 4xx."""

from __future__ import annotations

from pathlib import Path


class NormgraphError(Exception):
    """An error the user can act on (bad input, missing release, bad setting)."""


class ConfigError(NormgraphError):
    """A setting has a value normgraph cannot use."""


class CorpusError(NormgraphError):
    """A curated source file cannot be read; names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path, self.line, self.problem = str(path), line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class ValidationFailed(NormgraphError):
    """SHACL found violations; the message lists each with file, resource and rule."""

    def __init__(self, violations: list) -> None:
        self.violations = violations
        lines = [f"validation failed with {len(violations)} violation(s):"]
        lines += [f"  {v}" for v in violations]
        super().__init__("\n".join(lines))


class ReleaseNotFound(NormgraphError):
    """There is no current release where one was expected."""


class BuildInProgress(NormgraphError):
    """Another process holds the release directory's build lock."""


class QuerySyntaxError(NormgraphError):
    """The SPARQL text does not parse; carries the parser's message."""


class FormatError(NormgraphError):
    """A requested serialisation format is unknown or does not fit the result."""


class InvalidRequest(NormgraphError):
    """A request whose parts are each well-formed but do not go together."""


class NotAcceptable(FormatError):
    """No format the client accepts can carry this kind of result."""
