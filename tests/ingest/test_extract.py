"""Extraction from every format: paragraph boundaries and numbering kept, running heads,
page numbers and hyphenation gone from PDFs, text normalised without losing characters."""

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingest.errors import Rejected
from ingest.extract import pdf, read_file
from ingest.extract.sniff import sniff
from ingest.normalize import join_lines, normalize
from ingest.segment import segment

from .documents import write_two_column_report

LIMIT = 10_000_000


def texts(path: Path) -> list[str]:
    return [block.text.replace("\n", " ") for block in read_file(path, LIMIT)[1].blocks]


def test_pdf_drops_running_heads_and_page_numbers_and_undoes_hyphenation(documents):
    topics = ["education", "housing", "health care", "policing", "employment", "language use",
              "media", "citizenship", "land", "culture"]  # fmt: skip
    paragraphs = [
        f"{n}. The Committee recommends, as to {topics[n % 10]} in observation {n}, that the "
        f"State party strengthen the independence of its institution number {n * 37} and review "
        f"the law enforce-\nment training given on {topics[(n * 3) % 10]} in its region {n}."
        for n in range(1, 41)
    ]
    extracted = read_file(documents.pdf("report.pdf", paragraphs), LIMIT)[1]
    assert extracted.kind == "pdf" and extracted.pages >= 3
    joined = "\n".join(b.text for b in extracted.blocks)
    assert "fixture document" not in joined, "running header must go"
    assert not any(line.strip().isdigit() for line in joined.split("\n")), "page numbers must go"
    numbered = [s for s in segment(extracted.blocks) if s.kind == "paragraph"]
    assert [s.path for s in numbered] == [(("para", str(n)),) for n in range(1, 41)]
    assert all("law enforcement training" in s.text for s in numbered), "hyphenation must go"
    assert numbered[-1].text.endswith("in its region 40.")


def test_pdf_paragraph_cut_by_a_page_break_is_joined(documents):
    long = " ".join(f"word{n}" for n in range(900))  # runs over a page
    blocks = texts(documents.pdf("long.pdf", ["1. " + long + " end.", "2. Next paragraph."]))
    first = next(b for b in blocks if b.startswith("1. "))
    assert first.split()[-1] == "end." and "word899" in first


def test_docx_keeps_headings_and_rebuilds_word_numbering(documents):
    path = documents.docx(
        "decl.docx",
        "Article 1",
        ["States shall protect minorities.", "States shall adopt laws."],
        body=["Persons belonging to minorities have rights."],
    )
    extracted = read_file(path, LIMIT)[1]
    assert extracted.title == "Article 1"
    assert extracted.blocks[0].heading and extracted.blocks[0].text == "Article 1"
    assert [b.text for b in extracted.blocks[2:]] == [
        "1. States shall protect minorities.",
        "2. States shall adopt laws.",
    ]


def test_html_keeps_list_numbers_and_drops_page_furniture(documents):
    path = documents.text(
        "page.html",
        """<!DOCTYPE html><html lang="fr"><head><title>Résolution</title><style>p{}</style></head>
        <body><nav>Menu Home</nav><main><h1>Article 2</h1>
        <ol start="3"><li>Les <em>États</em> protègent</li><li>Deuxième</li></ol>
        <ol type="a"><li>alpha</li><li>beta</li></ol>
        <p>Ligne<br>suivante</p><script>alert(1)</script></main>
        <footer>© UN</footer></body></html>""",
    )
    extracted = read_file(path, LIMIT)[1]
    assert extracted.title == "Résolution" and extracted.language == "fr"
    got = [b.text for b in extracted.blocks]
    assert got == ["Article 2", "3. Les États protègent", "4. Deuxième", "(a) alpha", "(b) beta",
                   "Ligne\nsuivante"]  # fmt: skip
    assert extracted.blocks[0].heading


def test_markdown_headings_lists_and_inline_markup(documents):
    path = documents.text(
        "note.md", "# Guidance note\n\nSee *the* [Declaration](http://x).\n\n1. First\n2. Second\n"
    )
    blocks = read_file(path, LIMIT)[1].blocks
    assert [b.text for b in blocks] == [
        "Guidance note",
        "See the Declaration.",
        "1. First",
        "2. Second",
    ]
    assert blocks[0].heading


