"""The command line: help everywhere, one-line errors, real formats."""

import json
import subprocess
import sys

import pytest
from pyoxigraph import RdfFormat, parse

COMMANDS = ["build", "validate", "query", "publish", "export", "info", "ingest", "remove"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(cli, command):
    result = cli(*([command] if command else []), "--help")
    assert result.returncode == 0
    assert "usage: normgraph" in result.stdout


def test_the_parser_loads_no_model_library():
    """Every command builds the whole parser; spaCy and torch would add seconds to each."""
    script = (
        "import sys; from search_api import cli; cli._parser(); "
        "print(sorted({'spacy', 'torch', 'sentence_transformers'} & set(sys.modules)))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"


def test_missing_release_is_a_clear_error(tmp_path, cli):
    for args in (["info"], ["query", "ASK {}"], ["export", "--format", "nq"]):
        result = cli(*args, "--release-dir", str(tmp_path / "nowhere"))
        assert result.returncode == 1
        assert "no current release" in result.stderr and "normgraph build" in result.stderr
        assert "Traceback" not in result.stderr


def test_bad_sparql_names_the_problem(release_root, cli):
    result = cli("query", "--release-dir", str(release_root), "SELECT ?x WHERE { ?x ?y }")
    assert result.returncode == 1
    assert result.stderr.startswith("normgraph: error: the query does not parse:")
    assert "Traceback" not in result.stderr


def test_updates_are_not_queries(release_root, cli):
    result = cli("query", "--release-dir", str(release_root), "DELETE WHERE { ?s ?p ?o }")
    assert result.returncode == 1 and "does not parse" in result.stderr


@pytest.mark.parametrize(
    "fmt,marker", [("json", '"head"'), ("xml", "<sparql"), ("csv", "n\n29"), ("tsv", "?n\n")]
)
def test_select_formats(release_root, cli, fmt, marker):
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?p a ng:Provision ; ng:partOfInstrument "
        "<https://w3id.org/normgraph/id/instrument/unmd-1992> }"
    )
    result = cli("query", "--release-dir", str(release_root), query, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout and "29" in result.stdout


@pytest.mark.parametrize(
    "fmt,rdf",
    [
        ("ttl", RdfFormat.TURTLE),
        ("nt", RdfFormat.N_TRIPLES),
        ("jsonld", RdfFormat.JSON_LD),
        ("rdfxml", RdfFormat.RDF_XML),
    ],
)
def test_construct_formats_parse_back(release_root, cli, fmt, rdf):
    query = (
        "CONSTRUCT { ?a dcterms:abstract ?s } WHERE { ?a a ng:Article ; dcterms:abstract ?s ; "
        "ng:partOfInstrument <https://w3id.org/normgraph/id/instrument/unmd-1992> }"
    )
    result = cli("query", "--release-dir", str(release_root), query, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert len(list(parse(result.stdout.encode(), format=rdf))) == 9


def test_format_that_cannot_carry_the_result(release_root, cli):
    result = cli("query", "--release-dir", str(release_root), "ASK {}", "--format", "ttl")
    assert result.returncode == 1
    assert "cannot carry a boolean result" in result.stderr


def test_query_from_file_and_stdin(release_root, cli, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("ASK { ?s a ng:Declaration }")
    by_file = cli(
        "query", "--release-dir", str(release_root), "--file", str(query), "--format", "json"
    )
    assert json.loads(by_file.stdout)["boolean"] is True
    by_stdin = cli(
        "query",
        "--release-dir",
        str(release_root),
        "--file",
        "-",
        "--format",
        "json",
        input="ASK { ?s a ng:Instrument ; ng:symbol 'no such symbol' }",
    )
    assert json.loads(by_stdin.stdout)["boolean"] is False
    neither = cli("query", "--release-dir", str(release_root))
    assert neither.returncode == 1 and "either as an argument or with --file" in neither.stderr


@pytest.mark.parametrize(
    "fmt,rdf", [("nq", RdfFormat.N_QUADS), ("trig", RdfFormat.TRIG), ("ttl", RdfFormat.TURTLE)]
)
def test_export_writes_a_parseable_file(release_root, cli, tmp_path, fmt, rdf):
    target = tmp_path / f"dump.{fmt}"
    result = cli("export", "--release-dir", str(release_root), "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    parsed = list(parse(target.read_bytes(), format=rdf))
    info = json.loads(cli("info", "--json", "--release-dir", str(release_root)).stdout)
    if fmt in ("nq", "trig"):
        assert len(parsed) == info["counts"]["triples"]
    else:
        assert len(parsed) > 1000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temp file left"


def test_export_to_unwritable_place_fails_cleanly(release_root, cli, tmp_path):
    result = cli(
        "export",
        "--release-dir",
        str(release_root),
        "--format",
        "nq",
        "-o",
        str(tmp_path / "no" / "such" / "dir.nq"),
    )
    assert result.returncode == 1 and "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_if_missing_does_nothing_when_a_release_exists(release_root, cli):
    before = (release_root / "current").readlink()
    result = cli("build", "--if-missing", "--release-dir", str(release_root))
    assert result.returncode == 0 and "nothing to do" in result.stderr
    assert (release_root / "current").readlink() == before


def test_bad_base_iri(tmp_path, cli):
    result = cli(
        "build", "--release-dir", str(tmp_path), "--base-iri", "https://example.org/no-slash"
    )
    assert (
        result.returncode == 1
        and "must be an absolute http(s) IRI ending with '/'" in result.stderr
    )
