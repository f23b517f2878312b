"""`gradwise check FILE|-|FOLDER|FILE.jsonl`: check a hand derivation line by line, or a batch of them."""
from __future__ import annotations

import argparse
import json
import os
import sys

from gradwise.batch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, check_many, submissions, summarise
from gradwise.cli._common import add_output_options, emit, open_output
from gradwise.errors import GradwiseError

EXAMPLES = r"""examples:
  gradwise check derivation.tex
  echo '\frac{d}{dx} e^{3x^2} = e^{3x^2}' | gradwise check -
  gradwise check derivation.tex --format json
  gradwise check submissions/ --format json --jobs 2 > results.jsonl
  gradwise check class.jsonl --jobs 2          (one {"id": ..., "text": ...} a line)

input: one chain A = B = C, several lines, align/align* with &= and \\, \[...\], $$...$$.
A line starting with = continues the chain above; `f(x) = ...` or `y = ...` first defines a name.
Each step is judged against the line before it. Exit codes: 0 every step valid, 1 a step is wrong,
2 the input (or a line of it) cannot be read. A batch exits with the largest code of its submissions."""


def register(subparsers) -> None:
    p = subparsers.add_parser("check", help="check a hand derivation line by line",
                              description="Check a hand derivation (LaTeX) step by step: each step is proved\n"
                                          "or refuted with a counterexample, and the likely mistake is named.",
                              epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", help="a .tex file, - for standard input, a folder of .tex files or a .jsonl file")
    p.add_argument("--assume-positive", action="store_true",
                   help="judge for positive values of every variable (then sqrt(x^2) = x holds)")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="check a batch in N processes (default 1)")
    p.add_argument("--max-size", type=int, default=DEFAULT_MAX_BYTES, metavar="BYTES",
                   help=f"refuse a submission larger than this (default {DEFAULT_MAX_BYTES:,})")
    add_output_options(p)
    for action in p._actions:
        if action.dest == "timeout":
            action.default = DEFAULT_TIMEOUT
            action.help = f"give up on a submission after this many seconds (default {DEFAULT_TIMEOUT:g})"
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise GradwiseError("--jobs must be at least 1")
    if args.source != "-" and (os.path.isdir(args.source) or args.source.endswith(".jsonl")):
        return run_batch(args)
    from gradwise.derivations.verify import check
    from gradwise.explainer import explain
    text = _read_source(args.source, args.max_size)
    verdict = check(text, assume_positive=args.assume_positive, timeout=args.timeout)
    emit(explain(verdict, args.detail), args)
    return verdict.exit_code


def _read_source(source: str, max_size: int) -> str:
    if source == "-":
        data = sys.stdin.buffer.read(max_size + 1)
    else:
        if not os.path.exists(source):
            raise GradwiseError(f"no such file: {source}")
        try:
            with open(source, "rb") as f:
                data = f.read(max_size + 1)
        except OSError as exc:
            raise GradwiseError(f"cannot read {source}: {exc.strerror}") from None
    if len(data) > max_size:
        raise GradwiseError(f"the input is larger than {max_size:,} bytes (--max-size sets the limit)")
    return data.decode("utf-8", errors="replace")


def _batch_line(v: dict, kind: str) -> str:
    """One submission in a sentence: its category, and where and why it first goes wrong."""
    line = f"{v['name']}: {kind}"
    first = next((s for s in v.get("steps", []) if s["index"] == v.get("first_error")), None)
    if first is not None:
        why = first.get("domain") or first.get("diagnosis") or first.get("reason") or ""
        line += f", first error at step {first['index']} (line {first['line']})" + (f": {why}" if why else "")
    if v.get("error"):
        line += f" ({v['error']})"
    return line


def run_batch(args: argparse.Namespace) -> int:
    """One verdict a line (JSON with --format json, else one sentence), then the summary."""
    if not os.path.exists(args.source):
        raise GradwiseError(f"no such file or folder: {args.source}")
    if args.format not in ("json", "text"):
        raise GradwiseError("a batch writes --format json (one verdict a line) or text")
    from gradwise.batch import category
    items = list(submissions(args.source))
    verdicts, lines, code = [], [], 0
    out = open_output(args.output) if args.output else sys.stdout
    try:
        for v in check_many(items, jobs=args.jobs, timeout=args.timeout, max_bytes=args.max_size,
                            assume_positive=args.assume_positive):
            verdicts.append(v)
            code = max(code, v.get("exit_code", 2))
            if args.format == "json":
                line = json.dumps(v, ensure_ascii=False)
            else:
                line = _batch_line(v, category(v))
            out.write(line + "\n")
            out.flush()
        total = summarise(verdicts)
        if args.format == "json":
            out.write(json.dumps(total) + "\n")
        else:
            out.write(f"{total['submissions']} submissions: {total['valid']} valid, {total['invalid']} with a "
                      f"wrong step, {total['unreadable']} unreadable, {total['error']} failed\n")
    finally:
        if args.output:
            out.close()
            print(f"wrote {args.output}", file=sys.stderr)
    return code
