"""One file in, normalised blocks out: size limit, content sniffing, dispatch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.errors import Rejected
from ingest.extract import docx, html, markdown, pdf, text
from ingest.extract.model import Extracted
from ingest.extract.sniff import NAMES, sniff

# extension -> (format, media type)
SUPPORTED: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "application/pdf"),
    ".html": ("html", "text/html"),
    ".htm": ("html", "text/html"),
    ".xhtml": ("html", "application/xhtml+xml"),
    ".docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".txt": ("text", "text/plain"),
    ".text": ("text", "text/plain"),
    ".md": ("markdown", "text/markdown"),
    ".markdown": ("markdown", "text/markdown"),
}
# What the content may be for each claimed format: an HTML fragment without <html> sniffs
# as text, and Markdown is text.
_ACCEPTS = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "html": {"html", "text"},
    "text": {"text"},
    "markdown": {"text"},
}
_EXTRACTORS: dict[str, Callable[[bytes, Path], Extracted]] = {
    "pdf": pdf.extract,
    "docx": docx.extract,
    "html": html.extract,
    "text": text.extract,
    "markdown": markdown.extract,
}


def claimed_format(path: Path) -> tuple[str, str]:
    """(format, media type) by extension; an unknown extension is refused."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        known = " ".join(sorted(SUPPORTED))
        what = f"extension {suffix!r}" if suffix else "no extension"
        raise Rejected(path, f"unsupported file type ({what}); normgraph reads {known}")
    return SUPPORTED[suffix]


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing empty and oversized files before reading them."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise Rejected(path, "empty file (0 bytes)")
        if size > max_bytes:
            raise Rejected(
                path,
                f"file is {_size(size)}, over the limit of {_size(max_bytes)} "
                "(raise NORMGRAPH_MAX_INGEST_BYTES to accept it)",
            )
        return path.read_bytes()
    except OSError as error:
        raise Rejected(path, f"cannot read the file: {error.strerror}") from None


def read_file(path: Path, max_bytes: int) -> tuple[bytes, Extracted]:
    """The file's bytes and its extracted text; raises Rejected with the reason."""
    claimed_format(path)
    data = read_bytes(path, max_bytes)
    return data, extract_bytes(path, data)


def extract_bytes(path: Path, data: bytes) -> Extracted:
    """Text of bytes read from ``path`` (whose extension says what they should be)."""
    fmt, media_type = claimed_format(path)
    found = sniff(data)
    if found == "empty":
        raise Rejected(path, "the file holds no text (only whitespace)")
    if found not in _ACCEPTS[fmt]:
        raise Rejected(
            path,
            f"content is {NAMES[found]}, not {NAMES[fmt]} as its extension {path.suffix!r} says",
        )
    extracted = _EXTRACTORS[fmt](data, path)
    extracted.media_type = media_type
    if not any(block.text.strip() for block in extracted.blocks):
        raise Rejected(path, f"no text found in this {NAMES[fmt]} file")
    return extracted


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)
