"""MathML for the HTML renderer: each formula's LaTeX converted by latex2mathml, so a browser typesets it
as text that can be selected, copied and read aloud, with no fonts, scripts or network.

latex2mathml does not know the aligned environments, so a chain a = b = c (and the checker's annotated
derivation) is built here as an `<mtable>`, each cell converted on its own.
"""
from __future__ import annotations

import html
import re

_ALIGNED = re.compile(r"^\s*\\begin\{(aligned|alignedat)\}(\{\d+\})?(?P<body>.*)\\end\{\1\}\s*$", re.S)
_OUTER = re.compile(r"^<math[^>]*>(.*)</math>$", re.S)


def _inner(tex: str) -> str:
    """The MathML of `tex` without its <math> element (raises on LaTeX latex2mathml cannot read)."""
    from latex2mathml.converter import convert

    out = convert(tex)
    m = _OUTER.match(out)
    return m.group(1) if m else out


def formula(tex: str, text: str, display: bool = False) -> str:
    """One formula as a <math> element; its Unicode text where the LaTeX cannot be converted."""
    try:
        m = _ALIGNED.match(tex)
        body = table(_rows(m.group("body"))) if m else _inner(tex)
    except Exception:  # latex2mathml raises many kinds of error on what it does not know
        return f'<span class="math-text">{html.escape(text)}</span>'
    mode = "block" if display else "inline"
    return (f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="{mode}" alttext="{html.escape(text)}">'
            f"{body}</math>")


def table(rows: list[list[str]]) -> str:
    """Rows of LaTeX cells as an <mtable>, right-aligned then left-aligned like align*."""
    width = max(len(r) for r in rows)
    align = " ".join("right" if k % 2 == 0 else "left" for k in range(width))
    cells = "".join("<mtr>" + "".join(f"<mtd>{_inner(c) if c.strip() else ''}</mtd>" for c in row) + "</mtr>"
                    for row in rows)
    return f'<mtable columnalign="{align}" columnspacing="0.25em" displaystyle="true">{cells}</mtable>'


def chain(exprs: list[str], relations: list[str], text: str) -> str:
    """A displayed chain a = b = c: one row per relation, aligned on it."""
    if not relations:
        return formula(exprs[0], text, display=True)
    rows = [[exprs[0], f"{relations[0]} {exprs[1]}"]] + [["", f"{r} {e}"] for r, e in zip(relations[1:], exprs[2:])]
    try:
        body = table(rows)
    except Exception:
        return f'<span class="math-text">{html.escape(text)}</span>'
    return (f'<math xmlns="http://www.w3.org/1998/Math/MathML" display="block" alttext="{html.escape(text)}">'
            f"{body}</math>")


def _rows(body: str) -> list[list[str]]:
    """The cells of an aligned body: rows split on top-level \\\\, cells on top-level &."""
    rows, row, cell, depth, i = [], [], [], 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if depth == 0 and body.startswith("\\\\", i):
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            i += 2
            continue
        if depth == 0 and ch == "&":
            row.append("".join(cell))
            cell = []
        else:
            cell.append(ch)
        i += 1
    row.append("".join(cell))
    rows.append(row)
    return [r for r in rows if any(c.strip() for c in r)]
