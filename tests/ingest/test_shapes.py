"""The shapes of ingested content: every new term is constrained, a broken document
graph is refused with the rule it breaks, ingest's own check (DocumentCheck) refuses what
pySHACL refuses, and what ingest writes passes pySHACL."""

import pytest
from pyoxigraph import Literal, NamedNode, Store, Triple

from ingest import document as documents
from ingest.pipeline import Options, ingest
from ingest.provenance import Source
from ingest.shapes import DocumentCheck, DocumentShapes
from ingest.tagging import Mention
from kg.embedded import ontology_dir
from kg.iris import Iris
from kg.progress import silent
from kg.release import Releases
from kg.sources import read_turtle
from kg.vocab import EXTERNAL

from .conftest import BASE, STATEMENT, declaration_text

SH = EXTERNAL["sh"]
INGEST_TERMS = (
    "Mention Country text officialText wordingOf mentions hasMention mentionOf mentionCount "
    "sha256 fileName softwareVersion"
).split()


def test_every_ingest_term_is_checked_by_a_shape():
    shapes = read_turtle("ontology", ontology_dir(), ontology_dir() / "shapes.ttl", Iris(BASE))
    constrained = {
        t.object.value
        for t in shapes.triples
        if t.predicate.value in (SH + "path", SH + "targetClass", SH + "targetSubjectsOf")
    }
    for term in INGEST_TERMS:
        assert BASE + "def/" + term in constrained, term


def _doc() -> documents.Document:
    source = Source("ab" * 32, "x.txt", "text/plain", None, "2026-01-01T00:00:00Z", "0.1.0")
    doc = documents.Document(slug="x", title="X", language="en", source=source)
    doc.passages = [documents.Passage(1, "text", "passage 1", "", "Some text.")]
    return doc


def _document(iris: Iris) -> list[Triple]:
    return [q.triple for q in documents.quads(_doc(), iris)]


def test_a_document_graph_is_checked_before_it_is_written(base_release):
    iris = Iris(BASE)
    store = Store.read_only(str(Releases(base_release).current().store_path))
    shapes = DocumentShapes(store, iris)
    triples = _document(iris)
    assert shapes.check("x.txt", iris.document_graph("x"), triples) == []
    order = NamedNode(BASE + "def/order")
    broken = [t for t in triples if t.predicate != order]
    broken.append(
        Triple(iris.passage("x", 1), NamedNode(BASE + "def/text"), Literal("Again.", language="en"))
    )
    problems = [str(v) for v in shapes.check("x.txt", iris.document_graph("x"), broken)]
    assert any("a passage needs its position in the document" in p for p in problems)
    assert any("exactly one non-empty text" in p for p in problems)


ID = BASE + "id/"
# what a document's data can break that its graph's construction does not rule out
BROKEN = {
    "empty text": (lambda p: setattr(p, "text", ""), "exactly one non-empty text"),
    "count 0": (
        lambda p: p.mentions.append(Mention(ID + "theme/covid-19", "theme", "COVID-19", 0, "x")),
        "a mention needs its count, at least 1",
    ),
    "not a theme": (
        lambda p: p.mentions.append(Mention(ID + "group/roma", "theme", "Roma", 1, "Roma")),
        "themes must be ids from ontology/themes.ttl",
    ),
    "not a group": (
        lambda p: p.mentions.append(Mention(ID + "theme/gender", "group", "gender", 1, "g")),
        "groups must be ids from ontology/groups.ttl",
    ),
    "not a provision": (
        lambda p: setattr(p, "provision", ID + "instrument/unmd-1992"),
        "a passage gives the wording of at most one provision of the corpus",
    ),
}


@pytest.fixture(scope="module")
def base_store(base_release):
    return Store.read_only(str(Releases(base_release).current().store_path))


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_ingest_check_refuses_what_pyshacl_refuses(base_store, case):
    iris = Iris(BASE)
    check, shapes = DocumentCheck(base_store, iris), DocumentShapes(base_store, iris)
    doc = _doc()
    doc.passages[0].mentions.append(Mention(ID + "theme/gender", "theme", "gender", 2, "g"))
    assert check.check(doc) == [] and shapes.check("x", iris.document_graph("x"), _g(doc)) == []
    breaks, message = BROKEN[case]
    breaks(doc.passages[0])
    assert any(message in problem for problem in check.check(doc))
    found = shapes.check("x", iris.document_graph("x"), _g(doc))
    assert any(message in str(v) for v in found), found


def _g(doc: documents.Document) -> list[Triple]:
    return [q.triple for q in documents.quads(doc, Iris(BASE))]


def test_what_ingest_writes_conforms_to_the_shapes(settings, root, documents):
    """pySHACL is off ingest's hot path: it still passes every graph ingest writes, with
    tags of every kind, countries, official wording and an instrument."""
    statement = documents.text("statement.txt", STATEMENT)
    declaration = documents.text("unmd-en.txt", declaration_text())
    ingest(settings, [statement], Options(), silent())
    ingest(settings, [declaration], Options(instrument="unmd-1992"), silent())
    iris = Iris(BASE)
    store = Store.read_only(str(Releases(root).current().store_path))
    shapes = DocumentShapes(store, iris)
    for slug in ("statement", "a-res-47-135"):
        graph = iris.document_graph(slug)
        quads = store.quads_for_pattern(None, None, None, graph)
        triples = [Triple(q.subject, q.predicate, q.object) for q in quads]
        assert len(triples) > 100
        assert shapes.check(slug, graph, triples) == []
