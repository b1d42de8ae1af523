"""The meaning layer for one process: the encoder loaded once, an index built per guide."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from bot.settings import Settings
from knowledge.models import Item
from knowledge.semantic import DEFAULT_MODEL, Encoder, EncoderError, SemanticIndex, load_encoder

log = logging.getLogger(__name__)

_lock = threading.Lock()
_encoders: dict[str, Encoder | EncoderError] = {}
"""Each model loaded at most once per process (about 1 s and 116 MB), or why it could not be."""


def shared_encoder(model_id: str = DEFAULT_MODEL) -> Encoder:
    """Return this process's encoder for MODEL_ID, or raise the EncoderError it failed with."""
    with _lock:
        if model_id not in _encoders:
            try:
                _encoders[model_id] = load_encoder(model_id)
            except EncoderError as error:
                _encoders[model_id] = error
        found = _encoders[model_id]
    if isinstance(found, EncoderError):
        raise found
    return found


def semantic_index(settings: Settings, items: Sequence[Item]) -> tuple[SemanticIndex | None, str]:
    """Return the meaning layer over ITEMS (None when off) and a line saying why, for the log."""
    if not settings.meaning_layer:
        return None, "meaning layer off: LINLI_MEANING_LAYER=off"
    try:
        index = SemanticIndex(shared_encoder(), items, settings.cache_dir)
    except EncoderError as error:
        # The lexical matcher still answers: a missing model costs quality, never replies.
        return None, f"meaning layer off: {error}"
    cache = "cached" if index.cache_hit else f"{index.encoded} texts embedded"
    return index, f"meaning layer on: {index.model_id}, {index.size} items ({cache})"