def test_plain_text_paragraphs_and_legacy_encodings(documents):
    path = documents.folder / "latin1.txt"
    path.write_bytes(
        "Première ligne du paragraphe\navec accents é à ç.\n\nDeuxième.".encode("cp1252")
    )
    assert texts(path) == ["Première ligne du paragraphe avec accents é à ç.", "Deuxième."]


def test_normalisation_nfc_quotes_spaces_without_losing_characters():
    decomposed = "Re\u0301publique \u201cquoted\u201d l\u2019État\u00a0\u00a0x\u00ad y ﬁnal"
    decomposed += " ² ½ Ω 中文 العربية"
    assert normalize(decomposed) == 'République "quoted" l\'État x y final ² ½ Ω 中文 العربية'
    assert join_lines(["law enforce-", "ment and non-", "discrimination", "Next"]) == (
        "law enforcement and non-discrimination Next"
    )


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"<!doctype html><html><body>x</body></html>", "html"),
        (b"\x89PNG\r\n\x1a\n....", "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "doc"),
        (b"plain words", "text"),
        (b"   \n ", "empty"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_sniffing_tells_content_apart(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "empty file (0 bytes)"),
        ("blank.md", b"  \n\n ", "holds no text"),
        ("table.xlsx", b"PK\x03\x04", "unsupported file type (extension '.xlsx')"),
        ("page.pdf", b"<!doctype html><html><body>hi</body></html>", "content is HTML, not PDF"),
        ("letter.docx", b"just some words", "content is plain text, not a Word document"),
        ("broken.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8, "not a readable PDF"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 64, "content is binary data, not a Word"),
        ("data.txt", bytes(range(256)) * 4, "content is binary data, not plain text"),
    ],
)
def test_bad_input_is_rejected_with_the_reason(documents, name, content, reason):
    path = documents.folder / name
    path.write_bytes(content)
    with pytest.raises(Rejected) as caught:
        read_file(path, LIMIT)
    assert reason in caught.value.reason and caught.value.path == str(path)


def test_encrypted_image_only_and_oversized_pdfs_are_rejected(documents):
    with pytest.raises(Rejected, match="encrypted"):
        read_file(documents.encrypted_pdf("locked.pdf"), LIMIT)
    with pytest.raises(Rejected, match="no text layer"):
        read_file(documents.image_only_pdf("scan.pdf"), LIMIT)
    big = documents.pdf("big.pdf", ["Some text."])
    with pytest.raises(Rejected, match=r"over the limit of .*NORMGRAPH_MAX_INGEST_BYTES"):
        read_file(big, 100)


def test_pdf_two_columns_are_read_one_after_the_other_and_footnotes_after_them(documents):
    # a page set like a UN report (documents.write_two_column_report); side by side, the
    # columns' lines would interleave paragraph n with paragraph n + 4
    paragraphs = [
        f"{n}. The Special Rapporteur notes that minorities in region {n} face barriers to "
        "education, housing and participation in public life."
        for n in range(1, 9)
    ]
    notes = ["1 See A/HRC/43/47, para. 12.", "2 General Assembly resolution 47/135, annex."]
    path = write_two_column_report(
        documents.folder / "two.pdf", "A/HRC/99/2", "Report on minority issues", paragraphs, notes
    )
    assert texts(path)[-9:] == [*paragraphs, " ".join(notes)]


def test_pdf_boxes_and_gutter_are_pypdfium2s_and_the_plain_scan(documents):
    # pdf._boxes reads each box's text in one call into a shared buffer and pdf._gutter
    # counts crossings with numpy: both must give what get_text_bounded and a plain
    # scan give (issue 15: same passages, less time)
    paragraphs = [
        f"{n}. Minorities in region {n} face barriers to educa-\ntion. " * 3 for n in range(1, 9)
    ]
    path = write_two_column_report(
        documents.folder / "boxes.pdf", "A/HRC/99/3", "Report", paragraphs, ["1 See note."]
    )
    document = pdfium.PdfDocument(path.read_bytes())
    page = document[0]
    textpage = page.get_textpage()
    expected = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top)
        text = text.replace("\x02", "-").replace("\ufffe", "-")
        if text.strip():
            expected.append((left, bottom, right, top, text))
    assert pdf._boxes(textpage) == expected and len(expected) > 8
    width = page.get_width()
    assert pdf._gutter(expected, width) == min(
        (sum(1 for b in expected if b[0] < x < b[2]), x)
        for x in range(int(width * 0.35), int(width * 0.65), 2)
    )
    textpage.close()
    document.close()
