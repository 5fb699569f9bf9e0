"""`normgraph ingest` and `remove` end to end: every format, provenance, the passage
table, idempotence, replace-on-change, removal, alignment, bad input, crash safety."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from pyoxigraph import RdfFormat, Store

from ingest import pipeline
from ingest.passages import read_passages
from ingest.pipeline import Options, ingest, remove
from kg import sparql, version
from kg.build import Inputs, build
from kg.config import Settings
from kg.embedded import corpus_dir, ontology_dir
from kg.errors import NormgraphError
from kg.progress import silent
from kg.release import Releases

from ..conftest import copy_release
from .conftest import BASE, STATEMENT, STATEMENT_LINKS, declaration_text

ID = BASE + "id/"


def run(settings, *paths: Path, **options):
    return ingest(settings, list(paths), Options(**options), silent())


def current(root: Path):
    return Releases(root).current()


def ask(root: Path, query: str) -> bool:
    store = Store.read_only(str(current(root).store_path))
    return bool(sparql.run(store, query, BASE).value)


def select(root: Path, query: str) -> list[dict[str, str]]:
    store = Store.read_only(str(current(root).store_path))
    result = sparql.run(store, query, BASE).value
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def assert_dumps_hold_the_store(root: Path) -> None:
    """The release's dumps, written from ingest's in-memory copy, hold the store's quads."""
    release = current(root)
    store = Store.read_only(str(release.store_path))
    stored = sorted(store.dump(format=RdfFormat.N_QUADS).splitlines())
    dumps = release.path / "dumps"
    assert sorted(gzip.decompress((dumps / "normgraph.nq.gz").read_bytes()).splitlines()) == stored
    trig = Store()
    trig.load(gzip.decompress((dumps / "normgraph.trig.gz").read_bytes()), RdfFormat.TRIG)
    assert sorted(trig.dump(format=RdfFormat.N_QUADS).splitlines()) == stored


def snapshot(root: Path):
    """What must not change when an ingest fails or is killed: the pointer and the bytes."""
    release = current(root)
    files = {
        p.relative_to(release.path): p.read_bytes()
        for p in sorted(release.path.rglob("*"))
        if p.is_file() and p.name != "LOCK"
    }
    return os.readlink(root / "current"), files


@pytest.fixture
def folder(documents):
    """One document in each supported format."""
    documents.text("statement.txt", STATEMENT)
    documents.text("note.md", "# Guidance note\n\nUN country teams should collect equality data.\n")
    documents.text(
        "page.html",
        "<!doctype html><html lang='en'><head><title>Roma inclusion</title></head><body>"
        "<nav>Home</nav><h1>Roma inclusion</h1><ol><li>Roma children need schooling.</li>"
        "<li>Data on Roma should be disaggregated.</li></ol></body></html>",
    )
    documents.docx(
        "guidance.docx",
        "Guidance on hate speech",
        ["Counter hate speech online.", "Train the police on racial profiling."],
    )
    documents.pdf(
        "report.pdf",
        [
            "1. The Special Rapporteur visited Brazil and met indigenous peoples.",
            "2. Migrants and refugees face racial discrimination in access to housing.",
        ],
    )
    return documents.folder


def test_every_format_becomes_a_document_with_ordered_tagged_passages(settings, root, folder):
    before = current(root)
    report = run(settings, folder)
    assert [o.status for o in report.outcomes] == ["added"] * 5, report.messages()
    release = report.release
    assert release.manifest.previous == before.id and before.path.is_dir()
    assert release.manifest.counts["documents"] == 5
    rows = read_passages(release.passages_path)
    assert release.manifest.counts["passages"] == len(rows) > 10
    slugs = {r.document for r in rows}
    assert slugs == {"statement", "note", "page", "guidance", "a-hrc-99-1"}  # PDF: its symbol
    html = read_passages(release.passages_path, "page")
    assert [(p.ord, p.kind, p.label, p.heading) for p in html] == [
        (1, "paragraph", "Paragraph 1", "Roma inclusion"),  # the heading is context
        (2, "paragraph", "Paragraph 2", "Roma inclusion"),
    ]
    assert {"iri": ID + "group/roma", "kind": "group", "label": "Roma", "count": 1} in html[0].tags
    pdf = read_passages(release.passages_path, "a-hrc-99-1")
    assert any(t["iri"] == ID + "country/bra" for p in pdf for t in p.tags)
    assert ask(
        root,
        f"""ASK {{ GRAPH <{BASE}graph/document/page> {{
        <{ID}document/page/p/1> a ng:Passage ; ng:order 1 ; dcterms:isPartOf <{ID}document/page> ;
            ng:text "Roma children need schooling."@en ; ng:concernsGroup <{ID}group/roma> ;
            ng:mentions <{ID}group/roma> ; ng:hasMention [ ng:mentionOf <{ID}group/roma> ;
                                                            ng:mentionCount 1 ] }} }}""",
    )
    assert ask(root, f'ASK {{ <{ID}country/bra> a ng:Country ; rdfs:label "Brazil"@en }}')


