"""`gradwise practice [TOPIC]`: generated problems, graded by the checker, hints one step at a time."""
from __future__ import annotations

import argparse
import random
import secrets
import sys

from gradwise.errors import GradwiseError

EXAMPLES = """examples:
  gradwise practice                          # a mixed interview drill: 10 problems
  gradwise practice chain_rule --count 5 --seed 7 --level 2
  gradwise practice --list                   # the topics and their levels (--format json too)
  gradwise practice derivatives --seed 7 --format json < answers.txt
  gradwise practice --review                 # again what you missed before
  gradwise practice matrix_calculus --sheet week3.pdf --count 8 --seed 3
  gradwise practice --deck interview.apkg    # an Anki deck

while practising, type an answer (plain math or LaTeX: 2x cos(x^2), [1, 2],
[[1,2],[3,4]]) or: hint, solution, skip, quit. Ctrl-D or Ctrl-C ends with the summary.
progress is kept in the user data folder ($GRADWISE_DATA_DIR overrides it)."""

MAX_COUNT = 200


def register(subparsers) -> None:
    p = subparsers.add_parser("practice", help="practise: generated problems, graded answers, step hints",
                              description="Practise the syllabus: generated problems, answers graded by the "
                                          "checker,\nhints one step at a time.",
                              epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("topic", nargs="?", help="a topic (see --list); leave out for a mixed drill")
    p.add_argument("--count", "-n", type=int, default=None, metavar="N", help="how many problems (default 10)")
    p.add_argument("--seed", type=int, default=None, help="the same seed gives the same problems (default: random)")
    p.add_argument("--level", type=int, choices=(1, 2, 3), default=None, help="1, 2 or 3 (default 1; a mixed drill mixes 1 and 2)")
    p.add_argument("--list", action="store_true", help="list the topics with their levels")
    p.add_argument("--review", action="store_true", help="ask again what was missed in earlier sessions")
    p.add_argument("--format", "-f", choices=("text", "json"), default="text", help="text (default) or json")
    p.add_argument("--sheet", metavar="FILE", help="write a worksheet with its answer key (.pdf .tex .html .md)")
    p.add_argument("--deck", metavar="FILE", help="write an Anki deck (.apkg)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gradwise.practice import topics

    if args.list:
        if args.format == "json":
            import json

            from gradwise.practice import topic_list
            print(json.dumps(topic_list(), ensure_ascii=False))
            return 0
        return _list(topics())
    count = args.count if args.count is not None else 10
    if not 1 <= count <= MAX_COUNT:
        raise GradwiseError(f"--count must be between 1 and {MAX_COUNT}")
    seed = args.seed if args.seed is not None else secrets.randbelow(100_000)
    if args.deck:
        from gradwise.practice.deck import write_deck
        write_deck(args.deck, select(args.topic, args.count or 3, seed, args.level, per_topic=args.topic is None))
        return 0
    if args.sheet:
        from gradwise.practice.sheets import write_sheet
        write_sheet(args.sheet, select(args.topic, count, seed, args.level))
        return 0
    return _practise(args, count, seed)


def _list(found) -> int:
    width = max(len(k) for k in found)
    for key, t in found.items():
        print(f"{key:<{width}}  levels {t.levels[0]}-{t.levels[-1]}  {t.description}")
    return 0


def select(topic: str | None, count: int, seed: int, level: int | None, per_topic: bool = False) -> list:
    """The problems of a run: `count` of one topic, or a drill across the syllabus (`per_topic`: `count`
    of every topic). Seeds count up from `seed` (a repeat of an earlier problem is passed over), so each
    problem is reproducible alone from its own seed."""
    from gradwise.practice import generate, topics

    if topic:
        found, seen = [], set()
        for s in range(seed, seed + 10 * count):
            p = generate(topic, s, level or 1)
            if p.prompt not in seen:
                seen.add(p.prompt)
                found.append(p)
            if len(found) == count:
                break
        return found
    keys = list(topics())
    if per_topic:
        return [generate(k, seed + i, level or i % 3 + 1) for k in keys for i in range(count)]
    rng = random.Random(f"drill:{seed}")
    order = rng.sample(keys, len(keys))
    return [generate(order[i % len(order)], seed + i, level or rng.choice((1, 2))) for i in range(count)]


def _practise(args: argparse.Namespace, count: int, seed: int) -> int:
    from gradwise.practice.progress import Progress
    from gradwise.practice.session import Session

    progress = Progress.load()
    progress.session += 1
    if args.review:
        due = progress.due(count)
        if not due:
            print("nothing to review: every problem you answered is in a high box for now", file=sys.stderr)
            return 0
        from gradwise.practice import generate
        problems = [generate(i["topic"], i["seed"], i["level"]) for i in due]
    else:
        problems = select(args.topic, count, seed, args.level)
    interactive = sys.stdin.isatty()
    if interactive and args.format == "text":
        try:
            import readline  # noqa: F401  (line editing and history for input())
        except ImportError:
            pass
        print(f"seed {seed} (repeat with --seed {seed}); type help for the commands")

    def record(r) -> None:
        p = r.problem
        progress.record(p.topic, p.level, p.seed, r.outcome == "right")

    session = Session(problems, sys.stdout, args.format, echo=not interactive and args.format == "text",
                      on_result=record)
    read = input if interactive else _read_stdin
    code = session.run(read)
    progress.save()
    return code


def _read_stdin(prompt: str) -> str:
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")
