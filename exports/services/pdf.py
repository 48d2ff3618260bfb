"""The membership update as a PDF document HQ can send as it is: WeasyPrint renders the HTML
template `exports/membership_update.html` (A4, page numbers, table of contents)."""

from __future__ import annotations

import logging
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from exports.services.membership import MembershipUpdate, TrendPoint

TEMPLATE = "exports/membership_update.html"
# WeasyPrint logs every layout step at INFO; a worker's log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# Line styles tell the series apart without colour (accessibility).
SERIES_STYLES = [
    ("#1f4e79", ""),
    ("#2e7d32", "6 3"),
    ("#ef6c00", "2 3"),
    ("#6a1b9a", "8 3 2 3"),
    ("#455a64", "1 2"),
]
WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 16, 12, 48


def trend_svg(*, series: list[tuple[str, list[TrendPoint]]], periods: list[str]) -> SafeString:
    """Return an inline SVG line chart of mean progress per quarter, one line per series.

    The chart is decorative beside its data table; it carries a title for screen readers.
    """
    if not periods:
        return mark_safe("")
    values = [p.progress for _label, points in series for p in points if p.progress is not None]
    top = max([Decimal(1), *values]) if values else Decimal(1)
    bottom = min([Decimal(0), *values]) if values else Decimal(0)
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / max(len(periods) - 1, 1)

    def x(index: int) -> float:
        return PAD_LEFT + index * step

    def y(value: Decimal) -> float:
        return PAD_TOP + plot_h * float((top - value) / (top - bottom or 1))

    # The title outside the f-string, where makemessages finds it.
    title = escape(_("Mean progress per quarter, strategy to date"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="trend">',
        f"<title>{title}</title>",
    ]
    gridlines = sorted({bottom, Decimal(0), Decimal("0.5"), Decimal(1), top})
    for level in gridlines:
        parts.append(
            f'<line x1="{PAD_LEFT}" y1="{y(level):.1f}" x2="{WIDTH - PAD_RIGHT}" '
            f'y2="{y(level):.1f}" stroke="#ccc" stroke-width="0.6"/>'
            f'<text x="{PAD_LEFT - 4}" y="{y(level) + 3:.1f}" font-size="8" '
            f'text-anchor="end">{level * 100:.0f}%</text>'
        )
    label_every = max(1, len(periods) // 10)
    last = len(periods) - 1
    for index, code in enumerate(periods):
        shown = index % label_every == 0 and (index == last or last - index >= label_every)
        if shown or index == last:
            parts.append(
                f'<text x="{x(index):.1f}" y="{HEIGHT - PAD_BOTTOM + 12}" font-size="7" '
                f'text-anchor="middle">{escape(code)}</text>'
            )
    position = {code: index for index, code in enumerate(periods)}
    for number, (label, points) in enumerate(series):
        colour, dash = SERIES_STYLES[number % len(SERIES_STYLES)]
        coords = [
            f"{x(position[p.period]):.1f},{y(p.progress):.1f}"
            for p in points
            if p.progress is not None and p.period in position
        ]
        if coords:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="1.6"{dash_attr} '
                f'points="{" ".join(coords)}"/>'
            )
        legend_y = HEIGHT - 22 + (number // 3) * 10
        legend_x = PAD_LEFT + (number % 3) * 200
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{legend_x}" y1="{legend_y}" x2="{legend_x + 22}" y2="{legend_y}" '
            f'stroke="{colour}" stroke-width="1.6"{dash_attr}/>'
            f'<text x="{legend_x + 26}" y="{legend_y + 3}" font-size="8">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def _trend_series(update: MembershipUpdate) -> tuple[list[tuple[str, list[TrendPoint]]], list]:
    series = [(_("All indicators"), update.trend)]
    series += [(f"({o.code}) {o.short_title or o.title}", o.trend) for o in update.outcomes]
    periods = [p.period for p in update.trend]
    return series, periods


def membership_update_html(*, update: MembershipUpdate) -> str:
    """Return the HTML the PDF is printed from."""
    series, periods = _trend_series(update)
    table = [
        {
            "period": code,
            "values": [
                next((p for p in points if p.period == code), None) for _label, points in series
            ],
        }
        for code in periods
    ]
    return render_to_string(
        TEMPLATE,
        {
            "update": update,
            "trend_chart": trend_svg(series=series, periods=periods),
            # Short headings ("(a)") keep the table narrow; the chart's legend has the names.
            "trend_labels": [
                label.split(" ", 1)[0] if index else label
                for index, (label, _points) in enumerate(series)
            ],
            "trend_table": table,
        },
    )


def membership_update_pdf(*, update: MembershipUpdate) -> bytes:
    """Return the membership update as an A4 PDF."""
    from weasyprint import HTML  # imported here: loading it takes a moment

    html = membership_update_html(update=update)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
