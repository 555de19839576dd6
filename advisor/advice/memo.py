"""A bounded memory for values computed from a few inputs, shared by everything that memoises advice."""

from __future__ import annotations

from typing import Any


class Memo(dict):
    """A dict that starts afresh when full: bounded memory, and cheap for streams of similar profiles."""

    def __init__(self, size: int = 4096):
        super().__init__()
        self.size = size

    def keep(self, key: Any, value: Any) -> Any:
        """Remember `value` under `key` (unless the size is 0) and return it."""
        if self.size == 0:
            return value
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value

