"""A bounded memory for values computed from a few inputs, shared by everything that memoises advice."""

from __future__ import annotations

import itertools
from typing import Any


class Memo(dict):
    """A dict that forgets its older half when full: bounded memory, cheap to keep, and what recurs stays."""

    def __init__(self, size: int = 4096):
        super().__init__()
        self.size = size

    def keep(self, key: Any, value: Any) -> Any:
        """Remember `value` under `key` (unless the size is 0) and return it."""
        if self.size == 0:
            return value
        if len(self) >= self.size:
            for old in list(itertools.islice(self, (len(self) + 1) // 2)):  # the earliest kept
                del self[old]
        self[key] = value
        return value

