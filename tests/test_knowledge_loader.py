"""Loading the Service Guide: the shipped guide loads, and every mistake names file, item, field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from knowledge.loader import GuideError, load_guide

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def copy(guide_dir: Path, tmp_path: Path) -> Path:
    """Return a private copy of the shipped guide that a test may break."""
    target = tmp_path / "guide"
    shutil.copytree(guide_dir, target)
    return target


def rewrite(root: Path, relative: str, edit: Edit) -> None:
    """Load one YAML file of the guide, change it with EDIT and write it back."""
    path = root / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def item_of(data: dict[str, Any], code: str) -> dict[str, Any]:
    """Return the raw entry of the item with CODE in an items file's data."""
    return next(entry for entry in data["items"] if entry["code"] == code)


def change_item(root: Path, relative: str, code: str,
                change: Callable[[dict[str, Any]], None]) -> None:
    """Apply CHANGE to the raw entry of item CODE in items file RELATIVE."""
    rewrite(root, relative, lambda data: change(item_of(data, code)))


def load_error(root: Path) -> GuideError:
    """Load the guide at ROOT and return the GuideError it must raise."""
    with pytest.raises(GuideError) as caught:
        load_guide(root)
    return caught.value


def assert_names(error: GuideError, file: str, code: str, field: str) -> None:
    """Check the message names the file, the item and the field."""
    message = str(error)
    assert message.startswith(str(Path(error.path)))
    assert error.path.endswith(file), message
    assert file in message
    assert f"'{code}'" in message and code in error.where
    assert f"'{field}'" in message and field in error.problem


def test_the_shipped_guide_loads_with_every_disposition(guide_dir: Path) -> None:
    guide = load_guide(guide_dir)
    assert len(guide.items) >= 15
    assert {item.disposition for item in guide.items} == {"answer", "handoff", "refer"}
    codes = {item.code for item in guide.items}
    assert {"senior-card", "medical-card", "facility-repair", "foreigner-registration"} <= codes
    assert len(codes) == len(guide.items)


def test_the_shipped_guide_cross_references_resolve(guide_dir: Path) -> None:
    guide = load_guide(guide_dir)
    assert guide.committee.front_desk_line in guide.lines
    for item in guide.items:
        assert item.summary.zh and item.summary.en, item.code
        assert len(item.examples) >= 5, item.code
        if item.disposition == "refer":
            assert item.office in guide.offices, item.code
        if item.disposition == "handoff":
            assert item.line in guide.lines, item.code
    assert guide.item("senior-card").disposition == "answer"
    assert guide.item("facility-repair").disposition == "handoff"
    assert guide.item("foreigner-registration").office == "police-fenglin"


def test_samples_lists_the_placeholder_contacts_but_not_public_hotlines(guide_dir: Path) -> None:
    guide = load_guide(guide_dir)
    samples = guide.samples()
    assert f"committee {guide.committee.code}" in samples
    assert "office police-fenglin" in samples
    assert "line property-repair" in samples
    assert "office hotline-12345" not in samples
    assert "office housing-fund-12329" not in samples
    expected = (int(guide.committee.is_sample)
                + sum(o.is_sample for o in guide.offices.values())
                + sum(line.is_sample for line in guide.lines.values()))
    assert len(samples) == expected


def test_samples_is_empty_once_every_contact_is_replaced(copy: Path) -> None:
    def real(data: dict[str, Any]) -> None:
        for entries in data.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                entry["sample"] = False

    rewrite(copy, "committee.yaml", real)
    rewrite(copy, "offices.yaml", real)
    assert load_guide(copy).samples() == []


def test_the_copied_guide_loads_before_it_is_broken(copy: Path) -> None:
    assert len(load_guide(copy).items) >= 15


def test_a_misspelt_field_is_named_as_unknown(copy: Path) -> None:
    def typo(entry: dict[str, Any]) -> None:
        entry["sumary"] = entry.pop("summary")

    change_item(copy, "items/elderly.yaml", "senior-card", typo)
    error = load_error(copy)
    assert_names(error, "items/elderly.yaml", "senior-card", "sumary")
    assert "unknown field" in str(error)


def test_a_missing_english_summary_is_named(copy: Path) -> None:
    change_item(copy, "items/elderly.yaml", "senior-card", lambda e: e.pop("summary_en"))
    assert_names(load_error(copy), "items/elderly.yaml", "senior-card", "summary_en")


def test_a_missing_chinese_summary_is_named(copy: Path) -> None:
    change_item(copy, "items/health.yaml", "medical-card", lambda e: e.pop("summary"))
    error = load_error(copy)
    assert_names(error, "items/health.yaml", "medical-card", "summary")
    assert "required" in str(error)


