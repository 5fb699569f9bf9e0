"""Progress lines: one per step, and a step with output inside still ends on a line of its own."""

import io
import re

from kg.progress import Progress


def _lines(stream: io.StringIO) -> list[str]:
    return [re.sub(r"\(\d+\.\d\d s\)", "(t)", line) for line in stream.getvalue().splitlines()]


def test_a_step_ends_on_its_own_line():
    out = io.StringIO()
    with Progress("build", out).step("reading") as step:
        step.done("3 files")
    assert _lines(out) == ["[build] reading ... 3 files (t)"]


def test_output_inside_a_step_does_not_run_into_it():
    out = io.StringIO()
    progress = Progress("ingest", out)
    with progress.step("committing") as outer:
        with progress.step("indexing") as inner:
            inner.done("480 units")
        progress.say("switched")
        outer.done("current -> r2")
    assert _lines(out) == [
        "[ingest] committing ...",
        "[ingest] indexing ... 480 units (t)",
        "[ingest] switched",
        "[ingest] committing: current -> r2 (t)",
    ]


def test_a_failed_step_says_so():
    out = io.StringIO()
    try:
        with Progress("build", out).step("validating"):
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert _lines(out) == ["[build] validating ... failed"]
