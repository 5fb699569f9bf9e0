"""SHACL gates the build with messages that name file, resource and rule."""

import pytest

from kg.build import Inputs, check
from kg.embedded import ontology_dir
from kg.errors import CorpusError, ValidationFailed
from kg.iris import Iris
from kg.progress import silent

IRIS = Iris("https://w3id.org/normgraph/")


def _inputs(corpus):
    return Inputs(ontology_dir=ontology_dir(), corpus_dir=corpus)


def _remove_line(path, line_text):
    text = path.read_text()
    assert line_text in text
    path.write_text(text.replace(line_text, "", 1))


def test_fixture_and_embedded_corpus_conform(fixture_corpus):
    check(_inputs(fixture_corpus), IRIS, silent())


def test_missing_required_property_names_file_resource_and_key(fixture_corpus):
    _remove_line(
        fixture_corpus / "instruments/test-decl.yaml",
        "        summary: Second paragraph of the first article.\n",
    )
    with pytest.raises(ValidationFailed) as caught:
        check(_inputs(fixture_corpus), IRIS, silent())
    [violation] = caught.value.violations
    assert violation.file == "instruments/test-decl.yaml"
    assert violation.line == 22
    assert violation.focus == "id/instrument/test-decl/art/1/para/2"
    assert violation.key == "summary"
    assert "provision shape" in str(violation) and "MinCount" in str(violation)


def test_dangling_reference_and_date_order(fixture_corpus):
    path = fixture_corpus / "instruments/test-decl.yaml"
    text = path.read_text().replace("adopted_by: test-assembly", "adopted_by: nobody")
    text = text.replace("  binding: false", "  binding: false\n  entry_into_force: 1999-12-31")
    text = text.replace("themes: [racial-profiling]", "themes: [racial-profilin]")
    path.write_text(text)
    with pytest.raises(ValidationFailed) as caught:
        check(_inputs(fixture_corpus), IRIS, silent())
    report = str(caught.value)
    assert "instruments/test-decl.yaml:8: id/instrument/test-decl: adopted_by:" in report
    assert "(found: id/body/nobody)" in report
    assert "entry into force (1999-12-31) cannot precede adoption (2000-01-31)" in report
    assert "themes must be ids from ontology/themes.ttl (found: id/theme/racial-profilin)" in report


def test_cli_validate_reports_without_traceback(fixture_corpus, cli):
    _remove_line(fixture_corpus / "instruments/test-decl.yaml", "  adopted: 2000-01-31\n")
    result = cli("validate", "--corpus", str(fixture_corpus))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "instruments/test-decl.yaml:3: id/instrument/test-decl: adopted:" in result.stderr
    assert "exactly one adoption date" in result.stderr


def test_ontology_term_without_definition_fails(tmp_path, fixture_corpus):
    import shutil

    ontology = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), ontology)
    path = ontology / "normgraph.ttl"
    text = path.read_text()
    start = text.index("ng:legallyBinding a owl:DatatypeProperty")
    end = text.index("rdfs:isDefinedBy <def> .", start)
    block = text[start:end]
    stripped = "\n".join(line for line in block.splitlines() if "skos:definition" not in line)
    path.write_text(text.replace(block, stripped + "\n    "))
    with pytest.raises(ValidationFailed) as caught:
        check(Inputs(ontology, fixture_corpus), IRIS, silent())
    assert "normgraph.ttl: def/legallyBinding: skos:definition:" in str(caught.value)


def test_practice_without_source_or_instrument_is_refused(fixture_corpus):
    (fixture_corpus / "practices.yaml").write_text(
        "practices:\n"
        "  - id: unsourced\n"
        "    title: {en: An unsourced practice}\n"
        "    description: Nothing documents it.\n"
        "    region: Nowhere\n"
        "    start: 2020\n"
        "    actors: [Someone]\n"
        "    themes: [education]\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        check(_inputs(fixture_corpus), IRIS, silent())
    report = str(caught.value)
    assert (
        "practices.yaml:2: id/practice/unsourced: sources: a practice needs at least one source"
        in report
    )
    assert "implements: a practice must implement at least one instrument or provision" in report


def test_life_cycle_votes_and_events_are_checked(fixture_corpus):
    """Issue 12's rules: signature between adoption and entry into force, vote counts only
    with a recorded vote, events that name defined things."""
    path = fixture_corpus / "instruments/test-decl.yaml"
    text = path.read_text().replace(
        "  binding: false",
        "  binding: false\n  entry_into_force: 2001-06-01\n  opened_for_signature: 1999-12-31\n"
        "  votes_in_favour: 10\n  adoption: without-vote",
    )
    path.write_text(text)
    (fixture_corpus / "events.yaml").write_text(
        "events:\n"
        "  - id: test-meeting\n"
        "    kind: Meeting\n"
        "    name: {en: Test meeting}\n"
        "    start: 2001-05-02\n"
        "    concerns: [no-such-instrument]\n"
        "    sources: [https://example.org/meeting]\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        check(_inputs(fixture_corpus), IRIS, silent())
    report = str(caught.value)
    assert "cannot be opened for signature before it is adopted" in report
    assert "vote counts belong to an instrument adopted by a recorded vote" in report
    assert "events.yaml:6: id/event/test-meeting: concerns: concerns must name" in report


def test_recorded_vote_needs_its_counts(fixture_corpus):
    path = fixture_corpus / "instruments/test-decl.yaml"
    path.write_text(
        path.read_text().replace("  binding: false", "  binding: false\n  adoption: recorded-vote")
    )
    with pytest.raises(ValidationFailed) as caught:
        check(_inputs(fixture_corpus), IRIS, silent())
    assert "adopted by a recorded vote needs its vote counts" in str(caught.value)


def test_unanimous_adoption_has_no_counts_and_a_body_serves_at_least_one_term(fixture_corpus):
    """Session 4 terms: counts belong to a recorded vote, not to `unanimous`; the reader
    refuses `max_terms: 0` with its file and line."""
    bodies = fixture_corpus / "bodies.yaml"
    original = bodies.read_text()
    bodies.write_text(original + "    max_terms: 0\n")
    with pytest.raises(CorpusError, match=r"bodies\.yaml:8: expected a whole number from 1"):
        check(_inputs(fixture_corpus), IRIS, silent())
    bodies.write_text(original + "    max_terms: 2\n")
    path = fixture_corpus / "instruments/test-decl.yaml"
    path.write_text(
        path.read_text().replace(
            "  binding: false", "  binding: false\n  adoption: unanimous\n  votes_in_favour: 10"
        )
    )
    with pytest.raises(ValidationFailed) as caught:
        check(_inputs(fixture_corpus), IRIS, silent())
    [violation] = caught.value.violations
    assert "vote counts belong to an instrument adopted by a recorded vote" in str(violation)
