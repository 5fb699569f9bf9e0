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
        config = {"INFERENCE_PRECISION_HINT": "f32", "PERFORMANCE_HINT": "LATENCY"}
        if threads:
            config["INFERENCE_NUM_THREADS"] = threads
        core = openvino.Core()
        self.compiled = core.compile_model(str(exported_dir / MODEL_XML), "CPU", config)
        self.inputs = {i.get_any_name() for i in self.compiled.inputs}
        self.dimension = int(self.compiled.outputs[0].get_partial_shape()[1].get_length())
        # calling the compiled model runs its one shared infer request: two threads at once
        # would each read the other's result (a server's threads search concurrently)
        self._infer = threading.Lock()

    @classmethod
    def in_memory(cls, path: Path, threads: int | None, load_torch: Callable[[], Any]):
        """No cache directory: convert in this process, keep nothing on disk."""
        with tempfile.TemporaryDirectory(prefix="normgraph-openvino-") as tmp:
            _export(load_torch(), _tokenizer(path, _pipeline(path)), Path(tmp))
            return cls(path, Path(tmp), threads)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        # as sentence-transformers does: longest first, so each batch pads little
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            batch = [texts[i].strip() for i in rows]
            features = _features(
                self.tokenizer, [t.lower() for t in batch] if self.lower else batch
            )
            feed = {k: v for k, v in features.items() if k in self.inputs}
            with self._infer:
                out[rows] = self.compiled(feed)[0]
        return out
