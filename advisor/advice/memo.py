"""A bounded memory for values computed from a few inputs, shared by everything that memoises advice."""

from __future__ import annotations

import itertools
from typing import Any, Callable, Hashable


class Memo(dict):
    """A dict that forgets the older half of what it holds when full (first in, first out): bounded memory, and
    what recurs within the newer half stays."""

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


class ByObject:
    """Values remembered per object (the frozen results the advice shares between profiles), in a table keyed
    by the object's id; the object is kept beside its value, so that no other object can take that id meanwhile."""

    def __init__(self, size: int = 4096):
        self._memo = Memo(size)

    def __len__(self) -> int:
        return len(self._memo)

    def get(self, thing: Any, make: Callable[[], Any], *also: Hashable) -> Any:
        """The value remembered for `thing` (and `also`), else `make()`, remembered."""
        key = (id(thing), *also)
        found = self._memo.get(key)
        if found is None or found[0] is not thing:
            found = self._memo.keep(key, (thing, make()))
        return found[1]
