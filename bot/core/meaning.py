"""The meaning layer for one process: the encoder loaded once, an index built per guide."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.settings import Settings
from knowledge.alarms import AlarmIndex, load_examples
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


@dataclass(frozen=True)
class MeaningLayer:
    """The guide's embeddings and the alarm examples', or neither, and why (for the log)."""

    semantic: SemanticIndex | None
    alarms: AlarmIndex | None
    why: str


def meaning_layer(settings: Settings, items: Sequence[Item]) -> MeaningLayer:
    """Build the meaning layer over ITEMS, or say why it is off."""
    if not settings.meaning_layer:
        return MeaningLayer(None, None, "meaning layer off: LINLI_MEANING_LAYER=off")
    try:
        encoder = shared_encoder()
        index = SemanticIndex(encoder, items, settings.cache_dir)
        alarms = AlarmIndex(encoder, load_examples(), settings.cache_dir)
    except EncoderError as error:
        # The lexical matcher and the rules still answer: a missing model costs quality only.
        return MeaningLayer(None, None, f"meaning layer off: {error}")
    cache = "cached" if index.cache_hit and alarms.cache_hit else \
        f"{index.encoded + alarms.encoded} texts embedded"
    return MeaningLayer(index, alarms, f"meaning layer on: {index.model_id}, {index.size} items, "
                                       f"{alarms.size} alarm examples ({cache})")
