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


# ---------------------------------------------------------------- record kinds added with issue 3
PRACTICE = """\
practices:
  - id: test-practice
    title: {en: A test practice}
    description: A practice used only by the tests.
    countries: [Republic of Moldova]
    start: 2010
    actors: [Test actor]
    themes: [education]
    implements: [test-decl/art/1/para/2]
    sdg_targets: ["10.3"]
    sources: [https://example.org/practice]
"""


def _write(corpus: Path, name: str, text: str) -> Path:
    path = corpus / name
    path.write_text(text)
    return path


def test_practice_reads_with_its_links(fixture_corpus):
    _write(fixture_corpus, "practices.yaml", PRACTICE)
    sources = {s.name: s for s in read_corpus(fixture_corpus, IRIS)}
    triples = {(t.predicate.value, t.object.value) for t in sources["practices.yaml"].triples}
    base = IRIS.base
    assert (
        "https://w3id.org/normgraph/def/implements",
        base + "id/instrument/test-decl/art/1/para/2",
    ) in triples
    assert (
        "https://w3id.org/normgraph/def/contributesToTarget",
        base + "id/sdg/target/10-3",
    ) in triples
    assert ("https://w3id.org/normgraph/def/startYear", "2010") in triples
    country = base + "id/country/mda"
    assert ("https://w3id.org/normgraph/def/inCountry", country) in triples
    described = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in sources["practices.yaml"].triples
    }
    assert (country, "http://purl.org/dc/terms/identifier", "MDA") in described
    assert (
        country,
        "http://www.w3.org/2000/01/rdf-schema#label",
        "Moldova, République de",
    ) in described


def test_practice_in_no_such_country_names_the_line(fixture_corpus):
    _write(fixture_corpus, "practices.yaml", PRACTICE.replace("[Republic of Moldova]", "[Nowhere]"))
    error = _error(fixture_corpus)
    assert error.path.endswith("practices.yaml") and error.line == 5
    assert "'Nowhere' is not an ISO 3166-1 country name or alpha-3 code" in str(error)


def test_practice_ending_before_it_starts_names_the_line(fixture_corpus):
    _write(
        fixture_corpus,
        "practices.yaml",
        PRACTICE.replace("    start: 2010\n", "    start: 2010\n    end: 2009\n"),
    )
    error = _error(fixture_corpus)
    assert error.path.endswith("practices.yaml") and error.line == 7
    assert "end year 2009 is before start year 2010" in str(error)


def test_unquoted_sdg_target_is_refused(fixture_corpus):
    _write(fixture_corpus, "practices.yaml", PRACTICE.replace('["10.3"]', "[16.10]"))
    error = _error(fixture_corpus)
    assert error.line == 10 and "quoted text such as '10.3'" in str(error)


def test_bad_provision_path_is_refused(fixture_corpus):
    _write(
        fixture_corpus,
        "practices.yaml",
        PRACTICE.replace("test-decl/art/1/para/2", "test-decl/art"),
    )
    error = _error(fixture_corpus)
    assert error.line == 9 and "'test-decl/art'" in str(error)


def test_sections_group_provisions_without_entering_their_iris(fixture_corpus):
    _edit(
        fixture_corpus,
        "instruments/test-decl.yaml",
        "provisions:\n  - article: 1",
        "provisions:\n  - section: I\n    summary: A section.\n    provisions:\n  - article: 1",
    )
    text = (fixture_corpus / "instruments/test-decl.yaml").read_text()
    # indent the two articles under the section
    head, tail = text.split("    provisions:\n", 1)
    tail = "".join("    " + line if line.strip() else line for line in tail.splitlines(True))
    (fixture_corpus / "instruments/test-decl.yaml").write_text(head + "    provisions:\n" + tail)
    source = {s.name: s for s in read_corpus(fixture_corpus, IRIS)}["instruments/test-decl.yaml"]
    article = IRIS.provision("test-decl", ("art", 1)).value
    section = IRIS.section("test-decl", "I").value
    parents = {
        t.object.value
        for t in source.triples
        if t.subject.value == article and t.predicate.value.endswith("/isPartOf")
    }
    assert parents == {section}
    assert IRIS.provision("test-decl", ("art", 1), ("para", 2)).value in source.locations


def test_a_paragraph_cannot_have_provisions(fixture_corpus):
    _edit(
        fixture_corpus,
        "instruments/test-decl.yaml",
        "        summary: Second paragraph of the first article.\n",
        "        summary: Second paragraph of the first article.\n        provisions: []\n",
    )
    assert "a paragraph cannot have 'provisions'" in str(_error(fixture_corpus))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("  adoption: by-acclamation", "adoption 'by-acclamation' is not one of: without-vote"),
        ("  votes_against: -1", "expected a whole number from 0"),
        ("  entry_into_force_provision: test-decl/article/1", "test-decl/article/1"),
    ],
)
def test_bad_issue_12_values_name_the_line(fixture_corpus, line, message):
    _edit(
        fixture_corpus,
        "instruments/test-decl.yaml",
        "  binding: false",
        f"  binding: false\n{line}",
    )
    error = _error(fixture_corpus)
    assert error.line == 11 and message in str(error)


def test_event_reads_with_its_kind_day_of_year_and_checks_its_dates(fixture_corpus):
    path = fixture_corpus / "events.yaml"
    record = (
        "events:\n  - id: test-day\n    kind: Observance\n    name: {en: Test day}\n"
        "    start: 2021-08-31\n    annual_date: 08-31\n    sources: [https://example.org/day]\n"
    )
    path.write_text(record)
    [events] = [s for s in read_corpus(fixture_corpus, IRIS) if s.name == "events.yaml"]
    values = {(t.predicate.value.rsplit("/", 1)[-1], t.object.value) for t in events.triples}
    assert ("annualDate", "08-31") in values
    assert ("22-rdf-syntax-ns#type", IRIS.term("Observance").value) in values
    path.write_text(record.replace("annual_date: 08-31", "annual_date: 02-30"))
    assert "'02-30' is not a day of the year" in str(_error(fixture_corpus))
    path.write_text(record.replace("Observance", "Festival"))
    assert "event kind 'Festival' is not one of: Observance, Meeting" in str(_error(fixture_corpus))
    path.write_text(record + "    end: 2021-08-30\n")
    error = _error(fixture_corpus)
    assert error.line == 8 and "before start" in str(error)
