"""Benchmark: ingest throughput on generated documents.

    .venv/bin/python bench/ingestion.py [--pages 500] [--files 1000] [--only pdf]

Generates a PDF of --pages pages and a folder of --files mixed documents (text, Markdown,
HTML, DOCX, PDF), then measures (1) extraction + segmentation + tagging alone and (2) the
full ingest (graphs, SHACL check, store and passage table, new release), and prints pages
and passages per second for each. The figures go into the README. (Not named ingest.py: run
as a script, that name would shadow the `ingest` package for every bench that imports it.)
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

# The document writers are the ingest tests' own: one PDF and DOCX layout for both.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "ingest"))

from documents import Documents, new_pdf, write_docx, write_paragraphs
from pyoxigraph import Store

from ingest.extract import read_file
from ingest.pipeline import Options, ingest
from ingest.segment import segment
from ingest.tagging import Tagger
from kg.build import Inputs, build
from kg.config import Settings
from kg.embedded import corpus_dir, ontology_dir
from kg.progress import silent

WORDS = (
    "minorities racial discrimination law enforcement education housing participation "
    "language culture religion identity data statistics police training migrants refugees "
    "Roma indigenous peoples women girls children persons with disabilities climate change "
    "displacement peacekeeping COVID-19 the State party should ensure that measures are taken "
    "in accordance with article 4 of the UN Minorities Declaration and the General Assembly"
).split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def paragraph(rng: random.Random, number: int) -> str:
    return f"{number}. " + " ".join(sentence(rng, rng.randint(12, 24)) for _ in range(3))


def make_pdf(path: Path, pages: int, rng: random.Random) -> None:
    pdf = new_pdf("A/HRC/99/1 - benchmark report")
    number = 1
    while pdf.page_no() < pages:
        write_paragraphs(pdf, [paragraph(rng, number)])
        number += 1
    pdf.output(str(path))


def make_folder(folder: Path, files: int, rng: random.Random) -> None:
    """Text, Markdown, HTML, DOCX and PDF files in turn, of 2 to 8 numbered paragraphs."""
    documents = Documents(folder)
    for i in range(files):
        paras = [paragraph(rng, n) for n in range(1, rng.randint(3, 9))]
        kind = i % 5
        if kind == 0:
            documents.text(f"doc-{i}.txt", "\n\n".join(paras))
        elif kind == 1:
            documents.text(f"doc-{i}.md", f"# Note {i}\n\n" + "\n\n".join(paras))
        elif kind == 2:
            body = "".join(f"<p>{p}</p>" for p in paras)
            documents.text(f"doc-{i}.html", f"<html><body><h1>Page {i}</h1>{body}</body></html>")
        elif kind == 3:
            write_docx(folder / f"doc-{i}.docx", paras)
        else:
            pdf = new_pdf()
            write_paragraphs(pdf, paras)
            pdf.output(str(folder / f"doc-{i}.pdf"))


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (ingest's worker process)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def analyse(paths: list[Path], tagger: Tagger | None) -> tuple[int, int, float, float]:
    """Extraction + segmentation + tagging (extraction alone without a tagger), nothing
    written: (pages, passages, s, CPU s)."""
    started, cpu = time.perf_counter(), cpu_seconds()
    pages = passages = 0
    for path in paths:
        extracted = read_file(path, 1 << 31)[1]
        pages += extracted.pages
        if tagger is None:
            passages += len(extracted.blocks)
            continue
        segments = segment(extracted.blocks)
        for _ in tagger.tag_many([s.text for s in segments]):
            passages += 1
    return pages, passages, time.perf_counter() - started, cpu_seconds() - cpu


def report(label: str, pages: int, passages: int, seconds: float, cpu: float, files: int) -> None:
    """Rates per wall-clock second, and per CPU second (steadier on a shared machine)."""
    print(f"{label} ({pages:,} pages, {passages:,} passages, {files:,} files)")
    for name, took in (("wall", seconds), ("CPU", cpu)):
        rate = f"{pages / took:8,.1f} pages/s" if pages else " " * 16
        print(
            f"    {name:<4} {took:7.1f} s {rate} {passages / took:8,.0f} passages/s "
            f"{files / took:8,.1f} files/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="pages of the big PDF (500)")
    parser.add_argument("--files", type=int, default=1000, help="files in the folder (1000)")
    parser.add_argument(
        "--only", choices=("pdf",), help="measure the big PDF alone (no folder generated)"
    )
    args = parser.parse_args()
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        make_pdf(work / "big.pdf", args.pages, rng)
        if args.only != "pdf":
            make_folder(work / "mixed", args.files, rng)
        print(f"generated the documents in {time.perf_counter() - started:.1f} s")
        settings = Settings.load(environ={}, release_dir=work / "var")
        release = build(settings, Inputs(ontology_dir(), corpus_dir()), silent())
        tagger = Tagger.from_store(
            Store.read_only(str(release.store_path)), settings.base_iri, "en"
        )
        mixed = [] if args.only == "pdf" else sorted((work / "mixed").iterdir())
        report(
            f"extraction alone, one {args.pages}-page PDF (blocks)",
            *analyse([work / "big.pdf"], None),
            1,
        )
        report(
            f"extract+segment+tag, one {args.pages}-page PDF",
            *analyse([work / "big.pdf"], tagger),
            1,
        )
        if mixed:
            report(
                f"extract+segment+tag, {len(mixed)} mixed files",
                *analyse(mixed, tagger),
                len(mixed),
            )
        inputs = [("PDF", [work / "big.pdf"])] + ([("folder", [work / "mixed"])] if mixed else [])
        for label, paths in inputs:
            started, cpu = time.perf_counter(), cpu_seconds()
            result = ingest(settings, paths, Options(), silent())
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            done = [o for o in result.outcomes if o.status == "added"]
            assert len(done) == len(result.outcomes), result.messages()[:3]
            pages = sum(o.pages for o in done)
            passages = sum(o.passages for o in done)
            report(f"full ingest, {label}", pages, passages, seconds, cpu, len(done))
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(result.timings.items()))
            print(f"    phases (s; a worker's extract, segment, tag overlap the rest): {phases}")


if __name__ == "__main__":
    main()
