"""The topic registry: each topic module registers a `Topic`; the guide asks which ones can be built.

A topic names the engine functions it needs (`requires`, as "package.module:function") and the result
kinds it explains (`kinds`, keys of the explainer's EXPLAINERS). When one is missing (its engine has not
landed yet) the topic is skipped and the guide says so.
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
    key: str
    title: str
    order: int
    build: Callable[[GuideContext], list]
    requires: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def missing(self) -> list[str]:
        """What this topic needs that does not exist yet (empty when it can be built)."""
        from gradwise.explainer import EXPLAINERS

        gone = [need for need in self.requires if resolve(need) is None]
        gone += [f"an explainer for '{kind}' results" for kind in self.kinds if kind not in EXPLAINERS]
        return gone


def resolve(need: str):
    """`"package.module:name"` -> that object, or None when the module or the name does not exist yet."""
    module_name, _, attr = need.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, attr, None) if attr else module


def register(key: str, title: str, order: int, requires: tuple[str, ...] = (), kinds: tuple[str, ...] = ()):
    """Decorator for a topic's build function: `@register("derivatives", "Derivatives", 50)`.

    `requires`: engine functions as "package.module:function"; `kinds`: result kinds it explains."""
    def wrap(build: Callable[[GuideContext], list]) -> Callable[[GuideContext], list]:
        TOPICS[key] = Topic(key, title, order, build, tuple(requires), tuple(kinds))
        return build
    return wrap


def discover() -> list[Topic]:
    """Every topic module imported (so each registers itself), in syllabus order."""
    package = importlib.import_module("gradwise.study.topics")
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"gradwise.study.topics.{info.name}")
    return sorted(TOPICS.values(), key=lambda t: (t.order, t.key))
