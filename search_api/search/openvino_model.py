"""The sentence encoder run by OpenVINO: the sentence-transformers pipeline (transformer,
pooling, normalisation) is exported once from the local weights into an OpenVINO model,
kept in a cache directory under a name derived from the weights' checksum, and run with
the model's own fast tokenizer. Nothing is downloaded; torch is needed only to export."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

# The pipelines this module reproduces exactly: what it exports is the model's own forward pass.
SUPPORTED_MODULES = {
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
}
MODEL_XML = "openvino_model.xml"
CHUNK = 4096  # texts tokenized and ordered at once: bounds what a large build holds


class Unsupported(Exception):
    """This model cannot run through OpenVINO here (the reason is the message)."""


def version() -> str:
    import openvino

    return openvino.get_version().split("-")[0]


def _pipeline(path: Path) -> dict[str, Any]:
    """The tokenizer settings of a supported pipeline; Unsupported otherwise."""
    modules = (
        json.loads((path / "modules.json").read_text()) if (path / "modules.json").is_file() else []
    )
    types = {m.get("type") for m in modules}
    if not modules or not types <= SUPPORTED_MODULES:
        raise Unsupported(f"{path}: modules {sorted(t or '?' for t in types)} are not exported")
    if "sentence_transformers.models.Normalize" not in types:
        raise Unsupported(f"{path}: the pipeline does not normalise its embeddings")
    if not (path / "tokenizer.json").is_file():
        raise Unsupported(f"{path}: no tokenizer.json (a fast tokenizer is needed)")
    config_file = path / "sentence_bert_config.json"
    config = json.loads(config_file.read_text()) if config_file.is_file() else {}
    return {
        "max_length": int(config.get("max_seq_length") or 512),
        "lower": bool(config.get("do_lower_case", False)),
    }


def checksum(path: Path) -> str:
    """Of every file of the model (weights, configuration, tokenizer) and the OpenVINO
    release: the export's cache key, so changed weights or runtime export anew."""
    digest = hashlib.sha256(f"openvino {version()}\n".encode())
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(f"{file.relative_to(path).as_posix()}\n".encode())
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _tokenizer(path: Path, settings: dict[str, Any]):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    # sentence-transformers truncates at max_seq_length and pads each batch to its longest
    # text, whatever tokenizer.json says (this one pads everything to 128)
    pad = tokenizer.padding or {}
    pad_id, pad_token = pad.get("pad_id", 0), pad.get("pad_token", "[PAD]")
    tokenizer.enable_truncation(max_length=settings["max_length"])
    tokenizer.enable_padding(pad_id=pad_id, pad_token=pad_token)
    return tokenizer


def _export(model, tokenizer, target: Path) -> None:
    """Trace the sentence-transformers model (all its modules) into ``target``."""
    import openvino
    import torch

    class Pipeline(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            features = {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_type_ids": token_type_ids,
            }
            return self.inner(features)["sentence_embedding"]

    example = _features(tokenizer, ["an example", "a second, longer example sentence"])
    # the tracer warns of shape tests that hold for every input this module feeds
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        converted = openvino.convert_model(
            Pipeline(model).eval(),
            example_input={k: torch.from_numpy(v) for k, v in example.items()},
        )
    openvino.save_model(converted, str(target / MODEL_XML), compress_to_fp16=False)


def _features(tokenizer, texts: list[str]) -> dict[str, np.ndarray]:
    encoded = tokenizer.encode_batch(texts)
    return {
        "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
    }


def _padded(encoded: list, pad_id: int) -> dict[str, np.ndarray]:
    """One batch's inputs, padded to its longest text (the attention mask hides the rest)."""
    width = max(len(e.ids) for e in encoded)
    features = {
        "input_ids": np.full((len(encoded), width), pad_id, dtype=np.int64),
        "attention_mask": np.zeros((len(encoded), width), dtype=np.int64),
        "token_type_ids": np.zeros((len(encoded), width), dtype=np.int64),
    }
    for row, e in enumerate(encoded):
        features["input_ids"][row, : len(e.ids)] = e.ids
        features["attention_mask"][row, : len(e.ids)] = e.attention_mask
        features["token_type_ids"][row, : len(e.ids)] = e.type_ids
    return features


def exported(path: Path, cache_dir: Path, load_torch: Callable[[], Any]) -> Path:
    """The directory of the exported model, exporting it on first use. Written under a
    temporary name and renamed, so concurrent workers never read half an export."""
    settings = _pipeline(path)
    target = cache_dir / f"{path.name}-{checksum(path)[:16]}-openvino"
    if (target / MODEL_XML).is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=cache_dir))
    try:
        _export(load_torch(), _tokenizer(path, settings), staging)
        try:
            os.rename(staging, target)
        except OSError:  # another process finished the same export first
            if not (target / MODEL_XML).is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