def test_a_refer_item_without_an_office_is_named(copy: Path) -> None:
    change_item(copy, "items/foreigners.yaml", "foreigner-registration",
                lambda e: e.pop("office"))
    error = load_error(copy)
    assert_names(error, "items/foreigners.yaml", "foreigner-registration", "office")
    assert "refer" in str(error)


def test_an_office_code_that_does_not_exist_is_named(copy: Path) -> None:
    change_item(copy, "items/foreigners.yaml", "foreigner-registration",
                lambda e: e.update(office="police-station-99"))
    error = load_error(copy)
    assert_names(error, "items/foreigners.yaml", "foreigner-registration", "office")
    assert "police-station-99" in str(error) and "offices.yaml" in str(error)


def test_a_handoff_item_without_a_line_is_named(copy: Path) -> None:
    change_item(copy, "items/housing.yaml", "facility-repair", lambda e: e.pop("line"))
    error = load_error(copy)
    assert_names(error, "items/housing.yaml", "facility-repair", "line")
    assert "handoff" in str(error)


def test_a_line_code_that_does_not_exist_is_named(copy: Path) -> None:
    change_item(copy, "items/housing.yaml", "facility-repair",
                lambda e: e.update(line="plumbing"))
    error = load_error(copy)
    assert_names(error, "items/housing.yaml", "facility-repair", "line")
    assert "plumbing" in str(error) and "committee.yaml" in str(error)


def test_an_item_code_used_in_two_files_names_both_files(copy: Path) -> None:
    def clash(data: dict[str, Any]) -> None:
        data["items"].append({**item_of(data, "facility-repair"), "code": "senior-card"})

    rewrite(copy, "items/housing.yaml", clash)
    error = load_error(copy)
    assert_names(error, "items/housing.yaml", "senior-card", "code")
    assert "elderly.yaml" in error.problem


def test_an_item_code_used_twice_in_one_file_is_named(copy: Path) -> None:
    rewrite(copy, "items/housing.yaml",
            lambda data: data["items"].append(dict(item_of(data, "water-leak"))))
    assert_names(load_error(copy), "items/housing.yaml", "water-leak", "code")


def test_invalid_yaml_names_the_file_and_the_line(copy: Path) -> None:
    path = copy / "items" / "health.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = next(i for i, line in enumerate(lines) if line.strip() == "disposition: answer")
    lines[broken] = "\t" + lines[broken]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = load_error(copy)
    assert error.path.endswith("items/health.yaml")
    assert f"line {broken + 1}" in str(error)
    assert "YAML" in str(error)


def test_fewer_than_five_examples_is_named(copy: Path) -> None:
    change_item(copy, "items/health.yaml", "medical-card",
                lambda e: e.update(examples=e["examples"][:4]))
    error = load_error(copy)
    assert_names(error, "items/health.yaml", "medical-card", "examples")
    assert "at least 5" in str(error) and "has 4" in str(error)


def test_fewer_than_three_aliases_is_named(copy: Path) -> None:
    change_item(copy, "items/health.yaml", "medical-card",
                lambda e: e.update(aliases=e["aliases"][:2]))
    assert_names(load_error(copy), "items/health.yaml", "medical-card", "aliases")


def test_a_blank_example_is_named(copy: Path) -> None:
    change_item(copy, "items/health.yaml", "medical-card",
                lambda e: e["examples"].append("  "))
    assert_names(load_error(copy), "items/health.yaml", "medical-card", "examples")


@pytest.mark.parametrize("disposition", ["answr", "reply", "Answer", "转告"])
def test_a_bad_disposition_is_named(copy: Path, disposition: str) -> None:
    change_item(copy, "items/health.yaml", "medical-card",
                lambda e: e.update(disposition=disposition))
    error = load_error(copy)
    assert_names(error, "items/health.yaml", "medical-card", "disposition")
    assert disposition in str(error)


def test_an_unknown_detail_kind_in_needs_is_named(copy: Path) -> None:
    change_item(copy, "items/housing.yaml", "facility-repair",
                lambda e: e.update(needs=["location", "adress"]))
    error = load_error(copy)
    assert_names(error, "items/housing.yaml", "facility-repair", "needs")
    assert "adress" in str(error)


def test_a_code_with_capitals_or_spaces_is_named(copy: Path) -> None:
    change_item(copy, "items/health.yaml", "medical-card",
                lambda e: e.update(code="Medical Card"))
    assert_names(load_error(copy), "items/health.yaml", "Medical Card", "code")


def test_a_wrongly_typed_field_is_named(copy: Path) -> None:
    change_item(copy, "items/elderly.yaml", "senior-card", lambda e: e.update(visits="two"))
    error = load_error(copy)
    assert_names(error, "items/elderly.yaml", "senior-card", "visits")
    assert "expected int" in str(error)


