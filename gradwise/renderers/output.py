"""Where rendered output goes: a file (text or bytes) or standard output."""
from __future__ import annotations

import os
import sys

from gradwise.errors import GradwiseError


def write(out: str | bytes, path: str | None) -> None:
    """Write text or bytes to a file, or text to standard output."""
    if path:
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise GradwiseError(f"cannot write {path}: the folder {directory} does not exist")
        try:
            with open(path, "wb" if isinstance(out, bytes) else "w", encoding=None if isinstance(out, bytes) else "utf-8") as f:
                f.write(out)
        except OSError as exc:
            raise GradwiseError(f"cannot write {path}: {exc.strerror}") from None
        print(f"wrote {path}", file=sys.stderr)
    else:
        sys.stdout.write(out if isinstance(out, str) else out.decode())