class OpenVinoModel:
    """Normalised float32 embeddings from an exported model."""

    def __init__(self, path: Path, exported_dir: Path, threads: int | None) -> None:
        import openvino

        settings = _pipeline(path)
        self.lower = settings["lower"]
        self.tokenizer = _tokenizer(path, settings)
        self.pad_id = self.tokenizer.padding["pad_id"]
        self.tokenizer.no_padding()  # each batch is padded by _padded, after ordering
        config = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY"}
        if threads:
            config["INFERENCE_NUM_THREADS"] = threads
        self.core, self.xml, self.threads = openvino.Core(), str(exported_dir / MODEL_XML), threads
        self.compiled = self.core.compile_model(self.xml, "CPU", config)
        self.inputs = {i.get_any_name() for i in self.compiled.inputs}
        self.dimension = int(self.compiled.outputs[0].get_partial_shape()[1].get_length())
        # calling the compiled model runs its one shared infer request: two threads at once
        # would each read the other's result (a server's threads search concurrently)
        self._infer = threading.Lock()
        self._streams = threading.Lock()

    @classmethod
    def in_memory(cls, path: Path, threads: int | None, load_torch: Callable[[], Any]):
        """No cache directory: convert in this process, keep nothing on disk."""
        with tempfile.TemporaryDirectory(prefix="normgraph-openvino-") as tmp:
            _export(load_torch(), _tokenizer(path, _pipeline(path)), Path(tmp))
            return cls(path, Path(tmp), threads)

    @cached_property
    def streamed(self):
        """The model compiled for throughput (one stream per core, each its own batch): for
        calls of several batches with the default threads; the same f32 kernels, the same
        vectors. Compiled on first use, so a query-only process never pays for it."""
        return self.core.compile_model(
            self.xml, "CPU", {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "THROUGHPUT"}
        )

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), CHUNK):
            batches = list(self._batches(texts[start : start + CHUNK], batch_size))
            if len(batches) > 1 and not self.threads:
                self._run_streamed(batches, out[start : start + CHUNK])
                continue
            for rows, feed in batches:
                with self._infer:
                    out[start + rows] = self.compiled(feed)[0]
        return out

    def _batches(self, texts: list[str], batch_size: int):
        """(rows, inputs) per batch, longest texts first by token count, so that each batch
        pads little (sentence-transformers sorts by characters, which pads ~15% more here)."""
        texts = [t.strip() for t in texts]
        encoded = self.tokenizer.encode_batch([t.lower() for t in texts] if self.lower else texts)
        order = np.argsort([-len(e.ids) for e in encoded], kind="stable")
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            features = _padded([encoded[i] for i in rows], self.pad_id)
            yield rows, {k: v for k, v in features.items() if k in self.inputs}

    def _run_streamed(self, batches: list, out: np.ndarray) -> None:
        """Each stream's request takes the next batch once its last one is collected."""
        with self._streams:
            compiled = self.streamed
        count = compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")
        requests = [compiled.create_infer_request() for _ in range(min(count, len(batches)))]
        pending: list = [None] * len(requests)
        for i, (rows, feed) in enumerate(batches):
            slot = i % len(requests)
            _collect(requests[slot], pending[slot], out)
            requests[slot].start_async(feed)
            pending[slot] = rows
        for request, rows in zip(requests, pending, strict=True):
            _collect(request, rows, out)


def _collect(request, rows, out: np.ndarray) -> None:
    # (an AsyncInferQueue with a Python callback made the interpreter abort at exit here)
    if rows is not None:
        request.wait()
        out[rows] = request.get_output_tensor(0).data