def test_provenance_of_each_document(settings, root, documents):
    path = documents.text("statement.txt", STATEMENT)
    run(settings, path, source_url="https://example.org/statement")
    rows = select(
        root,
        f"""SELECT ?sha ?name ?version ?time ?source ?format WHERE {{
        GRAPH <{BASE}graph/document/statement> {{
          <{ID}document/statement> prov:wasDerivedFrom ?file ; prov:generatedAtTime ?time ;
              prov:wasGeneratedBy ?activity ; dcterms:source ?source .
          ?file ng:sha256 ?sha ; ng:fileName ?name ; dcterms:format ?format .
          ?activity prov:used ?file ; ng:softwareVersion ?version }} }}""",
    )
    assert rows == [
        {
            "sha": hashlib.sha256(path.read_bytes()).hexdigest(),
            "name": "statement.txt",
            "version": version(),
            "time": rows[0]["time"],
            "source": "https://example.org/statement",
            "format": "text/plain",
        }
    ]


def test_statement_passages_link_to_what_it_names(settings, root, documents):
    run(settings, documents.text("network-statement.txt", STATEMENT))
    rows = select(
        root,
        f"""SELECT ?x (SUM(?n) AS ?count) WHERE {{
        ?p dcterms:isPartOf <{ID}document/network-statement> ; ng:mentions ?x ;
           ng:hasMention [ ng:mentionOf ?x ; ng:mentionCount ?n ] }} GROUP BY ?x""",
    )
    linked = {r["x"][len(ID) :]: int(r["count"]) for r in rows}
    # the passages, one a paragraph, name what the whole text names, as often
    assert {iri: linked.get(iri) for iri in STATEMENT_LINKS} == STATEMENT_LINKS


def test_unchanged_files_are_skipped_and_make_no_release(settings, root, folder):
    first = run(settings, folder).release
    before = snapshot(root)
    again = run(settings, folder)
    assert [o.status for o in again.outcomes] == ["skipped"] * 5
    assert again.release is None and snapshot(root) == before
    assert current(root).id == first.id


def test_a_changed_file_replaces_its_graph_and_passages(settings, root, documents):
    path = documents.text("note.md", "# Note\n\n1. Roma children.\n\n2. Police training.\n")
    run(settings, path)
    path.write_text("# Note\n\n1. Migrants only.\n", encoding="utf-8")
    report = run(settings, path)
    assert [o.status for o in report.outcomes] == ["replaced"]
    texts = [p.text for p in read_passages(report.release.passages_path, "note")]
    assert texts == ["Migrants only."]
    assert not ask(root, "ASK { ?p ng:text ?t FILTER(CONTAINS(?t, 'Roma children')) }")
    assert ask(root, f"ASK {{ <{ID}document/note/p/1> ng:concernsGroup <{ID}group/migrants> }}")
    assert not ask(root, f"ASK {{ <{ID}document/note/p/2> ?p ?o }}")
    assert_dumps_hold_the_store(root)


def test_remove_takes_a_document_out(settings, root, folder):
    run(settings, folder)
    report = remove(settings, ["page"], silent())
    assert [o.status for o in report.outcomes] == ["removed"]
    assert report.release.manifest.counts["documents"] == 4
    assert read_passages(report.release.passages_path, "page") == []
    assert not ask(root, f"ASK {{ GRAPH <{BASE}graph/document/page> {{ ?s ?p ?o }} }}")
    assert_dumps_hold_the_store(root)
    with pytest.raises(NormgraphError, match="no document 'nothing'"):
        remove(settings, ["nothing"], silent())


