"""Query vectors remembered: a search asked again (a shared link, a page reloaded,
the next page of results) costs no second pass through the model. The model is
the same for every release, so the vectors outlive release switches."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from search_api.search.encoder import Encoder


class RememberingEncoder:
    """An :class:`Encoder` that keeps the vectors of the last ``size`` texts it
    encoded; everything else (``model_id``, ``dimension``, ...) is the encoder's."""

    def __init__(self, encoder: Encoder, size: int = 4096) -> None:
        self.encoder, self.size = encoder, size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __getattr__(self, name: str):
        return getattr(self.encoder, name)

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for text in known:
                self._vectors.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self.encoder.encode(missing, batch_size)
            known.update(zip(missing, fresh, strict=True))
            self._remember(dict(zip(missing, fresh, strict=True)))
        if not texts:
            return self.encoder.encode([], batch_size)
        return np.stack([known[t] for t in texts])

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        with self._lock:
            for text, vector in vectors.items():
                vector.setflags(write=False)  # shared by every caller from now on
                self._vectors[text] = vector
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
