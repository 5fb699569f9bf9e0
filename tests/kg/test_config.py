"""Settings: declared once, documented in the README, checked when read."""

from pathlib import Path

import pytest

from kg.config import SETTINGS, Settings
from kg.errors import ConfigError

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_in_the_readme_table():
    text = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"| `{setting.env}` | `{setting.default}`" in text, setting.env


def test_max_ingest_bytes_from_the_environment():
    assert Settings.load(environ={}).max_ingest_bytes == 104_857_600
    assert Settings.load(environ={"NORMGRAPH_MAX_INGEST_BYTES": "2048"}).max_ingest_bytes == 2048
    for bad in ("0", "-5", "lots", "1.5"):
        with pytest.raises(ConfigError, match="NORMGRAPH_MAX_INGEST_BYTES must be"):
            Settings.load(environ={"NORMGRAPH_MAX_INGEST_BYTES": bad})


def test_embedding_backend_is_one_of_three():
    assert Settings.load(environ={}).embedding_backend == "auto"
    env = {"NORMGRAPH_EMBEDDING_BACKEND": "Torch"}
    assert Settings.load(environ=env).embedding_backend == "torch"
    with pytest.raises(ConfigError, match="NORMGRAPH_EMBEDDING_BACKEND must be one of"):
        Settings.load(environ={"NORMGRAPH_EMBEDDING_BACKEND": "cuda"})


def test_an_external_engine_needs_both_settings_of_a_known_shape():
    assert Settings.load(environ={}).sparql_url == ""
    good = {
        "NORMGRAPH_SPARQL_URL": "http://127.0.0.1:8890/sparql",
        "NORMGRAPH_SPARQL_LOAD": "virtuoso://dba:secret@127.0.0.1:1111/srv/load",
    }
    assert Settings.load(environ=good).sparql_load.startswith("virtuoso://")
    gsp = {**good, "NORMGRAPH_SPARQL_LOAD": "gsp:http://127.0.0.1:7878/store"}
    assert Settings.load(environ=gsp).sparql_load == "gsp:http://127.0.0.1:7878/store"
    for bad, message in (
        ({"NORMGRAPH_SPARQL_URL": good["NORMGRAPH_SPARQL_URL"]}, "NORMGRAPH_SPARQL_LOAD is not"),
        ({**good, "NORMGRAPH_SPARQL_URL": "ftp://x/sparql"}, "NORMGRAPH_SPARQL_URL must be"),
        ({**good, "NORMGRAPH_SPARQL_LOAD": "bulk"}, "NORMGRAPH_SPARQL_LOAD must be"),
    ):
        with pytest.raises(ConfigError, match=message):
            Settings.load(environ=bad)
