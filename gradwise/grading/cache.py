"""The verdict cache: a submission already judged (the same text after whitespace normalisation, the same
settings and task, the same gradwise version) is answered from an SQLite file in the user's cache folder.

`GRADWISE_CACHE_DIR` moves the folder (tests use it); `--no-cache` skips it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3

ENV = "GRADWISE_CACHE_DIR"
_SPACES = re.compile(r"[ \t\f\v]+")


def normalise(text: str) -> str:
    """The text with runs of spaces and tabs made one space, each line stripped, Windows line ends made
    Unix ones and trailing blank lines dropped; the lines keep their numbers."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


#: the form of a cached verdict: raised whenever the verdict JSON changes, so a cache made before the change
#: (same version number) is not served (2: steps gained "diagnosis_key" and "diagnosis_values")
VERDICT_FORM = "2"


def cache_key(text: str, settings) -> str:
    """The SHA-256 of the normalised text, the judge's settings, the task, gradwise's version and the form
    of the verdict JSON."""
    from gradwise import __version__
    task = settings.task.fingerprint if settings.task is not None else ""
    parts = [__version__, VERDICT_FORM, repr(settings.timeout), str(settings.max_bytes), str(settings.assume_positive), task,
             str(getattr(settings, "shapes", None)),
             text]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def cache_folder() -> str:
    """$GRADWISE_CACHE_DIR, else the user cache folder of gradwise (platformdirs)."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    import platformdirs
    return platformdirs.user_cache_dir("gradwise", appauthor=False)


class VerdictCache:
    """Verdicts (without their names) by cache key, in `verdicts.sqlite3`; writes are committed in
    batches, and at close."""

    def __init__(self, folder: str | None = None, commit_every: int = 200):
        folder = folder or cache_folder()
        os.makedirs(folder, exist_ok=True)
        self.path = os.path.join(folder, "verdicts.sqlite3")
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL)")
        self.commit_every, self.unsaved = commit_every, 0

    def get(self, key: str) -> dict | None:
        row = self.db.execute("SELECT verdict FROM verdicts WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, verdict: dict) -> None:
        self.db.execute("INSERT OR REPLACE INTO verdicts VALUES (?, ?)", (key, json.dumps(verdict, ensure_ascii=False)))
        self.unsaved += 1
        if self.unsaved >= self.commit_every:
            self.db.commit()
            self.unsaved = 0

    def close(self) -> None:
        self.db.commit()
        self.db.close()
