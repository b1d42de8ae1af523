"""Compose the reply for a guide item: handle it on the spot, or point to the right office."""

from __future__ import annotations

import re

from knowledge.models import Guide, Item, Material, Sorting, Text

_SAMPLE_TAG = re.compile(r"\s*[（(]示例[^）)]*[）)]")
_SAMPLE_MARK = ("（示例号码）", " (sample number)")
"""Appended to a sample phone so nobody dials it as a real office's."""

_LABELS = {
    "eligibility": ("适用对象", "Who can apply"), "materials": ("请带上", "What to bring"),
    "where": ("地点", "Where"), "hours": ("时间", "When"), "duration": ("办理时限", "How long"),
    "fees": ("费用", "Fees"), "office": ("办理部门", "Office"), "address": ("地址", "Address"),
    "phone": ("电话", "Phone"), "visits": ("跑动次数", "Visits"),
    "bin": ("投放到", "Goes in"), "rooms": ("垃圾箱房开放时间", "Garbage rooms"),
}
_FORMS = {"original": ("原件", "original"), "copy": ("复印件", "copy"),
          "either": ("原件或复印件", "original or copy")}


def _label(key: str, lang: str) -> str:
    zh, en = _LABELS[key]
    return en if lang == "en" else zh


def _material(material: Material, lang: str) -> str:
    form_zh, form_en = _FORMS[material.form]
    if lang == "en":
        return f"{material.name.pick(lang)} ({form_en} × {material.count})"
    return f"{material.name.zh}（{form_zh}{material.count}份）"


def _lines(pairs: list[tuple[str, Text | None]], lang: str) -> list[str]:
    return [f"{_label(key, lang)}：{text.pick(lang)}" if lang != "en"
            else f"{_label(key, lang)}: {text.pick(lang)}" for key, text in pairs if text]


def title(item: Item, lang: str) -> str:
    """Return the item's name in LANG."""
    return item.name.pick(lang)


def show_phone(phone: str, is_sample: bool, lang: str) -> str:
    """Return PHONE as shown to a resident, a sample number marked so in their language."""
    bare = _SAMPLE_TAG.sub("", phone).strip()
    if not is_sample:
        return bare
    return bare + _SAMPLE_MARK[lang == "en"]


def compose_answer(item: Item, lang: str) -> str:
    """Return an on-the-spot answer: what it is, what to bring, where, when and how long."""
    parts = [f"【{title(item, lang)}】", item.summary.pick(lang)]
    parts += _lines([("eligibility", item.eligibility)], lang)
    if item.materials:
        sep = ": " if lang == "en" else "："
        parts.append(_label("materials", lang) + sep + "; ".join(
            _material(m, lang) for m in item.materials))
    parts += _lines([("where", item.where), ("hours", item.hours), ("duration", item.duration),
                     ("fees", item.fees)], lang)
    return "\n".join(parts)


def compose_referral(item: Item, guide: Guide, lang: str) -> str:
    """Return the office a resident should go to, with its address, hours and phone."""
    parts = [f"【{title(item, lang)}】", item.summary.pick(lang)]
    if item.english_first and lang != "en":
        # Matters of foreign residents lead with English even when a Chinese landlord asks.
        lead = item.summary.en.split(". ")[0].rstrip(".")
        parts = [f"【{item.name.en}】{lead}. (Write in English for the details in English.)",
                 *parts]
    office = guide.offices.get(item.office or "")
    if office is not None:
        phone = Text(show_phone(office.phone, office.is_sample, lang))
        parts += _lines([("office", office.name), ("address", office.address),
                         ("hours", office.hours), ("phone", phone)], lang)
    parts += _lines([("duration", item.duration)], lang)
    if item.materials:
        sep = ": " if lang == "en" else "："
        parts.append(_label("materials", lang) + sep + "; ".join(
            _material(m, lang) for m in item.materials))
    return "\n".join(parts)


def compose_sorting(sorting: Sorting, item: Item, lang: str) -> str:
    """Return which bin an object goes in, how to put it out, and when the garbage rooms open."""
    thing = sorting.name.pick(lang)
    sep = ": " if lang == "en" else "："
    parts = [f"【{title(item, lang)}】{thing} → {sorting.bin.name.pick(lang)}",
             sorting.bin.tip.pick(lang)]
    if sorting.note is not None:
        parts.append(sorting.note.pick(lang))
    if item.hours is not None:
        parts.append(_label("rooms", lang) + sep + item.hours.pick(lang))
    return "\n".join(parts)


def compose_sortings(found: list[Sorting], item: Item, lang: str) -> str:
    """Return the bins for several objects asked at once, and the garbage rooms' times once."""
    sep = ": " if lang == "en" else "："
    parts = [f"【{title(item, lang)}】"]
    for sorting in found:
        parts.append(f"{sorting.name.pick(lang)} → {sorting.bin.name.pick(lang)}"
                     f"{sep}{sorting.bin.tip.pick(lang)}")
        if sorting.note is not None:
            parts.append(sorting.note.pick(lang))
    if item.hours is not None:
        parts.append(_label("rooms", lang) + sep + item.hours.pick(lang))
    return "\n".join(parts)
