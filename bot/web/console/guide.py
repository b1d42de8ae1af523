"""Console pages for the Service Guide: browse items, try the matcher, the gaps, reload."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.core.gaps import gap_clusters, teach
from bot.core.services import GUIDE_CHECK_SECONDS
from bot.web.console.auth import admin_required, committee, console, login_required, services
from knowledge.guide_edit import Field
from knowledge.loader import GuideError
from knowledge.models import DISPOSITIONS, Item

GAP_DAYS = 30
"""The unmatched-questions report looks this many days back, like `guide gaps`."""
GAP_LIMIT = 30
"""Questions (groups of wordings) shown, most asked first."""


def _grouped(items: tuple[Item, ...], disposition: str, category: str) -> dict[str, list[Item]]:
    """Return the items by category, keeping only those that pass the filters."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        if disposition and item.disposition != disposition:
            continue
        if category and item.category != category:
            continue
        groups.setdefault(item.category, []).append(item)
    return groups


def _render(reload_error: str = "", reloaded: str = "") -> str:
    index = services().index
    guide = index.guide
    disposition = request.args.get("disposition", "")
    category = request.args.get("category", "")
    text = request.args.get("q", "").strip()
    match = index.matcher.match(text).as_dict() if text else None
    until = services().now().date()
    since = until - timedelta(days=GAP_DAYS - 1)
    gaps = gap_clusters(services().redis, committee(), since, until, index.matcher, GAP_LIMIT)
    return render_template(
        "console/guide.html", groups=_grouped(guide.items, disposition, category),
        dispositions=DISPOSITIONS, categories=sorted({i.category for i in guide.items}),
        disposition=disposition, category=category, total=len(guide.items), text=text,
        match=match, gaps=gaps, items=guide.items, since=since, until=until,
        reload_error=reload_error, reloaded=reloaded, guide_error=services().guide_error)


@console.get("/guide")
@login_required
def guide_page() -> str:
    """Browse the guide's items, try the matcher, and see what residents asked in vain."""
    return _render()


@console.get("/guide/items/<code>")
@login_required
def guide_item(code: str) -> str:
    """One item of the guide, as the front desk answers it."""
    guide = services().index.guide
    try:
        item = guide.item(code)
    except KeyError:
        abort(404, f"no guide item '{code}'")
    office = guide.offices.get(item.office) if item.office else None
    line = guide.lines.get(item.line) if item.line else None
    return render_template("console/guide_item.html", item=item, office=office, line=line)


@console.post("/guide/reload")
@admin_required
def guide_reload() -> Response | str:
    """Validate the edited guide and switch to it; a broken edit leaves the old one serving."""
    try:
        guide = services().reload_guide().guide
    except GuideError as error:
        return _render(reload_error=str(error))
    return _render(reloaded=f"guide OK: {len(guide.items)} items; running processes pick it up "
                            f"within {GUIDE_CHECK_SECONDS:.0f} s")


@console.post("/guide/learn")
@admin_required
def guide_learn() -> Response:
    """Add a resident's wording to an item's aliases or examples, as `guide learn` does."""
    field: Field = "aliases" if request.form.get("as") == "alias" else "examples"
    try:
        flash(teach(services(), request.form.get("item", "").strip(), field,
                    request.form.get("text", "")), "ok")
    except GuideError as error:
        flash(f"未加入，文件未改动 Refused, the file is unchanged: {error}", "error")
    return redirect(url_for("console.guide_page") + "#gaps")
