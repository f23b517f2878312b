"""`gradwise check FILE|-|FOLDER|FILE.jsonl`: check a hand derivation line by line, or a batch of them."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys

from gradwise.grading.submissions import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from gradwise.cli._common import add_output_options, emit
from gradwise.errors import GradwiseError
from gradwise.renderers import FORMATS

EXAMPLES = r"""examples:
  gradwise check derivation.tex
  echo '\frac{d}{dx} e^{3x^2} = e^{3x^2}' | gradwise check -
  gradwise check derivation.tex --format json
  gradwise check submissions/ --format json --jobs 2 > results.jsonl
  gradwise check class.jsonl --jobs 2          (one {"id": ..., "text": ...} a line)
  gradwise check class.jsonl -o verdicts.jsonl --jobs 2     (streams; Ctrl-C, then --resume goes on)
  gradwise check class.jsonl -o verdicts.jsonl --scheduler local:4   (Dask: pip install 'gradwise[dask]')
  gradwise check class.jsonl --task task.toml -o grades.csv          (marks, for Moodle or Canvas)

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
    p.add_argument("--shape", metavar="SHAPES", default=None,
                   help="shapes for matrix notation, as in W=3x4,x=4 (else uppercase letters are matrices, "
                        "lowercase vectors, Greek scalars)")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="check a batch in N processes (default 1)")
    p.add_argument("--max-size", type=int, default=DEFAULT_MAX_BYTES, metavar="BYTES",
                   help=f"refuse a submission larger than this (default {DEFAULT_MAX_BYTES:,})")
    p.add_argument("--resume", action="store_true",
                   help="a batch: go on from the verdicts already in -o FILE (after an interruption)")
    p.add_argument("--no-cache", action="store_true",
                   help="a batch: judge every submission again (default: answer repeats from the verdict cache)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a batch on Dask: local:N (a LocalCluster of N processes) or tcp://HOST:8786")
    p.add_argument("--task", metavar="TASK.toml",
                   help="a batch: mark each submission by this task file (partial credit, --format csv)")
    add_output_options(p, formats=(*FORMATS, "csv"))
    for action in p._actions:
        if action.dest == "timeout":
            action.default = DEFAULT_TIMEOUT
            action.help = f"give up on a submission after this many seconds (default {DEFAULT_TIMEOUT:g})"
        if action.dest == "format":
            action.default = None
            action.help = ("output format: " + ", ".join((*FORMATS, "csv")) + " (default: text; a batch "
                           "writes json to -o FILE.jsonl, csv to -o FILE.csv)")
    p.set_defaults(run=run, whole_timeout=False)   # a verdict says "timed out" itself, per submission


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise GradwiseError("--jobs must be at least 1")
    if args.source != "-" and (os.path.isdir(args.source) or args.source.endswith(".jsonl")):
        return run_batch(args)
    batch_only = [o for o, given in (("--resume", args.resume), ("--scheduler", args.scheduler),
                                     ("--task", args.task), ("--format csv", args.format == "csv")) if given]
    if batch_only:
        raise GradwiseError(f"{batch_only[0]} is for a batch (a folder or a .jsonl file), not one derivation")
    args.format = args.format or "text"
    document, code = verdict_document(_read_source(args.source, args.max_size), args)
    emit(document, args)
    return code


def verdict_document(text: str, args: argparse.Namespace):
    """The explained verdict on one derivation and its exit code (command line and web API)."""
    from gradwise.derivations.verify import check
    from gradwise.explainer import explain
    verdict = check(text, shapes=args.shape, assume_positive=args.assume_positive, timeout=args.timeout)
    return explain(verdict, args.detail), verdict.exit_code


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
    """One verdict a line (JSON, CSV grades or one sentence), streamed in input order, then the summary."""
    from gradwise.grading.pipeline import Batch, run_batch as run_pipeline
    from gradwise.grading.workers import Settings
    if not os.path.exists(args.source):
        raise GradwiseError(f"no such file or folder: {args.source}")
    fmt = args.format or _format_of(args.output)
    if fmt not in ("json", "text", "csv"):
        raise GradwiseError("a batch writes --format json (one verdict a line), csv (grades) or text")
    task = _task(args, fmt)
    if args.resume and not args.output:
        raise GradwiseError("--resume continues the file of -o: add -o FILE")
    if args.resume and fmt == "text":
        raise GradwiseError("--resume needs --format json or csv (text lines cannot be read back)")
    settings = Settings(timeout=args.timeout, max_bytes=args.max_size, assume_positive=args.assume_positive,
                        task=task, shapes=args.shape)
    header, format_line = _line_format(fmt, task)
    cache = None
    if not args.no_cache:
        from gradwise.grading.cache import VerdictCache
        cache = VerdictCache()
    batch = Batch(args.source, args.output, "csv" if fmt == "csv" else "json", settings, format_line, header,
                  resume=args.resume, cache=cache, progress=sys.stderr.isatty())
    backend = _backend(args, settings)
    previous = signal.signal(signal.SIGTERM, _interrupt) if _main_thread() else None
    try:
        tally = run_pipeline(batch, backend)
    except KeyboardInterrupt:
        if args.output:
            print(f"interrupted: {args.output} holds whole verdicts; to go on, run the same command with "
                  "--resume", file=sys.stderr)
        else:
            print("interrupted", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if cache is not None:
            cache.close()
    total = tally.summary()
    words = (f"{total['submissions']} submissions: {total['valid']} valid, {total['invalid']} with a "
             f"wrong step, {total['unreadable']} unreadable, {total['error']} failed")
    if fmt == "csv":
        print(words, file=sys.stderr)
    else:
        _append(args.output, json.dumps(total) if fmt == "json" else words)
    if args.output:
        print(f"wrote {args.output}", file=sys.stderr)
    return tally.exit_code


def _format_of(output: str | None) -> str:
    """The format a batch writes when --format is not given: by the suffix of -o, else text."""
    if output and output.endswith((".jsonl", ".json")):
        return "json"
    if output and output.endswith(".csv"):
        return "csv"
    return "text"


def _task(args: argparse.Namespace, fmt: str):
    if fmt == "csv" and not args.task:
        raise GradwiseError("--format csv writes marks: add --task task.toml (see gradwise check --help)")
    if not args.task:
        return None
    from gradwise.grading.credit import load_task
    return load_task(args.task)


def _line_format(fmt: str, task):
    from gradwise.grading.submissions import category
    if fmt == "json":
        return None, lambda v: json.dumps(v, ensure_ascii=False)
    if fmt == "csv":
        from gradwise.grading.gradebook import header, line, row_line
        return line(header(task)), row_line
    return None, lambda v: _batch_line(v, category(v))


def _backend(args: argparse.Namespace, settings):
    if args.scheduler:
        from gradwise.grading.dask_backend import DaskBackend
        return DaskBackend(args.scheduler, settings)
    from gradwise.grading.workers import ProcessBackend
    return ProcessBackend(args.jobs, settings)


def _append(path: str | None, line: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    else:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _main_thread() -> bool:
    import threading
    return threading.current_thread() is threading.main_thread()
