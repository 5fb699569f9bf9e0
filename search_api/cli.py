"""The `normgraph` command. Thin: parse arguments, call one domain function,
print. A NormgraphError becomes one line on stderr and exit status 1."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kg import version
from kg.config import Settings, settings_help
from kg.errors import NormgraphError
from kg.formats import names
from kg.progress import Progress, silent

Handler = Callable[[argparse.Namespace], int | None]


# ---------------------------------------------------------------- commands
def cmd_build(args: argparse.Namespace) -> int:
    from kg.build import build
    from kg.release import Releases

    settings = _settings(args)
    progress = silent() if args.quiet else Progress("build")
    if args.if_missing and Releases(settings.release_dir).exists():
        current = Releases(settings.release_dir).current()
        progress.say(f"release {current.id} exists; nothing to do (--if-missing)")
        return 0
    from search_api.search.encoder import encoder_args
    from search_api.search.index import finalizer

    release = build(
        settings,
        _inputs(args),
        progress,
        keep=args.keep,
        finalize=_finalizer(settings, finalizer(*encoder_args(settings))),
    )
    print(release.id)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.build import check
    from kg.iris import Iris

    settings = _settings(args)
    loaded = check(_inputs(args), Iris(settings.base_iri), Progress("validate"))
    files = len(loaded.sources)
    print(f"ok: {files} files conform to ontology/shapes.ttl")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from kg import sparql, sparql_remote
    from kg.release import Releases
    from kg.store import open_read_only

    text = _query_text(args)
    settings = _settings(args)
    release = Releases(settings.release_dir).current()
    store = open_read_only(release)
    if settings.sparql_url and not sparql_remote.uses_functions(text, release.manifest.base_iri):
        engine = sparql_remote.Engine(
            settings.sparql_url, release.id, tuple(g.value for g in store.named_graphs())
        )
        result = engine.run(text, release.manifest.base_iri, timeout=settings.query_timeout)
        return _write_result(result, args.format)
    from search_api.search.encoder import encoder_args
    from search_api.search.sparql_functions import functions

    custom = functions(*encoder_args(_settings(args))).for_release(
        str(release.path), release.manifest.base_iri
    )
    result = sparql.run(store, text, release.manifest.base_iri, functions=custom)
    return _write_result(result, args.format)


def _write_result(result, name: str | None) -> int:
    from kg import formats

    name = name or ("ttl" if result.kind == "graph" else "tsv")
    result.write(formats.by_name(name), sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from kg.publish import publish
    from kg.release import Releases

    settings = _settings(args)
    if not settings.sparql_url:
        raise NormgraphError("nothing to publish to: NORMGRAPH_SPARQL_URL is not set")
    releases = Releases(settings.release_dir)
    release = releases.current()
    progress = silent() if args.quiet else Progress("publish")
    kept = [p.name for p in releases.all()]
    loaded = publish(settings, release.path, release.manifest, kept, progress)
    state = "loaded into" if loaded else "already on"
    print(f"{release.id} {state} {settings.sparql_url}", file=sys.stderr)
    print(release.id)
    return 0


def _finalizer(settings: Settings, then):
    """The search indexes' finalizer, and loading into the external engine when one is set."""
    from kg.publish import publishing

    return publishing(settings, then)


