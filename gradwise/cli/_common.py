"""Options and output handling that every subcommand shares."""
from __future__ import annotations

import argparse
import os
import sys

from gradwise.errors import GradwiseError
from gradwise.explainer import DETAILS
from gradwise.renderers import BINARY_FORMATS, FORMATS, render
from gradwise.renderers.output import write  # noqa: F401 (the commands import it from here)

DEFAULT_TIMEOUT = 30.0


def add_output_options(parser: argparse.ArgumentParser, formats=tuple(FORMATS)) -> None:
    """--format, -o, --detail, --standalone, --engine, --timeout."""
    parser.add_argument("--format", "-f", default="text", choices=formats, metavar="FMT",
                        help=f"output format: {', '.join(formats)} (default: text)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the terminal")
    parser.add_argument("--detail", default="standard", choices=DETAILS,
                        help="brief: the main line; standard (default); full: every step and its check")
    parser.add_argument("--standalone", action="store_true",
                        help="with --format latex: a complete document for pdflatex, not a fragment")
    parser.add_argument("--engine", choices=("typst", "latex"), default=None,
                        help="with --format pdf: typst (default, built in) or latex (needs pdflatex)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"give up after this many seconds (default {DEFAULT_TIMEOUT:g})")


def emit(document, args: argparse.Namespace, **options) -> None:
    """Render the document in the chosen format and write it to -o or standard output."""
    if args.format in BINARY_FORMATS and not args.output:
        raise GradwiseError(f"--format {args.format} writes a file: add -o FILE")
    write(rendered(document, args, **options), args.output)


def rendered(document, args: argparse.Namespace, **options) -> str | bytes:
    """The document in the format and with the options the command line (or a web request) chose."""
    if getattr(args, "standalone", False):
        options["standalone"] = True
    for key in ("engine",):
        if getattr(args, key, None):
            options[key] = getattr(args, key)
    return render(document, args.format, **options)


def writable_folder(path: str) -> str:
    """The folder, created if missing, or a GradwiseError when it cannot be made or written."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise GradwiseError(f"cannot write into {path}: {exc.strerror}") from None
    if not os.access(path, os.W_OK):
        raise GradwiseError(f"cannot write into {path}: permission denied")
    return path


def read_argument(text: str) -> str:
    """An expression argument; `-` reads it from standard input."""
    if text == "-":
        return sys.stdin.read().strip()
    return text
