"""What a file's bytes are, told from its content (magic numbers, structure, decoding),
so that a file is never trusted on its extension alone."""

from __future__ import annotations

import codecs
import io
import re
import zipfile

from charset_normalizer import from_bytes

# Human names for the kinds, used in messages.
NAMES = {
    "pdf": "PDF",
    "docx": "a Word document (DOCX)",
    "html": "HTML",
    "text": "plain text",
    "markdown": "Markdown",
    "doc": "a legacy binary Office file (DOC/XLS/PPT)",
    "zip": "a ZIP archive",
    "office": "an Office file that is not a Word document",
    "image": "an image",
    "binary": "binary data",
    "empty": "empty",
}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"\x1f\x8b", "binary"),  # gzip
    (b"7z\xbc\xaf", "binary"),
    (b"Rar!", "binary"),
    (b"\x7fELF", "binary"),
)
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff(data: bytes) -> str:
    """One of: pdf, docx, office, zip, doc, image, binary, html, text, empty."""
    if not data.strip():
        return "empty"
    if b"%PDF-" in data[:1024]:  # the header may follow a few bytes of junk
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    text = decode(data)
    if text is None:
        return "binary"
    if _HTML_START.match(text[:4096].encode("utf-8", "replace")):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return "binary"
    if "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names:
        return "office"
    return "zip"


def _western(data: bytes) -> str | None:
    """Windows-1252, the usual legacy encoding of English, French and Spanish documents:
    taken when it decodes and most letters are plain ASCII (detectors guess wrong on short
    texts, e.g. Central European code pages for French)."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    ascii_letters = sum(c.isascii() for c in letters)
    return text if letters and ascii_letters >= 0.7 * len(letters) else None


def decode(data: bytes) -> str | None:
    """The bytes as text, or None when they are not text in any encoding we can tell."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _western(data)
    if western is not None:
        return western
    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    # charset detection decodes anything; real text has few control characters
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    return None if controls > len(text) / 100 else text
