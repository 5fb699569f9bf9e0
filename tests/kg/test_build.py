"""A release from the embedded ontology and corpus: content, determinism, entailments."""

import json

from pyoxigraph import RdfFormat

from kg.release import Releases
from kg.store import open_read_only

UNMD_PARAGRAPHS = {"1": 2, "2": 5, "3": 2, "4": 5, "5": 2, "6": 1, "7": 1, "8": 4, "9": 1}


def _sorted_nquads(root):
    store = open_read_only(Releases(root).current())
    return b"\n".join(sorted(store.dump(format=RdfFormat.N_QUADS).splitlines()))


def test_building_twice_is_byte_identical(tmp_path, build_release):
    first = build_release(tmp_path / "a")
    second = build_release(tmp_path / "b")
    one, two = _sorted_nquads(tmp_path / "a"), _sorted_nquads(tmp_path / "b")
    assert one == two
    assert first.manifest.checksums == second.manifest.checksums
    assert b"_:" not in one, "blank nodes must be skolemised for stable IRIs"


def test_manifest_describes_the_release(release_root):
    release = Releases(release_root).current()
    m = release.manifest
    assert m.release_id == release.path.name
    assert m.base_iri == "https://w3id.org/normgraph/"
    assert m.ontology["version"] == "0.1.0"
    assert m.counts["instruments"] >= 20 and m.counts["provisions"] > 100
    assert m.counts["themes"] >= 40 and m.counts["groups"] >= 15
    # themes, groups and the SDG goals and targets are all SKOS concepts
    assert m.counts["concepts"] == m.counts["themes"] + m.counts["groups"] + m.counts["sdgs"]
    assert m.counts["bodies"] >= 10 and m.counts["commitments"] >= 5
    assert m.counts["events"] >= 6
    files = {i["file"] for i in m.inputs}
    assert {"corpus/instruments/unmd-1992.yaml", "ontology/shapes.ttl"} <= files
    assert set(m.embedding) == {"model", "dimension", "backend"}
    assert m.embedding["backend"].split()[0] in ("openvino", "torch"), "which one ran"


def test_one_named_graph_per_source_file_plus_entailments(release_root):
    release = Releases(release_root).current()
    store = open_read_only(release)
    graphs = {g.value for g in store.named_graphs()}
    expected = {i["graph"] for i in release.manifest.inputs}
    assert graphs == expected | {"https://w3id.org/normgraph/graph/entailments"}


def test_declaration_articles_in_order_with_paragraph_counts(release_root, cli):
    result = cli(
        "query",
        "--release-dir",
        str(release_root),
        "--file",
        "kg/examples/unmd-articles.rq",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    got = [(r["number"]["value"], int(r["paragraphs"]["value"])) for r in rows]
    assert got == list(UNMD_PARAGRAPHS.items())


def test_entailments_answer_queries_that_need_them(release_root, cli):
    def ask(query):
        result = cli("query", "--release-dir", str(release_root), query, "--format", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["boolean"]

    # class membership through subclasses
    assert ask("ASK { <https://w3id.org/normgraph/id/instrument/unmd-1992> a ng:Instrument }")
    assert ask("ASK { <https://w3id.org/normgraph/id/body/ga> a org:Organization }")
    # skos:broader closure and inverse
    assert ask(
        "ASK { <https://w3id.org/normgraph/id/theme/racial-profiling> skos:broaderTransitive "
        "<https://w3id.org/normgraph/id/theme/law-enforcement> . "
        "<https://w3id.org/normgraph/id/theme/law-enforcement> skos:narrower "
        "<https://w3id.org/normgraph/id/theme/racial-profiling> }"
    )
    assert ask(
        "ASK { <https://w3id.org/normgraph/id/theme/age> skos:broaderTransitive "
        "<https://w3id.org/normgraph/id/theme/equality-non-discrimination> }"
    )
    # super-properties: every tag is a dcterms:subject, every prefLabel an rdfs:label
    assert ask(
        "ASK { <https://w3id.org/normgraph/id/instrument/unmd-1992/art/4/para/3> dcterms:subject "
        "<https://w3id.org/normgraph/id/theme/language-rights> }"
    )
    assert ask('ASK { <https://w3id.org/normgraph/id/group/roma> rdfs:label "Roma"@en }')
    # entailments live in their own graph
    assert ask(
        "ASK { GRAPH <https://w3id.org/normgraph/graph/entailments> { "
        "<https://w3id.org/normgraph/id/instrument/unmd-1992> a ng:Instrument } }"
    )


def test_info_prints_counts(release_root, cli):
    result = cli("info", "--release-dir", str(release_root))
    assert result.returncode == 0, result.stderr
    for word in ("triples", "graphs", "instruments", "provisions", "concepts"):
        assert word in result.stdout
    as_json = json.loads(cli("info", "--json", "--release-dir", str(release_root)).stdout)
    assert as_json["counts"] == Releases(release_root).current().manifest.counts


def test_other_base_iri_mints_everything_under_it(tmp_path, build_release, cli):
    # graph-only and in-process: the served tests build with `normgraph build --base-iri`
    build_release(tmp_path, base_iri="http://localhost:8000/")
    out = cli("export", "--format", "nq", "--release-dir", str(tmp_path)).stdout
    assert "<http://localhost:8000/id/instrument/unmd-1992/art/4/para/3>" in out
    assert "w3id.org/normgraph" not in out


def test_example_queries_answer(release_root, cli):
    def rows(name):
        result = cli(
            "query",
            "--release-dir",
            str(release_root),
            "--file",
            f"kg/examples/{name}",
            "--format",
            "json",
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["results"]["bindings"]

    practices = rows("practices-by-instrument.rq")
    assert len({r["practice"]["value"] for r in practices}) >= 30
    plan = rows("work-plan.rq")
    assert [int(r["order"]["value"]) for r in plan] == list(range(1, len(plan) + 1))
    assert len(plan) >= 7 and any("anniversaries" in r for r in plan)
