"""Settings: the only reader of ``NORMGRAPH_*`` environment variables.

Each setting is declared once with its variable, default and help; roots (the
CLI, the app factory) build a frozen :class:`Settings` once and pass values down.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from kg.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "release_dir",
        "NORMGRAPH_RELEASE_DIR",
        "var",
        "Directory that holds the releases and the `current` pointer (relative to the working "
        "directory).",
    ),
    Setting(
        "base_iri",
        "NORMGRAPH_BASE_IRI",
        "https://w3id.org/normgraph/",
        "Base of every IRI normgraph mints; an absolute http(s) IRI ending with '/'.",
    ),
    Setting(
        "max_ingest_bytes",
        "NORMGRAPH_MAX_INGEST_BYTES",
        "104857600",
        "Largest file `normgraph ingest` accepts, in bytes (default 100 MiB); a larger file is "
        "refused with a message and the rest of the batch goes on.",
    ),
)

_BASE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+/$")


@dataclass(frozen=True)
class Settings:
    release_dir: Path
    base_iri: str
    max_ingest_bytes: int = 104_857_600

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, overlaid by the environment, overlaid by explicit (non-None) overrides."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for setting in SETTINGS:
            values[setting.name] = environ.get(setting.env, setting.default)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(
            release_dir=Path(str(values["release_dir"])),
            base_iri=_check_base(values),
            max_ingest_bytes=_positive_int(values, "max_ingest_bytes"),
        )


def _check_base(values: dict[str, object]) -> str:
    base = str(values["base_iri"])
    if not _BASE_IRI.match(base):
        raise ConfigError(
            f"base IRI {base!r} (NORMGRAPH_BASE_IRI or --base-iri) must be an absolute "
            "http(s) IRI ending with '/'"
        )
    return base


def _positive_int(values: dict[str, object], name: str) -> int:
    setting = next(s for s in SETTINGS if s.name == name)
    text = str(values[name]).strip().replace("_", "")
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"{setting.env} must be a whole number above 0, got {values[name]!r}")
    return int(text)


def settings_help() -> str:
    """One line per setting, for ``--help`` epilogs and the README."""
    assert {f.name for f in fields(Settings)} == {s.name for s in SETTINGS}
    return "\n".join(f"  {s.env} (default {s.default!r}): {s.help}" for s in SETTINGS)
