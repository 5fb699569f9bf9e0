"""A small lexer over SPARQL text, for the few decisions normgraph must make
before handing a request to the engine: which query form it is (to negotiate a
format up front), whether it calls SERVICE (refused), and how to apply the
protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to an update.

Strings, IRIs and comments are recognised so that keywords inside them are
never mistaken for syntax. It does not validate: the engine's parser does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<word>[A-Za-z_][\w\-.:]*[\w\-:]|[A-Za-z_]|[?$][\w]+|[\w\-.]*:[\w\-.:%]*)
    | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class Token:
    kind: str  # word | iri | string | punct
    text: str
    start: int
    end: int
    depth: int  # nesting of { } and ( ) when the token starts

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


@lru_cache(maxsize=16)  # one query's text is asked about several times (form, SERVICE, columns)
def tokens(text: str) -> tuple[Token, ...]:
    """Significant tokens (no whitespace or comments), each with its brace depth."""
    out: list[Token] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        value = match.group()
        if value in "})" and kind == "punct":
            depth = max(0, depth - 1)
        out.append(Token(kind, value, match.start(), match.end(), depth))
        if value in "{(" and kind == "punct":
            depth += 1
    return tuple(out)


def _skip_prologue(toks: list[Token], i: int) -> int:
    """Index of the first token after any BASE / PREFIX declarations from ``i``."""
    while i < len(toks):
        if toks[i].keyword == "BASE":
            i += 2
        elif toks[i].keyword == "PREFIX":
            i += 3
        else:
            break
    return i


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; None when the text is no query (e.g. an update)."""
    toks = tokens(text)
    i = _skip_prologue(toks, 0)
    return toks[i].keyword if i < len(toks) and toks[i].keyword in QUERY_FORMS else None


def star_variables(text: str) -> list[str] | None:
    """For ``SELECT * ...``, its variables in the order they first appear in the text
    (the order Jena and Virtuoso give, where pyoxigraph sorts them); None otherwise."""
    toks = tokens(text)
    i = _skip_prologue(toks, 0)
    head = [t.text.upper() for t in toks[i : i + 3]]
    star = 2 if head[1:2] in (["DISTINCT"], ["REDUCED"]) else 1
    if head[:1] != ["SELECT"] or head[star : star + 1] != ["*"]:
        return None
    seen = dict.fromkeys(t.text[1:] for t in toks[i:] if t.kind == "word" and t.text[0] in "?$")
    return list(seen)


def calls_service(text: str) -> bool:
    """Does the text use SERVICE (federated query) anywhere?"""
    return any(t.keyword == "SERVICE" for t in tokens(text))


class DatasetConflict(ValueError):
    """The protocol gave a dataset and the update names its own (USING / WITH)."""


def _operations(toks: list[Token]) -> list[list[Token]]:
    ops: list[list[Token]] = [[]]
    for tok in toks:
        if tok.text == ";" and tok.depth == 0 and tok.kind == "punct":
            ops.append([])
        else:
            ops[-1].append(tok)
    return [op for op in ops if op]


def _iris(graphs: tuple[str, ...], named: bool) -> str:
    word = "USING NAMED" if named else "USING"
    return "".join(f" {word} <{g}>" for g in graphs)


def apply_using(update: str, default: tuple[str, ...], named: tuple[str, ...]) -> str:
    """Rewrite ``update`` so that every DELETE/INSERT ... WHERE evaluates its WHERE
    against the protocol's dataset (SPARQL 1.1 Protocol §2.2.3).

    The shorthand ``DELETE WHERE { P }`` becomes ``DELETE { P } USING ... WHERE { P }``,
    which is its definition. An operation that has its own USING or WITH is a
    conflict the protocol says to refuse.
    """
    if not default and not named:
        return update
    clause = _iris(default, False) + _iris(named, True)
    toks = tokens(update)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    for op in _operations(toks):
        body = op[_skip_prologue(op, 0) :]
        top = [t for t in body if t.depth == 0]
        if not top or top[0].keyword not in ("WITH", "DELETE", "INSERT"):
            continue
        if top[0].keyword == "WITH" or any(t.keyword == "USING" for t in top):
            raise DatasetConflict(
                "the request gives using-graph-uri/using-named-graph-uri and the update "
                "has its own USING or WITH clause; give the dataset in one place only"
            )
        where = next((t for t in top if t.keyword == "WHERE"), None)
        if where is None or (len(top) > 1 and top[1].keyword == "DATA"):
            continue
        if top[0].keyword == "DELETE" and top[1] is where:  # DELETE WHERE { P }
            group = _group_after(body, where)
            edits.append((top[0].end, where.end, f" {group}{clause} WHERE"))
        else:
            edits.append((where.start, where.start, clause.strip() + " "))
    for start, end, replacement in sorted(edits, reverse=True):
        update = update[:start] + replacement + update[end:]
    return update


def _group_after(toks: list[Token], where: Token) -> str:
    """The text of the { ... } group that follows ``where`` (for DELETE WHERE)."""
    i = toks.index(where) + 1
    opening = toks[i]
    for tok in toks[i + 1 :]:
        if tok.text == "}" and tok.depth == opening.depth:
            return _source(toks, opening, tok)
    return ""


def _source(toks: list[Token], first: Token, last: Token) -> str:
    return " ".join(t.text for t in toks if first.start <= t.start <= last.start)
