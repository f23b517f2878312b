"""The topic registry: each topic module imports the engines it uses and registers a `Topic`.

A topic's engines are plain imports, so a renamed or missing engine fails when the topic is imported
(and in the tests), never as a topic silently left out of the guide.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable

TOPICS: dict[str, "Topic"] = {}


@dataclass
class GuideContext:
    """What a topic needs to know while it builds: where to put PNGs, how much detail, figures or not."""

    png_dir: str | None = None
    figures: bool = True
    detail: str = "standard"
    timeout: float = 30.0
    link_base: str | None = None    # PNG paths are written relative to this folder (the output file's)
    counter: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Topic:
    """One topic of the guide: its key, title, place in the syllabus and the function that builds it."""

    key: str
    title: str
    order: int
    build: Callable[[GuideContext], list]


def register(key: str, title: str, order: int):
    """Decorator for a topic's build function: `@register("derivatives", "Derivatives", 50)`."""
    def wrap(build: Callable[[GuideContext], list]) -> Callable[[GuideContext], list]:
        TOPICS[key] = Topic(key, title, order, build)
        return build
    return wrap


def discover() -> list[Topic]:
    """Every topic module imported (so each registers itself), in syllabus order."""
    package = importlib.import_module("gradwise.study.topics")
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"gradwise.study.topics.{info.name}")
    return sorted(TOPICS.values(), key=lambda t: (t.order, t.key))
