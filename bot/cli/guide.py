"""`flask --app bot guide check|match|reload|gaps|learn`: the Service Guide, tried and grown."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

import click
from flask.cli import AppGroup

from bot.cli.common import app_services
from bot.core.gaps import gap_clusters, listed_text, save_listing, teach
from bot.core.services import GUIDE_CHECK_SECONDS
from knowledge.loader import GuideError, load_guide
from knowledge.matcher import Matcher

guide_group = AppGroup("guide", help="Check the Service Guide and try the matcher.")


@guide_group.command("check")
def guide_check() -> None:
    """Validate the guide and list the sample contacts still to be replaced."""
    directory = app_services().settings.guide_dir
    try:
        guide = load_guide(directory)
    except GuideError as error:
        click.echo(f"guide is invalid: {error}", err=True)
        sys.exit(1)
    counts = {d: sum(1 for i in guide.items if i.disposition == d)
              for d in ("answer", "handoff", "refer")}
    summary = ", ".join(f"{n} {d}" for d, n in counts.items())
    click.echo(f"guide OK: {len(guide.items)} items ({summary}), "
               f"{len(guide.offices)} offices, {len(guide.lines)} lines of work")
    if guide.garbage is not None:
        click.echo(f"sorting table: {len(guide.garbage.objects)} objects in "
                   f"{len(guide.garbage.bins)} bins, {len(guide.committee.garbage_rooms)} "
                   "garbage rooms")
    samples = guide.samples()
    if samples:
        click.echo(f"{len(samples)} sample contacts to replace before going live:")
        for sample in samples:
            click.echo(f"  - {sample}")


@guide_group.command("match")
@click.argument("messages", nargs=-1)
def guide_match(messages: tuple[str, ...]) -> None:
    """Match MESSAGES (or lines on stdin) and print one JSON object per line."""
    matcher: Matcher = app_services().index.matcher
    source = messages or (line.rstrip("\n") for line in sys.stdin)
    for text in source:
        if text.strip():
            click.echo(json.dumps(matcher.match(text).as_dict(), ensure_ascii=False))


@guide_group.command("reload")
def guide_reload() -> None:
    """Validate the edited guide; running processes switch to it within a few seconds."""
    services = app_services()
    try:
        guide = services.reload_guide().guide
    except GuideError as error:
        click.echo(f"guide is invalid: {error}", err=True)
        click.echo("the running service keeps answering with the previous guide", err=True)
        sys.exit(1)
    click.echo(f"guide OK: {len(guide.items)} items; running processes pick it up within "
               f"{GUIDE_CHECK_SECONDS:.0f} s, no restart needed")


@guide_group.command("gaps")
@click.option("--days", default=30, show_default=True, help="How many days back to look.")
@click.option("--limit", default=30, show_default=True, help="How many questions to show.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question.")
def guide_gaps(days: int, limit: int, as_json: bool) -> None:
    """Group the messages the guide could not answer into questions, most asked first."""
    services = app_services()
    until = services.now().date()
    since = until - timedelta(days=max(days, 1) - 1)
    committee = services.index.guide.committee.code
    clusters = gap_clusters(services.redis, committee, since, until, services.index.matcher,
                            limit)
    save_listing(services.redis, committee, clusters)
    for number, found in enumerate(clusters, 1):
        if as_json:
            click.echo(json.dumps(found.as_dict(number), ensure_ascii=False))
            continue
        near = found.nearest
        nearest = "none" if near is None else \
            f"{near.item.code} {near.item.name.zh} ({near.score:.2f})"
        mix = ", ".join(f"{outcome} {n}" for outcome, n in found.outcomes.items())
        click.echo(f"[{number}] {found.count:>4}×  {found.text}")
        click.echo(f"      结果 outcome: {mix} · 最接近 nearest: {nearest}"
                   + (" · 现已能答 answered now" if found.answered else ""))
        others = [f"{g.text} ({g.count})" for g in found.members[1:]]
        if others:
            click.echo(f"      同类问法 also: {'; '.join(others[:5])}"
                       + (f" … +{len(others) - 5}" if len(others) > 5 else ""))
    if not clusters and not as_json:
        click.echo(f"no unanswered messages from {since} to {until}")
    elif not as_json:
        click.echo('add one: flask --app bot guide learn --cluster N --item CODE '
                   '[--as alias|example], or guide learn "TEXT" --item CODE')


@guide_group.command("learn")
@click.argument("text", required=False)
@click.option("--item", "code", required=True, help="The item's code, e.g. senior-card.")
@click.option("--as", "kind", type=click.Choice(["alias", "example"]), default="example",
              show_default=True, help="Add the text to the item's aliases or its examples.")
@click.option("--cluster", "number", type=int, default=None,
              help="Take the text of question N of the last `guide gaps` listing.")
def guide_learn(text: str | None, code: str, kind: str, number: int | None) -> None:
    """Add TEXT (or a listed question) to an item's aliases or examples in its YAML file."""
    services = app_services()
    if (text is None) == (number is None):
        click.echo("give the TEXT or --cluster N (one of them)", err=True)
        sys.exit(2)
    if number is not None:
        text = listed_text(services.redis, services.index.guide.committee.code, number)
        if text is None:
            click.echo(f"no question {number} in the last listing: run `guide gaps` first",
                       err=True)
            sys.exit(1)
    assert text is not None
    try:
        click.echo(teach(services, code, "aliases" if kind == "alias" else "examples", text))
    except GuideError as error:
        click.echo(f"refused, the file is unchanged: {error}", err=True)
        sys.exit(1)
