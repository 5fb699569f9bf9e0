"""Structure of legal and UN documents: articles, numbered paragraphs, (a)/(i) items,
preambular and operative paragraphs, section headings."""

from ingest.extract.model import Block
from ingest.extract.text import blocks_of
from ingest.segment import segment

RESOLUTION = """The Human Rights Council,

Recalling the Universal Declaration of Human Rights,

Deeply concerned at the excessive use of force,

1. Condemns the continuing racially discriminatory practices;

2. Requests the High Commissioner:
(a) To prepare a report;
(b) To address, inter alia:
(i) accountability;
(ii) redress;
(c) To present it at the forty-seventh session;

3. Decides to remain seized of the matter.
"""


def shape(text: str) -> list[tuple[str, tuple]]:
    return [(s.kind, s.path) for s in segment(blocks_of(text))]


def test_resolution_preamble_operative_paragraphs_and_items():
    assert shape(RESOLUTION) == [
        ("text", ()),
        ("preambular", (("pp", "1"),)),
        ("preambular", (("pp", "2"),)),
        ("operative", (("para", "1"),)),
        ("operative", (("para", "2"),)),
        ("item", (("para", "2"), ("item", "a"))),
        ("item", (("para", "2"), ("item", "b"))),
        ("item", (("para", "2"), ("item", "b"), ("subitem", "i"))),
        ("item", (("para", "2"), ("item", "b"), ("subitem", "ii"))),
        ("item", (("para", "2"), ("item", "c"))),
        ("operative", (("para", "3"),)),
    ]


def test_articles_with_and_without_paragraphs_and_labels():
    text = (
        "Article 1\n\n1. First.\n\n2. Second.\n\nArticle 2\nOne paragraph only\nrunning over lines."
    )
    segments = segment(blocks_of(text))
    assert [(s.kind, s.path) for s in segments] == [
        ("paragraph", (("art", "1"), ("para", "1"))),
        ("paragraph", (("art", "1"), ("para", "2"))),
        ("article", (("art", "2"),)),
    ]
    assert segments[1].label == "Article 1, paragraph 2"
    assert segments[2].text == "One paragraph only running over lines."


def test_other_languages_and_article_premier():
    assert shape("Article premier\n\nTexte.\n\nArtículo 2\n\nTexto.") == [
        ("article", (("art", "1"),)),
        ("article", (("art", "2"),)),
    ]


def test_letter_i_after_h_is_a_letter_not_a_roman_numeral():
    items = "\n".join(f"({c}) item {c};" for c in "abcdefghij")
    paths = [s.path[-1] for s in segment(blocks_of("5. Calls upon States:\n" + items))[1:]]
    assert paths == [("item", c) for c in "abcdefghij"]


def test_section_headings_are_context_not_passages():
    blocks = [
        Block("II. Recommendations", heading=False),
        Block("12. The Committee recommends data collection."),
        Block("Annex", heading=True),
        Block("A closing note."),
    ]
    segments = segment(blocks)
    assert [(s.kind, s.heading) for s in segments] == [
        ("paragraph", "II. Recommendations"),
        ("text", "Annex"),
    ]


def test_numbered_items_run_together_in_one_block_are_split():
    block = Block("7. Urges States to act:\n(a) now;\n(b) together.\n8. Decides to act.")
    assert [s.path for s in segment([block])] == [
        (("para", "7"),),
        (("para", "7"), ("item", "a")),
        (("para", "7"), ("item", "b")),
        (("para", "8"),),
    ]


def test_a_paragraph_continued_in_lower_case_stays_one_segment():
    segments = segment([Block("3. The State party should ensure that"), Block("it adopts a law.")])
    assert len(segments) == 1
    assert segments[0].text == "The State party should ensure that\nit adopts a law."


def test_four_digit_paragraph_numbers_only_in_sequence():
    blocks = [Block(f"{n}. Paragraph {n}.") for n in (998, 999, 1000)] + [Block("2020. A year.")]
    assert [(s.kind, s.path) for s in segment(blocks)] == [
        ("paragraph", (("para", "998"),)),
        ("paragraph", (("para", "999"),)),
        ("paragraph", (("para", "1000"),)),
        ("text", ()),
    ]
