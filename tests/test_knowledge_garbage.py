"""The sorting table and the committee's own details: loaded, validated, quoted in items."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.loader import GuideError, load_guide


@pytest.fixture
def copy(guide_dir: Path, tmp_path: Path) -> Path:
    """Return a private copy of the shipped guide that a test may break."""
    target = tmp_path / "guide"
    shutil.copytree(guide_dir, target)
    return target


def rewrite(path: Path, edit: Any) -> None:
    """Load one YAML file, change it with EDIT and write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_sorting_table_has_four_bins_and_200_objects(guide_dir: Path) -> None:
    garbage = load_guide(guide_dir).garbage
    assert garbage is not None and garbage.item == "garbage-sorting"
    assert set(garbage.bins) == {"recyclable", "hazardous", "wet", "dry"}
    assert len(garbage.objects) >= 200
    for bin_ in garbage.bins.values():
        assert bin_.name.zh and bin_.name.en and bin_.tip.zh and bin_.tip.en


def test_the_committee_details_are_written_once_and_quoted_by_items(guide_dir: Path) -> None:
    guide = load_guide(guide_dir)
    hours = guide.item("office-hours")
    assert guide.committee.phone in hours.summary.zh
    assert guide.committee.address.en in hours.summary.en
    assert "{" not in hours.summary.zh + hours.summary.en
    rooms = guide.item("garbage-sorting").hours
    assert rooms is not None
    assert all(room.hours.zh in rooms.zh for room in guide.committee.garbage_rooms)
    assert len(guide.committee.garbage_rooms) >= 1


def test_every_item_says_what_a_resident_needs_to_know(guide_dir: Path) -> None:
    for item in load_guide(guide_dir).items:
        assert item.visits is not None and item.duration and item.fees, item.code
        assert item.eligibility is not None, item.code
        if item.disposition == "answer":
            assert item.where and item.hours, item.code
        if item.disposition == "handoff":
            assert item.line and item.needs and item.time_limit_days, item.code


def test_an_unknown_placeholder_names_file_item_and_field(copy: Path) -> None:
    def typo(data: dict[str, Any]) -> None:
        entry = next(e for e in data["items"] if e["code"] == "office-hours")
        entry["summary"] = "电话：{committee.fone}"

    rewrite(copy / "items" / "affairs.yaml", typo)
    with pytest.raises(GuideError) as caught:
        load_guide(copy)
    message = str(caught.value)
    assert "affairs.yaml" in message and "'office-hours'" in message
    assert "'summary'" in message and "committee.fone" in message


def test_an_object_in_a_bin_that_does_not_exist_is_named(copy: Path) -> None:
    rewrite(copy / "garbage.yaml", lambda data: data["objects"].update(compost=["花园废料 / x"]))
    with pytest.raises(GuideError, match=r"garbage\.yaml.*'compost'.*no such bin"):
        load_guide(copy)


def test_an_object_listed_under_two_bins_is_named(copy: Path) -> None:
    rewrite(copy / "garbage.yaml", lambda data: data["objects"]["dry"].append("电池 / battery"))
    with pytest.raises(GuideError) as caught:
        load_guide(copy)
    assert "garbage.yaml" in str(caught.value) and "'names'" in str(caught.value)
    assert "电池" in str(caught.value)


def test_a_one_character_object_name_is_refused(copy: Path) -> None:
    rewrite(copy / "garbage.yaml", lambda data: data["objects"]["wet"].append("肉 / meat"))
    with pytest.raises(GuideError, match=r"objects\.wet\[\d+\].*two characters"):
        load_guide(copy)


def test_a_handoff_without_a_time_limit_is_named(copy: Path) -> None:
    def drop(data: dict[str, Any]) -> None:
        next(e for e in data["items"] if e["code"] == "parking").pop("time_limit_days")

    rewrite(copy / "items" / "housing.yaml", drop)
    with pytest.raises(GuideError, match=r"housing\.yaml.*'parking'.*'time_limit_days'"):
        load_guide(copy)
