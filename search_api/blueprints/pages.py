"""The web pages people use: the search page at / and the SPARQL editor (the
browser side of /sparql), plus what every template shares — the page language
(lang= or Accept-Language) and links that keep a chosen language. Resource pages
are served by linked_data (/doc/...), from search_api.views.resource."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from kg.vocab import prefixes
from search_api.blueprints.api import search_request
from search_api.cache import release_answer
from search_api.errors import ApiError
from search_api.params import check_known, single
from search_api.runtime import runtime
from search_api.search.parameters import SEARCH_PARAMS
from search_api.search.thesaurus import schemes
from search_api.views.examples import editor_text, examples
from search_api.views.language import UN_LANGUAGES, Language, choose, direction
from search_api.views.search import search_page

bp = Blueprint("pages", __name__)
PAGE_FORMATS = ("html", "json")


def page_language() -> Language:
    """The language of the page: lang= if it names a UN language, else Accept-Language."""
    requested = request.args.get("lang")
    return choose(requested, list(request.accept_languages))


def page_format() -> str:
    """html (the default) or json: the two renderings of a page's view model."""
    fmt = single(request.args, "format") or "html"
    if fmt not in PAGE_FORMATS:
        raise ApiError(400, f"parameter 'format' must be one of {', '.join(PAGE_FORMATS)}")
    return fmt


@bp.app_context_processor
def _shared() -> dict[str, Any]:
    language = page_language()
    keep = {"lang": language.code} if language.chosen else {}

    def doc_url(path: str | None, **args: Any) -> str | None:
        """The page of a resource (by its path under /doc/), keeping a chosen language."""
        return url_for("linked_data.page", path=path, **keep, **args) if path else None

    def search_url(query: list[tuple[str, str]] | None = None) -> str:
        """The search page for a query string, keeping a chosen language."""
        pairs = [(k, v) for k, v in (query or []) if k != "lang"] + list(keep.items())
        return url_for("pages.search") + ("?" + urlencode(pairs) if pairs else "")

    return {
        "language": language,
        "languages": UN_LANGUAGES,
        "keep_lang": keep,
        "doc_url": doc_url,
        "search_url": search_url,
        "text_dir": direction,
    }


@bp.get("/")
def search() -> Response:
    check_known(request.args, SEARCH_PARAMS | {"format"})
    fmt = page_format()
    live = runtime().live()
    language = page_language()
    query = [(k, v) for k, v in request.args.items(multi=True) if k not in ("format", "lang")]
    asked = search_request(language.code if language.chosen else None) if _asked() else None

    def render() -> str:
        # a language chosen with lang= is the question's; otherwise the engine detects it
        results = live.searcher.search(asked) if asked else None
        browse = [] if results else schemes(live.query, language.code)
        view = search_page(results, query, live.iris, browse)
        if fmt == "json":
            return current_app.json.dumps(asdict(view))
        return render_template("search.html", page=view)

    mimetype = "application/json" if fmt == "json" else "text/html"
    response = release_answer(live, render, mimetype, f"{fmt}-{'-'.join(language.order)}")
    response.vary.add("Accept-Language")
    return response


def _asked() -> bool:
    return bool((request.args.get("q") or "").strip())


def sparql_editor(endpoint: str) -> Response:
    """The editor page for browsers that GET /sparql without a query."""
    known = prefixes(runtime().live().base)
    shown = [(ex, editor_text(ex, known)) for ex in examples()]
    first = next((ex.name for ex, _ in shown if ex.expects == "rows"), "")
    html = render_template("sparql.html", endpoint=endpoint, examples=shown, first=first)
    return Response(html, mimetype="text/html")