def test_a_bad_material_form_names_the_item_and_material(copy: Path) -> None:
    change_item(copy, "items/elderly.yaml", "senior-card",
                lambda e: e["materials"][0].update(form="scan"))
    error = load_error(copy)
    assert_names(error, "items/elderly.yaml", "senior-card", "form")
    assert "materials[0]" in str(error)


def test_a_duplicate_office_code_is_named(copy: Path) -> None:
    rewrite(copy, "offices.yaml", lambda data: data["offices"].append(dict(data["offices"][0])))
    error = load_error(copy)
    assert error.path.endswith("offices.yaml")
    assert "affairs-centre" in str(error) and "'code'" in str(error)


def test_a_front_desk_line_that_does_not_exist_is_named(copy: Path) -> None:
    rewrite(copy, "committee.yaml", lambda data: data["committee"].update(front_desk_line="desk"))
    error = load_error(copy)
    assert error.path.endswith("committee.yaml")
    assert "'front_desk_line'" in str(error)


def test_an_empty_items_folder_is_named(copy: Path) -> None:
    for path in (copy / "items").glob("*.yaml"):
        path.unlink()
    error = load_error(copy)
    assert error.path.endswith("items")
    assert "*.yaml" in str(error)


def test_a_misspelt_field_of_a_line_of_work_is_named(copy: Path) -> None:
    def typo(data: dict[str, Any]) -> None:
        line = next(entry for entry in data["lines"] if entry["code"] == "property-repair")
        line["notify_openid"] = line.pop("notify_openids")

    rewrite(copy, "committee.yaml", typo)
    error = load_error(copy)
    assert "property-repair" in str(error) and "'notify_openid'" in str(error)


def test_a_misspelt_field_of_an_office_is_named(copy: Path) -> None:
    def typo(data: dict[str, Any]) -> None:
        data["offices"][0]["smaple"] = data["offices"][0].pop("sample")

    rewrite(copy, "offices.yaml", typo)
    error = load_error(copy)
    assert "affairs-centre" in str(error) and "'smaple'" in str(error)


def test_a_misspelt_field_of_a_material_is_named(copy: Path) -> None:
    change_item(copy, "items/elderly.yaml", "senior-card",
                lambda e: e["materials"][0].update(cuont=2))
    assert_names(load_error(copy), "items/elderly.yaml", "senior-card", "cuont")


def change_family(root: Path, code: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply CHANGE to the raw entry of family CODE in families.yaml."""
    rewrite(root, "families.yaml",
            lambda data: change(next(f for f in data["families"] if f["code"] == code)))


def test_the_shipped_families_name_real_items_and_offer_short_lists(guide_dir: Path) -> None:
    guide = load_guide(guide_dir)
    codes = {item.code for item in guide.items}
    families = {family.code: family for family in guide.families}
    assert {"cards", "subsidies", "certificates", "complaints", "elderly-services"} <= set(families)
    for family in guide.families:
        assert family.name.zh and family.name.en and family.triggers, family.code
        assert 2 <= len(family.items) <= 5 and set(family.items) <= codes, family.code
    assert families["cards"].items[:2] == ("medical-card", "senior-card")


def test_a_family_naming_an_unknown_item_is_named(copy: Path) -> None:
    change_family(copy, "cards", lambda entry: entry["items"].append("library-card"))
    error = load_error(copy)
    assert_names(error, "families.yaml", "cards", "items")
    assert "library-card" in str(error)


def test_a_family_of_more_than_five_items_is_named(copy: Path) -> None:
    def grow(entry: dict[str, Any]) -> None:
        entry["items"] = ["medical-card", "senior-card", "disability-card", "hukou",
                          "residence-permit", "certificate"]

    change_family(copy, "cards", grow)
    error = load_error(copy)
    assert_names(error, "families.yaml", "cards", "items")
    assert "at most 5" in str(error)


@pytest.mark.parametrize("field", ["name", "name_en", "triggers"])
def test_a_family_without_a_name_or_triggers_is_named(copy: Path, field: str) -> None:
    change_family(copy, "subsidies", lambda entry: entry.pop(field))
    assert_names(load_error(copy), "families.yaml", "subsidies", field)


def test_a_misspelt_field_of_a_family_is_named(copy: Path) -> None:
    change_family(copy, "complaints", lambda entry: entry.update(trigers=["投诉"]))
    error = load_error(copy)
    assert_names(error, "families.yaml", "complaints", "trigers")
    assert "unknown field" in str(error)


def test_a_family_code_used_twice_is_named(copy: Path) -> None:
    rewrite(copy, "families.yaml",
            lambda data: data["families"].append(dict(data["families"][0])))
    assert_names(load_error(copy), "families.yaml", "cards", "code")


def test_a_guide_without_families_still_loads(copy: Path) -> None:
    (copy / "families.yaml").unlink()
    assert load_guide(copy).families == ()
