"""The shapes of ingested content: every new term is constrained, and a broken document
graph is refused with the rule it breaks."""

from pyoxigraph import Literal, NamedNode, Store, Triple

from ingest import document as documents
from ingest.provenance import Source
from ingest.shapes import DocumentShapes
from kg.embedded import ontology_dir
from kg.iris import Iris
from kg.release import Releases
from kg.sources import read_turtle
from kg.vocab import EXTERNAL

from .conftest import BASE

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


def _document(iris: Iris) -> list[Triple]:
    source = Source("ab" * 32, "x.txt", "text/plain", None, "2026-01-01T00:00:00Z", "0.1.0")
    doc = documents.Document(slug="x", title="X", language="en", source=source)
    doc.passages = [documents.Passage(1, "text", "passage 1", "", "Some text.")]
    return documents.triples(doc, iris)


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
