"""`gradwise study [FILE]`: the whole syllabus study guide, or a teacher's problem set from a TOML file."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile

from gradwise.cli._common import DEFAULT_TIMEOUT, writable_folder, write
from gradwise.errors import GradwiseError
from gradwise.explainer import DETAILS
from gradwise.renderers import BINARY_FORMATS, FORMATS, render

EXAMPLES = """examples:
  gradwise study -o guide.pdf                  # the whole syllabus, worked
  gradwise study -o guide.html                 # the same, one offline page
  gradwise study problems.toml -o week3.pdf    # a problem set, answers appendix
  gradwise study problems.toml -f latex -o week3.tex
  gradwise study problems.toml --no-solutions -o sheet.pdf   # problems only
  gradwise study problems.toml --answers-only -o key.pdf     # the answer key
  gradwise study --no-solutions -o exercises.pdf             # the guide's examples as exercises
  gradwise study -o guide.pdf --figures figs/  # also every figure as PNG

a problem-set file (TOML):
  title = "Week 3"
  [[problem]]
  kind = "derivative"      # or gradient, jacobian, hessian, matrix_gradient,
                           # eigen, check (the kinds whose engines are here)
  input = "x^2 sin(x)"
  title = "Product rule"   # optional; also detail, wrt, order"""

_BY_EXTENSION = {".pdf": "pdf", ".html": "html", ".htm": "html", ".tex": "latex", ".md": "md", ".typ": "typst",
                 ".json": "json", ".txt": "text"}


def register(subparsers) -> None:
    p = subparsers.add_parser("study", help="a study guide for the whole syllabus, or a problem set (TOML)",
                              description="Build the study guide (no FILE) or a problem set from FILE;\n"
                                          "every example is derived and checked while it is built.",
                              epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", nargs="?", help="a problem-set TOML file (leave out for the whole guide)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (the format follows its extension)")
    p.add_argument("--format", "-f", choices=tuple(FORMATS), metavar="FMT",
                   help=f"output format: {', '.join(FORMATS)} (default: from -o's extension, else text)")
    p.add_argument("--engine", choices=("typst", "latex"), default="typst",
                   help="with PDF: typst (default, built in) or latex (needs pdflatex)")
    p.add_argument("--figures", metavar="DIR", help="also write every figure as PNG into DIR")
    p.add_argument("--no-figures", action="store_true", help="leave the figures out")
    handout = p.add_mutually_exclusive_group()
    handout.add_argument("--no-solutions", action="store_true",
                         help="a problem sheet: each example's givens and question, no steps, no answers")
    handout.add_argument("--answers-only", action="store_true", help="the answer key: each example's answer alone")
    p.add_argument("--detail", choices=DETAILS, default="standard", help="detail of the worked examples")
    p.add_argument("--topic", action="append", metavar="KEY", help="only this topic of the guide (repeatable)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT * 4, metavar="SECONDS",
                   help="give up after this many seconds in all")
    p.set_defaults(run=run)


def output_format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output:
        ext = os.path.splitext(args.output)[1].lower()
        if ext in _BY_EXTENSION:
            return _BY_EXTENSION[ext]
        raise GradwiseError(f"cannot tell the format from '{args.output}': add --format "
                            f"({', '.join(FORMATS)})")
    return "text"


def _mode(args: argparse.Namespace) -> str:
    return "problems" if args.no_solutions else "answers" if args.answers_only else "full"


def run(args: argparse.Namespace) -> int:
    from gradwise.derivations.limits import time_limit
    from gradwise.study.registry import GuideContext

    fmt = output_format(args)
    if fmt in BINARY_FORMATS and not args.output:
        raise GradwiseError(f"--format {fmt} writes a file: add -o FILE")
    if args.output:  # say so before minutes of work, not after
        folder = os.path.dirname(os.path.abspath(args.output))
        if not os.path.isdir(folder):
            raise GradwiseError(f"cannot write {args.output}: the folder {folder} does not exist")
    if args.topic:
        from gradwise.study.registry import discover
        keys = [t.key for t in discover()]
        for key in args.topic:
            if key not in keys:
                raise GradwiseError(f"unknown topic '{key}'; choose one of {', '.join(keys)}")
    if args.figures:
        writable_folder(args.figures)
    needs_png = fmt in ("latex", "md", "text") or (fmt == "pdf" and args.engine == "latex")
    with tempfile.TemporaryDirectory(prefix="gradwise-figures-") as scratch:
        png_dir = args.figures
        figures = not args.no_figures and fmt != "json"
        if needs_png and not png_dir:
            if fmt == "pdf":
                png_dir = scratch                   # LaTeX reads them while it compiles
            elif args.output:
                png_dir = os.path.splitext(args.output)[0] + "-figures"
            else:
                figures = False                     # text on the terminal: nowhere to put a picture
        link_base = os.path.dirname(os.path.abspath(args.output)) if args.output and fmt in ("md", "latex") else None
        ctx = GuideContext(png_dir=png_dir, figures=figures, detail=args.detail, timeout=args.timeout,
                           link_base=link_base)
        with time_limit(args.timeout):
            if args.file:
                from gradwise.study.problems import build_problem_set
                document = build_problem_set(args.file, ctx, timeout=args.timeout, mode=_mode(args))
                options = {"contents": True}
            else:
                from gradwise.study.guide import SUBTITLE, build_guide
                document = build_guide(ctx, only=tuple(args.topic or ()))
                options = {"contents": True, "section_pages": True, "subtitle": SUBTITLE}
        if not args.file:
            from gradwise.study.handouts import handout
            document = handout(document, _mode(args))
        if args.no_solutions or args.answers_only:
            options.pop("section_pages", None)       # a handout runs on, one topic after another
        if args.answers_only and args.file:
            options["contents"] = False              # the key is one list
        if fmt == "pdf":
            options["engine"] = args.engine
        if fmt == "latex":
            options["standalone"] = True
        out = render(document, fmt, **options)
        write(out, args.output)
    if png_dir and png_dir != scratch:
        print(f"figures in {png_dir}", file=sys.stderr)
    return 0
