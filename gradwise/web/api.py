"""The API's work, done in a worker process: a request's fields become the subcommand's options, parsed by
the CLI's own parser and answered by the CLI's own functions, so `/api/diff` returns what
`gradwise diff --format json` prints. Nothing here evaluates code or reads files."""
from __future__ import annotations

import argparse
import json
import sys
import traceback
from dataclasses import dataclass
from functools import lru_cache

from gradwise.errors import EngineError, GradwiseError

MEDIA = {"json": "application/json", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@dataclass(frozen=True)
class Endpoint:
    """A POST /api/<name>: the subcommand it runs and the request fields that hold its texts, in the
    order of its positional arguments."""

    command: str
    fields: tuple[str, ...]


ENDPOINTS = {
    "diff": Endpoint("diff", ("expression",)),
    "grad": Endpoint("grad", ("expression",)),
    "jacobian": Endpoint("jacobian", ("expression",)),
    "hessian": Endpoint("hessian", ("expression",)),
    "matgrad": Endpoint("matgrad", ("expression",)),
    "eig": Endpoint("eig", ("matrix",)),
    "det": Endpoint("det", ("matrix",)),
    "dot": Endpoint("dot", ("u", "v")),
    "matmul": Endpoint("matmul", ("a", "b")),
    "check": Endpoint("check", ("text",)),
}
# options a request may not set: they write or read files, or size the server's own work
REFUSED = {"help", "output", "engine", "jobs", "max_size", "debug"}


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, body and media type."""

    status: int
    body: str | bytes
    media_type: str = "application/json"


def error_reply(message: str, column: int | None = None, status: int = 400) -> Reply:
    """The API's one error shape: {"error": "...", "column": n}."""
    return Reply(status, json.dumps({"error": message, "column": column}, ensure_ascii=False))


class _RefusingParser(argparse.ArgumentParser):
    """The CLI's parser, raising a GradwiseError instead of printing usage and exiting."""

    def error(self, message: str):
        raise GradwiseError(message.replace("--", "").replace("argument ", "field "))

    def exit(self, status: int = 0, message: str | None = None):
        raise GradwiseError((message or "the request cannot be read").strip())


@lru_cache(maxsize=1)
def _parser() -> argparse.ArgumentParser:
    from gradwise.cli import build_parser
    return build_parser(parser_class=_RefusingParser)


def _options(command: str) -> dict[str, argparse.Action]:
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    return {a.dest: a for a in sub._actions if a.option_strings and a.dest not in REFUSED}


def command_line(name: str, request: dict) -> list[str]:
    """The argv of `gradwise <command>` that a request of /api/<name> stands for."""
    endpoint = ENDPOINTS[name]
    texts = [request.get(f) for f in endpoint.fields]
    for field, text in zip(endpoint.fields, texts):
        if not isinstance(text, str):
            raise GradwiseError(f'send the {field} as a string in the field "{field}"')
        if text == "-" and name != "check":
            raise GradwiseError(f"send the {field} itself, not -")
    options = _options(endpoint.command)
    argv = [endpoint.command]
    if "format" not in request:
        argv.append("--format=json")
    for key, value in request.items():
        if key in endpoint.fields or value is None:
            continue
        action = options.get(key)
        if action is None:
            known = ", ".join(sorted([*endpoint.fields, *options]))
            raise GradwiseError(f"unknown field '{key}' for /api/{name}; the fields are {known}")
        flag = action.option_strings[-1] if action.option_strings[-1].startswith("--") else action.option_strings[0]
        if action.nargs == 0:  # a switch such as --stability
            if not isinstance(value, bool):
                raise GradwiseError(f"field '{key}' is true or false")
            argv += [flag] if value else []
            continue
        values = value if isinstance(value, list) and isinstance(action, argparse._AppendAction) else [value]
        for v in values:
            if isinstance(v, bool) or not isinstance(v, (str, int, float)):
                raise GradwiseError(f"field '{key}' must be a string or a number")
            argv.append(f"{flag}={v}")
    # check reads its text from the request, never from a file
    return argv + ["--", *(["-"] if name == "check" else texts)]


def answer(name: str, request: dict, limit: float) -> Reply:
    """The reply to POST /api/<name>: the CLI's output for the same options, or the one-line error."""
    try:
        if name == "practice":  # not a derivation command: its own stateless fields
            from gradwise.web.practice import reply_body
            body, fmt = reply_body(request)
            return Reply(200, body, MEDIA[fmt])
        argv = command_line(name, request)
        args = _parser().parse_args(argv)
        # the server's limit is the default and the ceiling of the engines' own --timeout
        args.timeout = min(args.timeout, limit) if "timeout" in request else limit
        if not args.timeout > 0:  # also refuses nan
            raise GradwiseError("field 'timeout' is a positive number of seconds")
        options = {"fragment": True} if args.format == "html" else {}
        out = _output(name, args, request, options)
        return Reply(200, out, MEDIA.get(args.format, "text/plain; charset=utf-8"))
    except GradwiseError as exc:
        return error_reply(str(exc), getattr(exc, "column", None))
    except RecursionError:
        return error_reply("the input is nested too deeply to work on")
    except EngineError as exc:
        return error_reply(f"internal error (a bug in gradwise, please report it): {exc}", status=500)
    except Exception as exc:  # noqa: BLE001 - the traceback goes to the server's log, never to the client
        traceback.print_exc(file=sys.stderr)
        return error_reply(f"internal error (a bug in gradwise, please report it): {type(exc).__name__}", status=500)


def _output(name: str, args: argparse.Namespace, request: dict, options: dict) -> str | bytes:
    from gradwise.cli import check, diff, linalg, matgrad, multivariable
    from gradwise.cli._common import rendered
    if name == "matgrad":
        return matgrad.output(args, **options)
    if name == "check":
        document, _ = check.verdict_document(request["text"], args)
    elif name == "diff":
        document = diff.document(args)
    elif name == "eig":
        document = linalg.eig_document(args)
    elif name in ("dot", "matmul", "det"):
        document = _linalg_document(name, args)
    else:
        document = multivariable.document(args)
    return rendered(document, args, **options)


def _linalg_document(name: str, args: argparse.Namespace):
    """What `gradwise dot|matmul|det` explain (as cli/linalg.py's run_dot, run_matmul, run_det do)."""
    from gradwise.explainer import explain
    if name == "dot":
        from gradwise.derivations.linalg.vectors import dot
        return explain(dot(args.u, args.v, timeout=args.timeout), args.detail)
    if name == "matmul":
        from gradwise.derivations.linalg.products import matmul
        return explain(matmul(args.a, args.b, timeout=args.timeout), args.detail)
    from gradwise.derivations.linalg.determinant import determinant
    return explain(determinant(args.matrix, method=args.method, timeout=args.timeout), args.detail)


def read(request: dict) -> Reply:
    """The live preview: how the text is read ("Read as ..."), or the one-line error and its column."""
    from gradwise.web.reading import reading
    text, mode = request.get("expression"), request.get("mode", "diff")
    if not isinstance(text, str) or not isinstance(mode, str):
        return error_reply('send the text as a string in the field "expression"')
    try:
        return Reply(200, json.dumps(reading(text, mode), ensure_ascii=False))
    except GradwiseError as exc:
        return error_reply(str(exc), getattr(exc, "column", None))
    except RecursionError:
        return error_reply("the input is nested too deeply to read")


def warm_reader() -> None:
    """Import the readers once per preview worker, so the first keystroke is as fast as the next."""
    from gradwise.web.reading import reading
    reading("x^2 sin(x)", "diff")


def warm() -> None:
    """Import the engines and load Typst once per worker, so the first request is as fast as the next."""
    _parser()
    warm_reader()
    answer("diff", {"expression": "x^2", "format": "html"}, 10.0)
