"""JSON: the document's machine-readable result (the contract documented in the README)."""
from __future__ import annotations

import json

from gradwise.renderers.document import Document


def render(document: Document, **_) -> str:
    """The result as indented JSON, non-ASCII kept readable."""
    return json.dumps(document.data, indent=2, ensure_ascii=False) + "\n"
