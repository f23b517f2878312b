"""Walks a document's blocks for tests that scan what the explainers wrote."""
from __future__ import annotations

from dataclasses import fields, is_dataclass


def notations(block):
    """Every hand-written formula (Notation) in a block, at any depth."""
    from gradwise.renderers.document import Notation
    if isinstance(block, Notation):
        yield block
    elif isinstance(block, (tuple, list)):
        for b in block:
            yield from notations(b)
    elif is_dataclass(block):
        for f in fields(block):
            yield from notations(getattr(block, f.name))
