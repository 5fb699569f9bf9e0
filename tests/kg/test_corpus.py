"""The YAML reader: shape errors name file and line; good files give stable triples."""

from pathlib import Path

import pytest

from kg.corpus import read_corpus
from kg.errors import CorpusError
from kg.iris import Iris

IRIS = Iris("https://w3id.org/normgraph/")


def _edit(corpus: Path, name: str, old: str, new: str) -> Path:
    path = corpus / name
    text = path.read_text()
    assert old in text, f"fixture drifted: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))
    return path


def _error(corpus: Path) -> CorpusError:
    with pytest.raises(CorpusError) as caught:
        read_corpus(corpus, IRIS)
    return caught.value


def test_fixture_reads_with_locations(fixture_corpus):
    sources = {s.name: s for s in read_corpus(fixture_corpus, IRIS)}
    decl = sources["instruments/test-decl.yaml"]
    assert decl.graph.value.endswith("graph/corpus/instruments/test-decl")
    para = IRIS.provision("test-decl", ("art", 1), ("para", 2)).value
    assert decl.locations[para] == 22
    assert len(decl.sha256) == 64


def test_unknown_key_names_file_line_and_allowed_keys(fixture_corpus):
    _edit(fixture_corpus, "instruments/test-decl.yaml", "  binding: false", "  bindng: false")
    error = _error(fixture_corpus)
    assert error.path.endswith("test-decl.yaml") and error.line == 10
    assert "unknown key 'bindng'" in str(error) and "binding" in str(error)


def test_duplicate_yaml_key(fixture_corpus):
    _edit(
        fixture_corpus,
        "instruments/test-decl.yaml",
        "  binding: false",
        "  binding: false\n  binding: true",
    )
    error = _error(fixture_corpus)
    assert "duplicate key 'binding'" in str(error) and error.line == 11


def test_bad_date(fixture_corpus):
    _edit(fixture_corpus, "instruments/test-decl.yaml", "2000-01-31", "2000-02-31")
    assert "expected a date" in str(_error(fixture_corpus))


def test_bad_language_tag(fixture_corpus):
    _edit(
        fixture_corpus, "instruments/test-decl.yaml", "short_title: {en:", "short_title: {English:"
    )
    assert "'English' is not a language tag" in str(_error(fixture_corpus))


def test_bad_yaml_syntax(fixture_corpus):
    _edit(fixture_corpus, "bodies.yaml", "name: {en: Test Assembly}", "name: {en: Test Assembly")
    error = _error(fixture_corpus)
    assert error.path.endswith("bodies.yaml") and error.line


def test_same_provision_twice_is_refused(fixture_corpus):
    _edit(fixture_corpus, "instruments/test-decl.yaml", "  - article: 2", "  - article: 1")
    error = _error(fixture_corpus)
    assert (
        "id/instrument/test-decl/art/1 is already defined at instruments/test-decl.yaml:15"
        in str(error)
    )


def test_same_id_across_files_is_refused(fixture_corpus):
    (fixture_corpus / "more.yaml").write_text((fixture_corpus / "bodies.yaml").read_text())
    assert "already defined at bodies.yaml" in str(_error(fixture_corpus))


def test_unknown_kind(fixture_corpus):
    _edit(fixture_corpus, "instruments/test-decl.yaml", "kind: Declaration", "kind: Decree")
    assert "instrument kind 'Decree' is not one of" in str(_error(fixture_corpus))
