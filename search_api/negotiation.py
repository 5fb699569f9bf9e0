"""Content negotiation over rows of kg/formats.py: a ``format`` parameter first
(for browsers and clients such as SPARQLWrapper), then ``Accept`` with
q-values (werkzeug's parser). One function, used by every surface."""

from __future__ import annotations

from flask import Request

from kg.errors import FormatError, NotAcceptable
from kg.formats import Format


def pick(
    request: Request, candidates: list[Format], params: tuple[str, ...] = ("format",)
) -> Format:
    """The format to answer in, among ``candidates`` (the first is the default).
    Clients such as SPARQLWrapper repeat the choice under several parameter names and
    values (``format=tsv&format=text/tab-separated-values&output=tsv``): the first value
    that names a candidate wins."""
    given = [v for param in params for v in request.values.getlist(param) if v]
    if given:
        for value in given:
            for fmt in candidates:
                if fmt.name == value:
                    return fmt
            for fmt in candidates:
                if fmt.answers_to(value):
                    return fmt
        names = ", ".join(f.name for f in candidates)
        raise FormatError(f"format {given[0]!r} is not one of: {names}")
    accept = request.accept_mimetypes
    if not accept:
        return candidates[0]
    offered = [media for fmt in candidates for media in fmt.media_types]
    best = accept.best_match(offered)
    if best is None:
        raise NotAcceptable(
            "none of the accepted media types can be served here; available: "
            + ", ".join(fmt.media_types[0] for fmt in candidates)
        )
    return next(fmt for fmt in candidates if best in fmt.media_types)


HTML_TYPES = ("text/html", "application/xhtml+xml")


def prefers_html(request: Request) -> bool:
    """A browser asking for a page: HTML is named explicitly (not merely through */*)
    with the highest quality of any type named. Browsers list several types at q=1
    (Chromium: text/html, application/xhtml+xml, image/avif, image/webp, ...), so
    this compares qualities rather than taking the first entry."""
    named = [(value, q) for value, q in request.accept_mimetypes if "*" not in value]
    if not named:
        return False
    top = max(q for _, q in named)
    return any(value in HTML_TYPES and q == top for value, q in named)