def test_alignment_attaches_official_wording_and_reports_mismatches(settings, root, documents):
    path = documents.text("unmd-en.txt", declaration_text(skip={(8, 4)}, extra_article=True))
    report = run(settings, path, instrument="unmd-1992")
    [outcome] = report.outcomes
    assert outcome.status == "added" and outcome.slug == "a-res-47-135"
    assert outcome.warnings == [
        # the corpus leaves the preamble out until it is checked against the official record
        "in the file but not in the corpus of unmd-1992: preambular paragraph 1, art/10",
        "in the corpus of unmd-1992 but not in the file: art/8/para/4",
    ]
    art = f"{ID}instrument/unmd-1992/art"
    wording = "Fixture wording of article"
    article_1 = f"1. {wording} 1, paragraph 1.\\n2. {wording} 1, paragraph 2."
    assert ask(
        root,
        f"""ASK {{ GRAPH <{BASE}graph/document/a-res-47-135> {{
        <{art}/4/para/3> ng:officialText "{wording} 4, paragraph 3."@en .
        <{art}/6> ng:officialText "{wording} 6 on minorities and their rights."@en .
        <{art}/1> ng:officialText "{article_1}"@en .
        ?p ng:wordingOf <{art}/2/para/5> ; ng:text "{wording} 2, paragraph 5."@en .
        <{ID}document/a-res-47-135> ng:wordingOf <{ID}instrument/unmd-1992> }} }}""",
    )
    assert not ask(root, f"ASK {{ <{art}/8/para/4> ng:officialText ?t }}")
    rows = read_passages(report.release.passages_path, "a-res-47-135")
    # 22 passages give a provision's wording: 19 numbered paragraphs (23 less 8(4)) and
    # articles 6, 7 and 9; articles 1-5 and 8 get the wording of their paragraphs together
    assert sum(r.provision is not None for r in rows) == 22
    # a second English text of the same provisions is refused; the first stays
    other = documents.text("unmd-copy.txt", declaration_text().replace("A/RES/47/135", ""))
    second = run(settings, other, instrument="unmd-1992")
    assert second.outcomes[0].status == "failed"
    assert "already has official en text from document 'a-res-47-135'" in second.outcomes[0].reason


def test_unknown_instrument_is_a_user_error(settings, documents):
    with pytest.raises(NormgraphError, match="--instrument nope: no instrument"):
        run(settings, documents.text("x.txt", "Article 1\n\nText."), instrument="nope")


def test_bad_input_is_reported_file_by_file_and_the_rest_ingested(cli, root, documents):
    good = documents.text("good.txt", "Roma children have the right to education.")
    documents.encrypted_pdf("locked.pdf")
    documents.image_only_pdf("scanned.pdf")
    (documents.folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    (documents.folder / "empty.txt").write_bytes(b"")
    (documents.folder / "sheet.xlsx").write_bytes(b"PK\x03\x04 not a document")
    documents.text("fake.pdf", "<!doctype html><html><body><p>not a pdf</p></body></html>")
    documents.text("huge.md", "Minorities. " * 2000)  # 24,000 bytes, over the limit set below
    before = snapshot(root)
    result = cli(
        "ingest", str(documents.folder), "--release-dir", str(root),
        env={"NORMGRAPH_MAX_INGEST_BYTES": "20000"},
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("normgraph: /")]
    reasons = {Path(line.split(": ")[1]).name: line for line in lines}
    assert set(reasons) == {"locked.pdf", "scanned.pdf", "corrupt.pdf", "empty.txt",
                            "sheet.xlsx", "fake.pdf", "huge.md"}  # fmt: skip
    assert "encrypted" in reasons["locked.pdf"]
    assert "no text layer" in reasons["scanned.pdf"]
    assert "not a readable PDF" in reasons["corrupt.pdf"]
    assert "empty file (0 bytes)" in reasons["empty.txt"]
    assert "unsupported file type" in reasons["sheet.xlsx"]
    assert "content is HTML, not PDF" in reasons["fake.pdf"]
    assert "over the limit" in reasons["huge.md"]
    assert "NORMGRAPH_MAX_INGEST_BYTES" in reasons["huge.md"]
    assert "1 added, 0 replaced, 0 skipped, 7 failed" in result.stderr
    release = current(root)
    assert release.id != before[0] and result.stdout.strip() == release.id
    assert {r.document for r in read_passages(release.passages_path)} == {"good"}
    assert release.manifest.counts["documents"] == 1, "nothing of a failed file is written"
    assert good.name in json.dumps(release.manifest.inputs)


def test_a_file_of_headings_only_is_refused(settings, documents):
    [outcome] = run(settings, documents.text("title.md", "# Only a title\n")).outcomes
    assert outcome.status == "failed" and "no paragraphs" in outcome.reason


def test_options_naming_one_document_need_one_file(cli, root, documents):
    a, b = documents.text("a.txt", "One."), documents.text("b.txt", "Two.")
    result = cli("ingest", str(a), str(b), "--slug", "x", "--release-dir", str(root))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "normgraph: error: --slug name one document: give exactly one file"
    )


