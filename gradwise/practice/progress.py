"""Progress between sessions: Leitner boxes kept in the user's data folder, for `--review`.

Each problem a person answered is kept by its key (topic:level:seed, from which it is regenerated):
right moves it up a box, anything else back to box 1. A box-b problem is due again 2^(b-1) sessions
after it was last seen. The folder is platformdirs' user data dir, or $GRADWISE_DATA_DIR.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

from gradwise.errors import GradwiseError

BOXES = 5
FILE = "practice-progress.json"


def data_dir() -> str:
    """Where progress is kept: $GRADWISE_DATA_DIR, else the platform's user data folder."""
    override = os.environ.get("GRADWISE_DATA_DIR")
    if override:
        return override
    import platformdirs

    return platformdirs.user_data_dir("gradwise", appauthor=False)


@dataclass
class Progress:
    """The boxes: key -> {"box", "seen" (session number), "topic", "level", "seed"}; `session` counts runs."""

    items: dict
    session: int = 0
    path: str = ""

    @staticmethod
    def load(path: str | None = None) -> "Progress":
        path = path or os.path.join(data_dir(), FILE)
        if not os.path.exists(path):
            return Progress({}, 0, path)
        try:
            with open(path, encoding="utf-8") as f:
                raw = json.load(f)
            return Progress(dict(raw.get("items", {})), int(raw.get("session", 0)), path)
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            raise GradwiseError(f"cannot read the practice progress in {path}: {exc}; move the file away") from None

    def record(self, topic: str, level: int, seed: int, right: bool) -> None:
        key = f"{topic}:{level}:{seed}"
        item = self.items.get(key, {"box": 1, "topic": topic, "level": level, "seed": seed})
        item["box"] = min(BOXES, item["box"] + 1) if right else 1
        item["seen"] = self.session
        self.items[key] = item

    def due(self, limit: int) -> list[dict]:
        """The problems to ask again, lowest box first, at most `limit`."""
        ready = [i for i in self.items.values()
                 if i["box"] < BOXES and self.session - i.get("seen", 0) >= 2 ** (i["box"] - 1) - 1]
        ready.sort(key=lambda i: (i["box"], i.get("seen", 0)))
        return ready[:limit]

    def save(self) -> None:
        directory = os.path.dirname(self.path)
        try:
            os.makedirs(directory, exist_ok=True)
            tmp = self.path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump({"session": self.session, "items": self.items}, f, indent=1)
            os.replace(tmp, self.path)
        except OSError as exc:
            raise GradwiseError(f"cannot save the practice progress in {self.path}: {exc.strerror}") from None
