"""The command line's argument parser: "did you mean" on a typo, and expressions that start with '-'."""
from __future__ import annotations

import argparse
import difflib
import re

#: an argument that starts with '-' but is not an option name: an expression such as -x^2 or -2x
_EXPRESSION = re.compile(r"^-(\d|.*[^A-Za-z0-9_-])")


class ArgumentParser(argparse.ArgumentParser):
    """argparse with suggestions for a mistyped subcommand, choice or option, and `-x^2` as an argument."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = _EXPRESSION  # argparse's hook for "this looks like a value"

    def error(self, message: str):
        super().error(message + _suggestion(message, self))


def _suggestion(message: str, parser: argparse.ArgumentParser) -> str:
    choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if choice:
        options = re.findall(r"'([^']*)'", choice.group(2))
        return _did_you_mean(choice.group(1), options)
    unknown = re.search(r"unrecognized arguments: (\S+)", message)
    if unknown and unknown.group(1).startswith("-"):
        return _did_you_mean(unknown.group(1).split("=")[0], sorted(_option_strings(parser)))
    return ""


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    out = set()
    for action in parser._actions:
        out.update(s for s in action.option_strings if s.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                out |= _option_strings(sub)
    return out