def test_same_slug_twice_in_one_run_is_refused(settings, documents):
    (documents.folder / "a").mkdir()
    (documents.folder / "b").mkdir()
    (documents.folder / "a" / "report.txt").write_text("First report.", encoding="utf-8")
    (documents.folder / "b" / "report.txt").write_text("Second report.", encoding="utf-8")
    report = run(settings, documents.folder)
    assert [o.status for o in report.outcomes] == ["added", "failed"]
    assert "already took in this run" in report.outcomes[1].reason


def test_build_keeps_ingested_documents(settings, root, folder):
    run(settings, folder)
    release = build(settings, Inputs(ontology_dir(), corpus_dir()), silent())
    assert release.manifest.counts["documents"] == 5
    assert len(read_passages(release.passages_path)) == release.manifest.counts["passages"]
    assert "documents_sha256" in release.manifest.checksums
    with sqlite3.connect(release.passages_path) as db:  # a build changes no passage
        assert db.execute("SELECT COUNT(*) FROM changes").fetchone() == (0,)


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from ingest import passages, pipeline
    from kg import release
    from kg.config import Settings
    from kg.progress import silent

    root, where, file = sys.argv[1:4]
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    if where == "table":   # killed after the store took the file, before its passages
        passages.PassageTable.put_many = die
    else:                  # killed with the release complete, before `current` switches
        release.Releases._point_current_to = die
    pipeline.ingest(Settings.load(environ={}, release_dir=root), [Path(file)],
                    pipeline.Options(), silent())
    """
)


@pytest.mark.parametrize("where", ["table", "switch"])
def test_ingest_killed_midway_leaves_the_previous_release_current(settings, root, documents, where):
    path = documents.text("statement.txt", STATEMENT)
    before = snapshot(root)
    command = [sys.executable, "-c", KILLER, str(root), where, str(path)]
    killed = subprocess.run(command, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(root) == before
    assert not ask(root, "ASK { ?d a ng:Document }")
    report = run(settings, path)  # the next run sweeps debris, goes through
    assert [o.status for o in report.outcomes] == ["added"]
    assert not list((root / "releases").glob(".staging-*"))


def test_document_graphs_carry_the_entailments_queries_need(settings, root, folder):
    run(settings, folder)
    assert ask(
        root,
        f"""ASK {{ GRAPH <{BASE}graph/document/page> {{
        <{ID}document/page/p/1> dcterms:subject <{ID}group/roma> ;
            dcterms:references <{ID}group/roma> ; a prov:Entity }} }}""",
    )
    assert ask(root, f"ASK {{ <{ID}country/bra> a dcterms:Location }}")


def test_symbol_in_the_running_head_of_a_long_pdf_names_the_document(settings, documents):
    paragraphs = [
        f"{n}. Paragraph {n} on the situation of minority group {n * 7}." for n in range(1, 200)
    ]
    path = documents.pdf("advance-version.pdf", paragraphs, header="A/HRC/55/12")
    [outcome] = run(settings, path).outcomes
    assert outcome.status == "added" and outcome.pages > 2 and outcome.slug == "a-hrc-55-12"


def test_reading_ahead_in_a_worker_gives_what_a_serial_run_gives(
    base_release, tmp_path, folder, documents, monkeypatch
):
    # issue 15: a worker process analyses the next files while one is written; the
    # release must be the same bytes as a serial run's, refusals included, in file order
    documents.text("statement.txt", STATEMENT)
    documents.text("title.md", "# Only a title\n")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    (folder / "twin").mkdir()
    (folder / "twin" / "statement.txt").write_text(STATEMENT, encoding="utf-8")
    now = datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC)
    fixed = type("Fixed", (datetime.datetime,), {"now": classmethod(lambda cls, tz=None: now)})
    monkeypatch.setattr(pipeline, "dt", SimpleNamespace(datetime=fixed, UTC=datetime.UTC))
    seen = []
    for ahead in (False, True):
        root = copy_release(base_release, tmp_path / f"var-{ahead}")
        settings = Settings.load(environ={}, release_dir=root)
        report = ingest(settings, [folder], Options(), silent(), ahead=ahead)
        release = current(root)
        dumps = {p.name: p.read_bytes() for p in (release.path / "dumps").iterdir()}
        outcomes = [(o.path, o.status, o.slug, o.passages, o.reason) for o in report.outcomes]
        seen.append((outcomes, dumps, read_passages(release.passages_path)))
    assert seen[0] == seen[1]
    statuses = [status for _, status, *_ in seen[0][0]]
    assert statuses.count("failed") == 3 and statuses.count("added") == 5
