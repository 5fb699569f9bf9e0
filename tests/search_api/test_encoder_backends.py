"""The OpenVINO backend against plain sentence-transformers (torch): the same vectors, and
releases indexed with either give the same top 10 on the development queries."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from kg.errors import ConfigError
from kg.release import Releases
from kg.store import open_read_only
from search_api.search import dense, openvino_model
from search_api.search.encoder import Encoder
from search_api.search.engine import Searcher, SearchRequest
from search_api.search.evaluate import read_qrels
from search_api.search.index import SEARCH_DIR, UNITS
from search_api.search.units import read_table

pytest.importorskip("openvino")

QRELS = Path(__file__).parents[2] / "bench" / "qrels.tsv"


@pytest.fixture(scope="module")
def torch_encoder():
    encoder = Encoder(backend="torch")
    assert encoder.dimension == 384 and encoder.backend.startswith("torch ")
    return encoder


def test_the_session_encoder_runs_openvino(encoder):
    assert encoder.dimension == 384  # loads it
    assert encoder.backend == f"openvino {openvino_model.version()}"


def test_openvino_vectors_agree_with_torch(encoder, torch_encoder):
    texts = [
        "Persons belonging to national minorities have the right to use their mother tongue.",
        "racial profiling by the police",
        "  égalité devant la loi  ",
        "word " * 400,  # longer than the model's 256 tokens: both truncate alike
        "x",
    ]
    ours, theirs = encoder.encode(texts, batch_size=2), torch_encoder.encode(texts)
    assert ours.dtype == np.float32 and ours.shape == theirs.shape == (5, 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() >= 0.999


def test_threads_encoding_at_once_each_get_their_own_vectors(encoder):
    """A server's threads embed their queries at the same time through one model."""
    batches = [[f"query number {i}"] * (1 + i % 2) for i in range(64)]
    alone = [encoder.encode(batch) for batch in batches]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(encoder.encode, batches))
    for mine, theirs in zip(alone, together, strict=True):
        np.testing.assert_allclose(theirs, mine, atol=1e-5)


def test_batches_ordered_by_tokens_and_run_on_two_streams_keep_each_text_its_vector(encoder):
    """Several batches go through the throughput streams, ordered by token count: each
    vector must still land on its own text's row."""
    words = "minority rights language education police census housing".split()
    texts = [" ".join(words[: 1 + (i * 5) % 7] * (1 + i % 4)) for i in range(23)]
    model = encoder.model
    assert not model.threads and len(list(model._batches(texts, 4))) > 1  # the streamed path
    together = encoder.encode(texts, batch_size=4)
    alone = np.concatenate([encoder.encode([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert len({v.tobytes() for v in together.round(4)}) == len(set(texts))


def test_a_process_that_embedded_on_the_streams_exits_cleanly(encoder, models_dir):
    """OpenVINO's AsyncInferQueue with a Python callback aborted the interpreter at exit
    (a build would end with status 134): the streams' requests are collected by hand."""
    assert encoder.dimension == 384  # the export is in models_dir: no torch in the child
    script = (
        "from pathlib import Path; from search_api.search.encoder import Encoder; "
        f"e = Encoder(cache_dir=Path({str(models_dir)!r})); "
        "print(e.encode(['a text'] * 10, batch_size=4).shape)"
    )
    root = Path(__file__).parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "(10, 384)"


def test_the_export_is_cached_under_the_weights_checksum(encoder, models_dir):
    assert encoder.dimension == 384
    exported = sorted(models_dir.glob("*-openvino"))
    assert len(exported) == 1 and (exported[0] / openvino_model.MODEL_XML).is_file()
    assert openvino_model.checksum(encoder.path)[:16] in exported[0].name
    # a second encoder on the same cache reads the export instead of making another
    again = Encoder(cache_dir=models_dir)
    assert again.encode(["a"]).shape == (1, 384)
    assert sorted(models_dir.glob("*-openvino")) == exported
    assert not list(models_dir.glob(".export-*"))


def test_an_unknown_backend_is_refused():
    with pytest.raises(ConfigError, match="embedding backend 'cuda'"):
        Encoder(backend="cuda")


def test_either_backend_gives_the_same_top_ten(search_root, encoder, torch_encoder):
    """The release indexed with OpenVINO, and the same release indexed and queried with
    torch (its vectors re-encoded): the same ten documents, in the same order."""
    release = Releases(search_root).current()
    assert release.manifest.embedding["backend"] == encoder.backend
    store = open_read_only(release)
    ours = Searcher.from_release(release, store, encoder)
    units = read_table(release.path / SEARCH_DIR / UNITS)
    theirs = copy.copy(ours)
    theirs.encoder = torch_encoder
    theirs.index = dense.build(torch_encoder.encode([u.text for u in units]))
    queries = sorted({(j.query, j.lang) for j in read_qrels(QRELS)})
    assert len(queries) >= 40
    for q, lang in queries:
        request = SearchRequest(q=q, lang=lang)
        top = [h.iri for h in ours.search(request).hits]
        assert top == [h.iri for h in theirs.search(request).hits], q


def test_info_says_which_backend_ran(search_root, cli, encoder):
    result = cli("info", "--release-dir", str(search_root))
    assert result.returncode == 0, result.stderr
    assert f"embedding  sentence-transformers/all-MiniLM-L6-v2 (384-d), {encoder.backend}" in (
        result.stdout
    )
