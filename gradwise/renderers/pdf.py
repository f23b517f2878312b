"""PDF: the Typst source compiled in-process by the `typst` wheel (default), or the LaTeX document
compiled by latexmk/pdflatex (`engine="latex"`).

Typst sees only the fonts embedded in it (system fonts are ignored) and a fixed creation date, so the
same document gives the same PDF on every machine. LaTeX runs without shell-escape, in a temporary
folder, with a time limit.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import lru_cache

from gradwise.errors import GradwiseError
from gradwise.renderers.document import Document

ENGINES = ("typst", "latex")
LATEX_TIMEOUT = 120.0
INSTALL_HINT = ("install TeX first (Debian/Ubuntu: apt-get install texlive-latex-base "
                "texlive-latex-recommended lmodern latexmk), or leave out --engine latex to use the "
                "embedded Typst engine")


@lru_cache(maxsize=1)
def _compiler():
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
    return typst.Compiler(font_paths=fonts, ignore_system_fonts=True, root="/")


def compile_typst(source: str, fmt: str = "pdf", ppi: float | None = None) -> bytes | list[bytes]:
    """Typst source -> PDF bytes (or SVG/PNG pages), with embedded fonts only and a fixed date."""
    import typst

    try:
        return _compiler().compile(source.encode("utf-8"), format=fmt, ppi=ppi, timestamp=0, pdf_tags=False)
    except typst.TypstError as exc:  # a bug of ours: the printer wrote something Typst cannot read
        from gradwise.errors import EngineError
        detail = getattr(exc, "message", str(exc)).splitlines()[0] if str(exc) else "unknown error"
        raise EngineError(f"Typst could not compile the document: {detail}") from exc


def render(document: Document, engine: str = "typst", **options) -> bytes:
    """The document as PDF bytes."""
    if engine == "typst":
        from gradwise.renderers import typst as typst_renderer
        return compile_typst(typst_renderer.render(document, **options))
    if engine == "latex":
        from gradwise.renderers import latex
        return compile_latex(latex.render(document, standalone=True, **options))
    raise GradwiseError(f"unknown PDF engine '{engine}'; choose typst or latex")


def latex_command() -> list[str] | None:
    """The LaTeX command line to use, or None when no TeX is installed."""
    if shutil.which("latexmk") and shutil.which("pdflatex"):
        return ["latexmk", "-pdf", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-quiet"]
    if shutil.which("pdflatex"):
        return ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error"]
    return None


def compile_latex(source: str, timeout: float = LATEX_TIMEOUT) -> bytes:
    """A LaTeX document -> PDF bytes with latexmk (or pdflatex twice); never with shell-escape."""
    command = latex_command()
    if command is None:
        raise GradwiseError(f"--engine latex needs pdflatex, which is not installed: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="gradwise-latex-") as folder:
        path = os.path.join(folder, "document.tex")
        with open(path, "w", encoding="utf-8") as f:
            f.write(source)
        runs = 1 if command[0] == "latexmk" else 2
        env = dict(os.environ, openout_any="p", shell_escape="f")  # writes stay in the folder
        for _ in range(runs):
            try:
                done = subprocess.run(command + ["document.tex"], cwd=folder, capture_output=True, text=True,
                                      timeout=timeout, stdin=subprocess.DEVNULL, env=env)
            except subprocess.TimeoutExpired:
                raise GradwiseError(f"LaTeX took longer than {timeout:g} s and was stopped") from None
            if done.returncode != 0:
                raise GradwiseError("LaTeX failed: " + _first_error(folder, done.stdout))
        with open(os.path.join(folder, "document.pdf"), "rb") as f:
            return f.read()


def _first_error(folder: str, stdout: str) -> str:
    """The first '! ...' line of the LaTeX log, the message a person needs."""
    log = os.path.join(folder, "document.log")
    text = open(log, encoding="latin-1").read() if os.path.exists(log) else stdout
    for line in text.splitlines():
        if line.startswith("!"):
            return line[1:].strip()
    return "see the LaTeX log (no error line found)"
