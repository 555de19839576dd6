"""A bar chart of verdicts per recommendation, as a small self-contained SVG (no plotting library)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from advisor.batch.summary import Summary
from advisor.contract.result import VERDICT_ORDER

COLOURS = {"recommended": "#2e7d32", "possible": "#0288d1", "undecided": "#f9a825", "not_eligible": "#c62828",
           "not_offered": "#9e9e9e"}
ROW, LABEL, BAR, TOP, LEFT = 34, 14, 620, 60, 10  # a row: its title (LABEL high) above its bar


def bar_chart(summary: Summary) -> str:
    """One stacked horizontal bar per recommendation, under its title: how many profiles got each verdict."""
    rows = summary.rows()
    total = max((sum(numbers) for _, numbers in rows), default=0) or 1
    height = TOP + ROW * len(rows) + 10
    width = LEFT + BAR + 90
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
             f'<title>Verdicts per recommendation ({summary.profiles:,} profiles)</title>',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<text x="{LEFT}" y="20" font-size="15" font-weight="bold">Verdicts per recommendation '
             f'({summary.profiles:,} profiles)</text>']
    x = LEFT
    for verdict in VERDICT_ORDER:  # legend
        parts.append(f'<rect x="{x}" y="32" width="12" height="12" fill="{COLOURS[verdict]}"/>'
                     f'<text x="{x + 16}" y="42">{verdict.replace("_", " ")}</text>')
        x += 16 + 8 * len(verdict) + 14
    for i, (title, numbers) in enumerate(rows):
        y = TOP + i * ROW
        parts.append(f'<text x="{LEFT}" y="{y + LABEL - 3}">{escape(title)}</text>')
        x = float(LEFT)
        for verdict, n in zip(VERDICT_ORDER, numbers):
            if n:
                w = BAR * n / total
                parts.append(f'<rect x="{x:.1f}" y="{y + LABEL}" width="{w:.1f}" height="{ROW - LABEL - 4}" '
                             f'fill="{COLOURS[verdict]}"><title>{escape(title)}: {n:,} '
                             f'{verdict.replace("_", " ")}</title></rect>')
                x += w
        good = numbers[0] + numbers[1]
        parts.append(f'<text x="{x + 6:.1f}" y="{y + ROW - 8}" fill="#333">{good:,} eligible</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
