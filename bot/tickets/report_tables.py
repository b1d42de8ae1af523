"""The Monday report as aligned text and as CSV, the same for the command line and the console."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.core.calendar import LOCAL
from bot.core.columns import text_table
from bot.tickets.report import AGE_BUCKETS, WeeklyReport

STAFF_COLUMNS = ("staff", "received", "accepted", "resolved", "median_accept_hours",
                 "median_resolve_hours", "limits_broken", "ratings", "average_rating")
STAFF_HEADERS = ("姓名(staff)", "收到(received)", "签收(accepted)", "办结(resolved)",
                 "签收中位h(median h to accept)", "办结中位h(to resolve)", "超时(late)",
                 "评价(ratings)", "均分(avg)")
AGE_HEADERS = ("<1天(<1d)", "1-3天(1-3d)", "3-7天(3-7d)", ">7天(>7d)")
UNASSIGNED_COLUMNS = ("ticket", "line", "status", "created_at", "age_days")


def _number(value: float | None, missing: str = "-") -> str:
    return missing if value is None else f"{value:.1f}"


def _staff_rows(report: WeeklyReport, missing: str = "-") -> list[list[str]]:
    return [[row.name, str(row.received), str(row.accepted), str(row.resolved),
             _number(row.median_accept_hours, missing), _number(row.median_resolve_hours, missing),
             str(len(row.limits_broken)), str(len(row.ratings)),
             _number(row.average_rating, missing)] for row in report.staff]


def _age_rows(report: WeeklyReport) -> list[list[str]]:
    table = report.open_by_age()
    rows = [[status, *(str(counts[label]) for label, _ in AGE_BUCKETS),
             str(sum(counts.values()))] for status, counts in table.items()]
    totals = [sum(counts[label] for counts in table.values()) for label, _ in AGE_BUCKETS]
    return [*rows, ["total", *(str(n) for n in totals), str(sum(totals))]]


def _unassigned_rows(report: WeeklyReport, mark: str = "#") -> list[list[str]]:
    return [[f"{mark}{t.id}", t.line, t.status, f"{t.created_at.astimezone(LOCAL):%Y-%m-%d %H:%M}",
             _number(t.age_days)] for t in report.unassigned()]


def render_text(report: WeeklyReport) -> list[str]:
    """Return the report as aligned text with Chinese and English headers."""
    sunday = (report.end - timedelta(days=1)).astimezone(LOCAL)
    as_of = f"{report.as_of.astimezone(LOCAL):%Y-%m-%d %H:%M}"
    lines = [f"周报 (weekly report) {report.start:%Y-%m-%d} – {sunday:%Y-%m-%d}", "",
             "每人工单 (per staff member)"]
    lines += text_table(STAFF_HEADERS, _staff_rows(report))
    lines += ["", f"未办结工单按时长 (open tickets by age, as of {as_of})"]
    lines += text_table(("状态(status)", *AGE_HEADERS, "合计(total)"), _age_rows(report))
    unassigned = _unassigned_rows(report)
    lines += ["", f"未分派工单 (unassigned, as of {as_of}): {len(unassigned)}"]
    if unassigned:
        lines += text_table(("工单(ticket)", "条线(line)", "状态(status)", "登记(created)",
                             "天数(days)"), unassigned)
    return lines


def render_csv(report: WeeklyReport) -> str:
    """Return three CSV blocks, each with a header row, separated by one blank line."""
    # Empty cells, not '-', where there is no median: spreadsheets read them as blanks.
    blocks = [(STAFF_COLUMNS, _staff_rows(report, missing="")),
              (("status", *(label for label, _ in AGE_BUCKETS), "total"), _age_rows(report)),
              (UNASSIGNED_COLUMNS, _unassigned_rows(report, mark=""))]
    out = []
    for header, rows in blocks:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        out.append(buffer.getvalue())
    return "\n".join(out)
