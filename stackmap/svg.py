"""The stack diagram as a standalone SVG file, for slide decks.

Pipeline blocks are columns left to right; cross-cutting blocks are bands drawn across the
whole pipeline below it; chips are coloured by stage (the same palette as stackmap.css) and
inferred mappings have a dashed outline. Built as text, in one pass over the map's chips.
"""

from xml.sax.saxutils import escape, quoteattr

from .stackmap import KIND_LABELS

FILL = {
    "graduated": "#1b6e3a",
    "incubating": "#2f6fb3",
    "sandbox": "#8a5d00",
    "hosted": "#5c4a9e",
    "archived": "#6c757d",
    "external": "#ffffff",
}
TEXT = {"external": "#212529"}
COL_W, GAP, PAD, HEAD_H, CHIP_H, CHIP_GAP = 170, 10, 20, 48, 22, 4
CHIP_CHARS = 24


def _label(text, limit=CHIP_CHARS):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrap(text, limit):
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line][:2]


def _chip(out, x, y, w, chip):
    kind = chip.kind
    dash = ' stroke-dasharray="4 3"' if chip.inferred else ""
    weight = "bold" if chip.primary else "normal"
    title = (
        f"{chip.project.name}: {KIND_LABELS[kind]}, {chip.mapping.role}, {chip.mapping.provenance}"
    )
    out.append(
        f'<g><title>{escape(title)}</title><rect x="{x}" y="{y}" width="{w}" height="{CHIP_H}" '
        f'rx="4" fill="{FILL[kind]}" stroke="#343a40"{dash}/>'
        f'<text x="{x + 6}" y="{y + 15}" font-weight="{weight}" fill="{TEXT.get(kind, "#fff")}">'
        f"{escape(_label(chip.project.name, int(w / 7)))}</text></g>"
    )


def render_svg(stack_map, title="ML workflow stack"):
    out = []
    pipeline = stack_map.pipeline
    width = max(len(pipeline), 4) * (COL_W + GAP) - GAP + 2 * PAD
    y0 = PAD + 30
    tallest = max((len(c.chips) for c in pipeline), default=0)
    col_h = HEAD_H + tallest * (CHIP_H + CHIP_GAP) + 8
    for i, column in enumerate(pipeline):
        x = PAD + i * (COL_W + GAP)
        out.append(
            f'<rect x="{x}" y="{y0}" width="{COL_W}" height="{col_h}" rx="6" '
            f'fill="#f1f3f5" stroke="#adb5bd"/>'
        )
        for n, line in enumerate(_wrap(column.block.name, 24)):
            out.append(
                f'<text x="{x + 8}" y="{y0 + 18 + n * 15}" font-weight="bold">{escape(line)}</text>'
            )
        for j, chip in enumerate(column.chips):
            _chip(out, x + 6, y0 + HEAD_H + j * (CHIP_H + CHIP_GAP), COL_W - 12, chip)
    y = y0 + col_h + GAP
    per_row = max(1, (width - 2 * PAD - 12) // (COL_W + GAP))
    for column in stack_map.cross_cutting:
        rows = -(-len(column.chips) // per_row) if column.chips else 0
        band_h = 30 + rows * (CHIP_H + CHIP_GAP) + 6
        out.append(
            f'<rect x="{PAD}" y="{y}" width="{width - 2 * PAD}" height="{band_h}" rx="6" '
            f'fill="#e9ecef" stroke="#868e96" stroke-dasharray="8 4"/>'
            f'<text x="{PAD + 8}" y="{y + 19}" font-weight="bold">'
            f"{escape(column.block.name)} (across the pipeline)</text>"
        )
        for j, chip in enumerate(column.chips):
            row, col = divmod(j, per_row)
            cx = PAD + 6 + col * (COL_W + GAP)
            _chip(out, cx, y + 28 + row * (CHIP_H + CHIP_GAP), COL_W - 12, chip)
        y += band_h + GAP
    # Legend
    x = PAD
    y += 6
    for kind, label in KIND_LABELS.items():
        out.append(
            f'<rect x="{x}" y="{y}" width="14" height="14" fill="{FILL[kind]}" stroke="#343a40"/>'
            f'<text x="{x + 19}" y="{y + 12}">{escape(label)}</text>'
        )
        x += 40 + 7 * len(label)
    out.append(
        f'<rect x="{x}" y="{y}" width="14" height="14" fill="#fff" stroke="#343a40" '
        f'stroke-dasharray="4 3"/><text x="{x + 19}" y="{y + 12}">Inferred mapping (dashed); '
        f"primary in bold</text>"
    )
    height = y + 14 + PAD
    heading = f"{title} as of {stack_map.as_of:%Y-%m-%d}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="12" role="img" aria-label={quoteattr(heading)}>'
        f"<title>{escape(heading)}</title>"
        f'<rect width="100%" height="100%" fill="#fff"/>'
        f'<text x="{PAD}" y="{PAD + 12}" font-size="16" font-weight="bold">{escape(heading)}</text>'
        + "".join(out)
        + "</svg>\n"
    )
