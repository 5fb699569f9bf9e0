"""The evaluation: how judged queries are read, split and scored, and the judged set
itself (bench/qrels.tsv) against the issue's bar for an evaluation nobody fits to."""

from collections import Counter
from pathlib import Path

import pytest

from kg.errors import NormgraphError
from search_api.search.evaluate import KINDS, credited, ndcg, read_qrels
from search_api.search.units import read_table

QRELS = Path(__file__).parents[2] / "bench" / "qrels.tsv"
HEADER = "query\tlang\tkind\tsource\tiri\tgrade\n"
ICERD = "https://w3id.org/normgraph/id/instrument/icerd"


def _write(tmp_path, body: str) -> Path:
    path = tmp_path / "q.tsv"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_hit_counts_for_the_judged_unit_it_lies_in_once():
    grades = {f"{ICERD}/art/4": 3, f"{ICERD}/art/9": 2}
    ranked = [f"{ICERD}/art/4/para/a", f"{ICERD}/art/4", f"{ICERD}/art/9", f"{ICERD}/art/5"]
    assert credited(ranked, grades) == [3, 0, 2, 0]
    # an instrument judged as a whole is credited by any of its parts
    assert credited([f"{ICERD}/art/1", ICERD], {ICERD: 2}) == [2, 0]
    # but a part judged alone is not credited by its instrument
    assert credited([ICERD], {f"{ICERD}/art/1": 2}) == [0]


def test_ndcg_is_one_for_the_ideal_order_and_less_otherwise():
    grades = {"a": 3, "b": 1}
    assert ndcg([3, 1], grades) == pytest.approx(1.0)
    assert 0 < ndcg([1, 3], grades) < 1
    assert ndcg([0, 0], grades) == 0


def test_bad_lines_are_named(tmp_path):
    with pytest.raises(NormgraphError, match="the header must be"):
        read_qrels(_write(tmp_path, "query\tlang\tiri\tgrade\n"))
    bad_grade = HEADER + f"q\ten\tquestion\tproject\t{ICERD}\tthree\n"
    with pytest.raises(NormgraphError, match=r"q.tsv:2: grade must be"):
        read_qrels(_write(tmp_path, bad_grade))
    bad_kind = "# a comment\n" + HEADER + f"q\ten\tquestion\tproject\t{ICERD}\t2\n"
    bad_kind += f"r\ten\triddle\tproject\t{ICERD}\t2\n"
    with pytest.raises(NormgraphError, match=r"q.tsv:4: kind must be one of"):
        read_qrels(_write(tmp_path, bad_kind))
    clash = (
        HEADER
        + f"q\ten\tquestion\tproject\t{ICERD}\t2\nq\tfr\tquestion\tproject\t{ICERD}/art/1\t1\n"
    )
    with pytest.raises(NormgraphError, match=r"q.tsv:3: 'q' has another lang"):
        read_qrels(_write(tmp_path, clash))


def test_the_half_of_a_query_follows_from_its_text():
    judged = read_qrels(QRELS)
    again = {j.query: j.half for j in read_qrels(QRELS)}
    assert all(j.half == again[j.query] for j in judged)
    assert {j.half for j in judged} == {"tune", "heldout"}


def test_the_judged_set_is_large_varied_and_mostly_other_peoples_words():
    judged = read_qrels(QRELS)
    halves = Counter(j.half for j in judged)
    assert len(judged) >= 150 and halves["heldout"] >= 50
    assert sum(j.lang in ("fr", "es") for j in judged) >= 25
    external = [j for j in judged if j.source.startswith(("http://", "https://"))]
    assert len(external) >= len(judged) / 2
    assert all(j.source == "project" or j in external for j in judged)
    assert set(Counter(j.kind for j in judged)) == set(KINDS)
    for j in judged:
        assert max(j.grades.values()) >= 2, f"{j.query!r} has no clear answer"


def test_every_judged_iri_is_a_document_of_the_release(search_root):
    units = {u.iri: u.kind for u in read_table(search_root / "current" / "search" / "units.sqlite")}
    for j in read_qrels(QRELS):
        for iri in j.grades:
            assert units.get(iri) in ("provision", "instrument", "practice", "commitment"), (
                j.query,
                iri,
            )
