"""Documents: how long a one-derivation PDF and the whole study guide take (targets: < 0.5 s, < 20 s).

Prints the times and their ratio to the text renderer of the same document, measured in the same run.
"""
from __future__ import annotations

import time

import gradwise  # noqa: F401  (imported before timing: the target is "after import")
from gradwise.derivations.derivation import differentiate
from gradwise.explainer import explain
from gradwise.renderers import render


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    first = time.perf_counter()
    render(explain(differentiate("x^2 sin(x)", "x")), "pdf")
    cold = time.perf_counter() - first
    total = best_of(5, lambda: render(explain(differentiate("x^2 sin(x)", "x")), "pdf"))
    doc = explain(differentiate("sigmoid(w*x + b)", "w"), "full")
    text = best_of(5, lambda: render(doc, "text"))
    pdf = best_of(5, lambda: render(doc, "pdf"))
    html = best_of(5, lambda: render(doc, "html"))
    print(f"one derivation, first PDF after import (differentiate + explain + PDF): {cold:.3f} s (target < 0.5 s)")
    print(f"one derivation, warm (differentiate + explain + PDF):                    {total:.3f} s")
    print(f"render only: text {text * 1000:.1f} ms, PDF {pdf * 1000:.1f} ms ({pdf / text:.1f}x text), "
          f"HTML {html * 1000:.1f} ms ({html / text:.1f}x text)")

    from gradwise.study import build_guide
    from gradwise.study.guide import SUBTITLE
    from gradwise.study.registry import GuideContext

    start = time.perf_counter()
    guide, skipped = build_guide(GuideContext(figures=True))
    built = time.perf_counter() - start
    start = time.perf_counter()
    pdf_bytes = render(guide, "pdf", contents=True, section_pages=True, subtitle=SUBTITLE)
    compiled = time.perf_counter() - start
    print(f"whole guide: built in {built:.2f} s (derivations, checks, figures), PDF in {compiled:.2f} s, "
          f"total {built + compiled:.2f} s (target < 20 s); {len(pdf_bytes) // 1024} KiB, "
          f"{len(guide.blocks)} blocks, {len(skipped)} topics waiting for their engines")


if __name__ == "__main__":
    main()