def cmd_export(args: argparse.Namespace) -> int:
    from kg import formats
    from kg.export import export
    from kg.release import Releases
    from kg.store import open_read_only

    fmt = formats.by_name(args.format, formats.GRAPH, formats.DATASET)
    release = Releases(_settings(args).release_dir).current()
    store = open_read_only(release)
    if args.output in (None, "-"):
        export(store, fmt, sys.stdout.buffer, release.manifest.base_iri)
        sys.stdout.buffer.flush()
        return 0
    target = Path(args.output)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:  # never leave a half-written file under the real name
            export(store, fmt, out, release.manifest.base_iri)
        os.replace(tmp, target)
    except OSError as error:
        raise NormgraphError(f"cannot write {target}: {error.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)
    print(f"wrote {target} ({fmt.name}, {target.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


def _searcher(settings: Settings):
    from kg.release import Releases
    from kg.store import open_read_only
    from search_api.search.encoder import Encoder
    from search_api.search.engine import Searcher

    release = Releases(settings.release_dir).current()
    return Searcher.from_release(release, open_read_only(release), Encoder.from_settings(settings))


def cmd_search(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from werkzeug.datastructures import MultiDict

    from kg.iris import Iris
    from search_api.search.parameters import SEARCH_PARAMS, search_request

    searcher = _searcher(_settings(args))
    # the options become the API's parameters, read by the one reader /api/search uses
    values = MultiDict([("q", args.q)])
    for name in sorted(SEARCH_PARAMS - {"q"}):
        given = getattr(args, name)
        if given is not None:
            values.setlist(name, [str(v) for v in (given if isinstance(given, list) else [given])])
    iris = Iris(searcher.release.manifest.base_iri)
    results = searcher.search(search_request(values, searcher, iris))
    if args.json:
        print(json.dumps(asdict(results), ensure_ascii=False, indent=2))
        return 0
    print(f"{results.total} results for {args.q!r} ({results.took_ms} ms)")
    for n, hit in enumerate(results.hits, start=1):
        print(f"{n:>3}. [{hit.kind}] {hit.label}  ({hit.score:.3f})")
        print(f"     {hit.iri}")
    return 0


def _search_options(command: argparse.ArgumentParser) -> None:
    """The /api/search parameters as options: the same names, values and words."""
    from search_api.search import parameters as p
    from search_api.search.filters import UNIT_KINDS

    text = p.DESCRIPTIONS
    command.add_argument("q", metavar="query", help=text["q"])
    many = {"action": "append", "metavar": "ID"}
    command.add_argument("--type", action="append", choices=UNIT_KINDS, help=text["type"])
    for name in p.REFERENCES:
        command.add_argument(f"--{name}", **many, help=f"{text[name]} (repeatable)")
    command.add_argument("--year", action="append", metavar="YYYY", help=text["year"])
    for name in ("year_from", "year_to"):
        command.add_argument(f"--{name.replace('_', '-')}", dest=name, help=text[name])
    command.add_argument("--binding", choices=p.BINDING, help=text["binding"])
    command.add_argument("--page", help=f"{text['page']} (default 1)")
    command.add_argument("--size", "--k", dest="size", help=f"{text['size']} (default 10)")
    command.add_argument("--lang", choices=p.LANGS, help=text["lang"])
    command.add_argument("--mode", choices=p.MODES, help=f"{text['mode']} (default hybrid)")
    command.add_argument("--fusion", choices=p.FUSIONS, help=text["fusion"])


def cmd_eval(args: argparse.Namespace) -> int:
    from search_api.search.evaluate import evaluate, format_report, read_qrels

    judged = read_qrels(Path(args.qrels))
    searcher = _searcher(_settings(args))
    print(f"{len(judged)} judged queries, release {searcher.release.id}, fusion {args.fusion}")
    print(format_report(evaluate(searcher, judged, fusion=args.fusion)))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.release import Releases
    from search_api.server import serve

    settings = _settings(args)
    Releases(settings.release_dir).current()  # fail now, in one line, if there is nothing to serve
    print(
        f"serving {settings.release_dir}/current on http://{args.host}:{args.port}/",
        file=sys.stderr,
    )
    serve(
        settings, args.host, args.port, args.workers, args.threads, dev=args.dev, front=args.front
    )
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import Options, ingest

    options = Options(
        instrument=args.instrument,
        slug=args.slug,
        language=args.lang,
        title=args.title,
        source_url=args.source_url,
    )
    progress = silent() if args.quiet else Progress("ingest")
    paths = [Path(p) for p in args.paths]
    from search_api.search.encoder import encoder_args
    from search_api.search.index import finalizer

    settings = _settings(args)
    report = ingest(
        settings,
        paths,
        options,
        progress,
        keep=args.keep,
        force=args.force,
        finalize=_finalizer(settings, finalizer(*encoder_args(settings))),
    )
    return _finish(report)


def cmd_remove(args: argparse.Namespace) -> int:
    from ingest.pipeline import remove

    progress = silent() if args.quiet else Progress("remove")
    from search_api.search.encoder import encoder_args
    from search_api.search.index import finalizer

    settings = _settings(args)
    finalize = _finalizer(settings, finalizer(*encoder_args(settings)))
    report = remove(settings, args.slugs, progress, keep=args.keep, finalize=finalize)
    return _finish(report)


def _finish(report) -> int:
    """Problems one line each, then the summary, on stderr; the new release id on stdout."""
    for line in report.messages():
        print(f"normgraph: {line}", file=sys.stderr)
    print(f"normgraph: {report.summary()}", file=sys.stderr)
    if report.release is not None:
        print(report.release.id)
    return 1 if report.failed else 0


def cmd_release_pack(args: argparse.Namespace) -> int:
    from kg.pack import write_pack
    from kg.release import Releases

    releases = Releases(_settings(args).release_dir)
    release = releases.get(args.release) if args.release else releases.current()
    progress = silent() if args.quiet else Progress("pack")
    if args.output == "-":
        write_pack(release, sys.stdout.buffer, progress)
        sys.stdout.buffer.flush()
        return 0
    target = Path(args.output or f"normgraph-{release.id}.pack")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:  # never leave a half-written pack under the real name
            size = write_pack(release, out, progress)
        os.replace(tmp, target)
    except OSError as error:
        raise NormgraphError(f"cannot write {target}: {error.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)
    progress.say(f"wrote {target} (release {release.id}, {size:,} bytes)")
    print(target)
    return 0


def cmd_release_pull(args: argparse.Namespace) -> int:
    from kg.pack import open_source, pull
    from kg.release import Releases

    settings = _settings(args)
    releases = Releases(settings.release_dir)
    progress = silent() if args.quiet else Progress("pull")
    source = open_source(args.source)
    try:
        release = pull(source, releases, progress, args.keep, _finalizer(settings, None))
    finally:
        source.close()
    print(release.id)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from kg.release import Releases

    release = Releases(_settings(args).release_dir).current()
    m = release.manifest
    if args.json:
        print(m.to_json(), end="")
        return 0
    print(f"release    {m.release_id}")
    print(f"path       {release.path}")
    print(f"created    {m.created_at} by normgraph {m.normgraph_version}")
    print(f"base IRI   {m.base_iri}")
    print(f"ontology   {m.ontology.get('iri')} version {m.ontology.get('version')}")
    print(f"inputs     {len(m.inputs)} files")
    if m.embedding.get("model"):
        backend = m.embedding.get("backend") or "not recorded"
        print(f"embedding  {m.embedding['model']} ({m.embedding['dimension']}-d), {backend}")
    from kg.store import CENSUS

    for key in ("triples", "graphs", *CENSUS):
        print(f"{key:<11}{m.counts.get(key, 0):>9,}")
    return 0


# ---------------------------------------------------------------- helpers
def _settings(args: argparse.Namespace) -> Settings:
    return Settings.load(
        release_dir=getattr(args, "release_dir", None), base_iri=getattr(args, "base_iri", None)
    )


def _inputs(args: argparse.Namespace):
    from kg.build import Inputs
    from kg.embedded import corpus_dir, ontology_dir

    return Inputs(
        ontology_dir=Path(args.ontology) if args.ontology else ontology_dir(),
        corpus_dir=Path(args.corpus) if args.corpus else corpus_dir(),
    )


def _query_text(args: argparse.Namespace) -> str:
    if (args.query is None) == (args.file is None):
        raise NormgraphError("give the query either as an argument or with --file (not both)")
    if args.query is not None:
        return args.query
    if args.file == "-":
        return sys.stdin.read()
    try:
        return Path(args.file).read_text(encoding="utf-8")
    except OSError as error:
        raise NormgraphError(f"cannot read query file {args.file}: {error.strerror}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="normgraph",
        description="Knowledge graph and search over the law, norms and good practice on "
        "racial discrimination and the protection of minorities.",
        epilog="settings (environment variables):\n" + settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"normgraph {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    release_dir = argparse.ArgumentParser(add_help=False)
    release_dir.add_argument(
        "--release-dir",
        metavar="DIR",
        help="release root (default: $NORMGRAPH_RELEASE_DIR or ./var)",
    )
    sources = argparse.ArgumentParser(add_help=False)
    sources.add_argument(
        "--ontology", metavar="DIR", help="ontology folder (default: the embedded one)"
    )
    sources.add_argument(
        "--corpus", metavar="DIR", help="corpus folder (default: the embedded one)"
    )
    sources.add_argument(
        "--base-iri", metavar="IRI", help="base of minted IRIs (default: $NORMGRAPH_BASE_IRI)"
    )

    keep = argparse.ArgumentParser(add_help=False)
    keep.add_argument(
        "--keep",
        type=_positive,
        default=3,
        metavar="N",
        help="keep the N newest releases (default 3; the current one is never removed)",
    )
    keep.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")

    def add(
        name: str, handler: Handler, help: str, parents: Sequence = ()
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help, parents=list(parents))
        sub.set_defaults(handler=handler)
        return sub

    build = add(
        "build",
        cmd_build,
        "Build a release from the ontology and corpus and make it current.",
        [release_dir, sources, keep],
    )
    build.add_argument(
        "--if-missing", action="store_true", help="do nothing if a current release exists"
    )

    add(
        "validate",
        cmd_validate,
        "Check the ontology and corpus against the SHACL shapes; write nothing.",
        [sources],
    )

    query = add(
        "query", cmd_query, "Run a SPARQL query on the current release (read-only).", [release_dir]
    )
    query.add_argument("query", nargs="?", help="the SPARQL query text")
    query.add_argument("--file", metavar="FILE", help="read the query from FILE ('-' for stdin)")
    query.add_argument(
        "--format",
        choices=names(),
        metavar="FORMAT",
        help=f"one of {', '.join(names())} "
        "(default: tsv for SELECT/ASK, ttl for CONSTRUCT/DESCRIBE)",
    )

    publish = add(
        "publish",
        cmd_publish,
        "Load the current release into the external SPARQL engine (NORMGRAPH_SPARQL_URL), "
        "unless it is there already, and drop releases the release directory no longer keeps. "
        "build, ingest, remove and updates do this themselves before they switch `current`.",
        [release_dir],
    )
    publish.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")

    export = add("export", cmd_export, "Dump the current release.", [release_dir])
    export.add_argument(
        "--format",
        required=True,
        choices=names("graph", "dataset"),
        metavar="FORMAT",
        help="nq or trig keep named graphs; ttl, nt, jsonld, rdfxml give their union",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout"
    )

    serve = add(
        "serve",
        cmd_serve,
        "Serve the current release over HTTP (SPARQL, Linked Data, API).",
        [release_dir],
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--workers", type=_positive, default=2, help="gunicorn worker processes (default 2)"
    )
    serve.add_argument(
        "--threads",
        type=_positive,
        default=16,
        help="threads per worker (default 16); SPARQL requests may hold all but 4 of them",
    )
    serve.add_argument(
        "--front",
        action="store_true",
        help="put nginx in front (README, Production layout): it holds slow clients and "
        "answers what it has seen of the current release from its cache",
    )
    serve.add_argument(
        "--dev",
        action="store_true",
        help="Flask's development server, one process (not for production)",
    )

    search = add(
        "search",
        cmd_search,
        "Search the current release (hybrid: dense + BM25 + concepts).",
        [release_dir],
    )
    _search_options(search)
    search.add_argument("--json", action="store_true", help="the full results as JSON")

    evaluation = add(
        "eval",
        cmd_eval,
        "Score search on judged queries (nDCG@10, Recall, MRR) per half and kind of query, "
        "for every mode and a plain peer (cosine over the unit texts).",
        [release_dir],
    )
    evaluation.add_argument(
        "qrels", help="TSV with header query, lang, kind, source, iri, grade (bench/qrels.tsv)"
    )
    evaluation.add_argument("--fusion", default="weighted", choices=["rrf", "weighted"])

    ingest = add(
        "ingest",
        cmd_ingest,
        "Ingest documents (PDF, HTML, DOCX, text, Markdown; folders recursively) into a new "
        "release made from the current one. Unchanged files are skipped, changed ones "
        "replaced; a file that cannot be read is reported and the rest go on (exit 1 if any "
        "failed).",
        [release_dir, keep],
    )
    ingest.epilog = (
        "Files larger than NORMGRAPH_MAX_INGEST_BYTES (default 100 MiB) are refused. "
        "Each document becomes its own named graph with its provenance; see ingest/README.md."
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to ingest")
    ingest.add_argument(
        "--force",
        action="store_true",
        help="re-ingest files even when unchanged (re-tags them after the thesaurus changed)",
    )
    ingest.add_argument(
        "--instrument",
        metavar="SLUG",
        help="the files are official texts of this corpus instrument: align their articles "
        "and paragraphs to its provisions and attach the official wording",
    )
    ingest.add_argument(
        "--slug",
        metavar="SLUG",
        help="the document's id (default: its UN symbol, else the file name); one file only",
    )
    ingest.add_argument(
        "--lang",
        metavar="LANG",
        help="language code of the text (default: from the file, else guessed)",
    )
    ingest.add_argument(
        "--title", help="the document's title (default: from the file); one file only"
    )
    ingest.add_argument(
        "--source-url", metavar="URL", help="where the file was published; one file only"
    )
    remove = add(
        "remove",
        cmd_remove,
        "Take ingested documents out, in a new release made from the current one.",
        [release_dir, keep],
    )
    remove.add_argument("slugs", nargs="+", metavar="SLUG", help="ids of documents to remove")

    _release_commands(commands, release_dir, keep)

    info = add(
        "info", cmd_info, "Describe the current release: id, inputs and counts.", [release_dir]
    )
    info.add_argument("--json", action="store_true", help="print the release manifest as JSON")
    return parser


def _release_commands(commands, release_dir, keep) -> None:
    """`normgraph release pack|pull`: carry a release to another release root (a replica)."""
    about = (
        "Carry releases between release roots: pack one into a single file on the machine "
        "that builds, pull it on a replica (README, Replicas)."
    )
    release = commands.add_parser("release", help=about, description=about)
    verbs = release.add_subparsers(dest="release_command", required=True, metavar="COMMAND")
    about = (
        "Write one release (store, search indexes, dumps, manifest) into one file, a tar "
        "whose index gives every file's size and SHA-256."
    )
    pack = verbs.add_parser("pack", help=about, description=about, parents=[release_dir])
    pack.set_defaults(handler=cmd_release_pack)
    pack.add_argument("--release", metavar="ID", help="the release to pack (default: current)")
    pack.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it (default: normgraph-ID.pack here; '-' for stdout); "
        "written under a temporary name and renamed when complete",
    )
    pack.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    about = (
        "Install a pack (an http(s) URL such as http://primary/releases/current.pack, a file, "
        "or '-' for stdin) and make it current. Every checksum is verified before anything "
        "is visible; a damaged, truncated or conflicting pack is refused and changes nothing."
    )
    pull = verbs.add_parser("pull", help=about, description=about, parents=[release_dir, keep])
    pull.set_defaults(handler=cmd_release_pull)
    pull.add_argument("source", metavar="URL|FILE", help="where to read the pack from")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except NormgraphError as error:
        print(f"normgraph: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("normgraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `normgraph export ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
