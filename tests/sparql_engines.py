"""Two real external SPARQL engines, started by the tests themselves on free loopback
ports in temporary directories: Oxigraph's server (`oxigraph serve`, the PyPI
package's CLI) and Virtuoso Open Source (Debian's `virtuoso-opensource`, which
`make test` installs). Each yields the settings that point normgraph at it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

ENGINES = ("oxigraph", "virtuoso")
# Oxigraph's server stops a query at this many seconds (its own limit, measured in the README)
OXIGRAPH_TIMEOUT_S = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, log: Path | None = None) -> None:
    """Until the engine answers ASK {} at ``url``; fail with its output if it dies."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    output = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    pytest.fail(f"the SPARQL engine did not start at {url}: {output}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def oxigraph(directory: Path) -> Iterator[dict[str, str]]:
    """`oxigraph serve` on a temporary location; loads by the Graph Store Protocol."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if binary is None:
        pytest.fail("the oxigraph CLI is missing: pip install '.[test]' installs it")
    port = free_port()
    log = directory / "oxigraph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(directory / "data"), "--bind",
             f"127.0.0.1:{port}", "--timeout-s", str(OXIGRAPH_TIMEOUT_S)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/query", process, log)
        yield {"sparql_url": f"{base}/query", "sparql_load": f"gsp:{base}/store"}
    finally:
        _stop(process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
ThreadsPerQuery = 1
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {dir}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {max_seconds}
MaxQueryCostEstimationTime = 0
"""
# Virtuoso's own limit (seconds), above the tests' 1 s: it stops its work there (README)
VIRTUOSO_MAX_SECONDS = 5


@contextmanager
def virtuoso(directory: Path) -> Iterator[dict[str, str]]:
    """`virtuoso-t` with a fresh database in ``directory``; loads by its bulk loader."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.fail("virtuoso-t is missing: `make test` installs Debian's virtuoso-opensource")
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            dir=directory, sql_port=sql_port, http_port=http_port, max_seconds=VIRTUOSO_MAX_SECONDS
        )
    )
    process = subprocess.Popen(
        [binary, "+configfile", str(ini), "+foreground"],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(f"http://127.0.0.1:{http_port}/sparql", process, directory / "virtuoso.log")
        yield {
            "sparql_url": f"http://127.0.0.1:{http_port}/sparql",
            "sparql_load": f"virtuoso://dba:dba@127.0.0.1:{sql_port}{directory}/load",
        }
    finally:
        _stop(process)


@contextmanager
def started(name: str, directory: Path) -> Iterator[dict[str, str]]:
    with (oxigraph if name == "oxigraph" else virtuoso)(directory) as settings:
        yield settings
