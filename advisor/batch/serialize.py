"""The result contract as JSON text, fast: each shared `Advice` is serialized once.

`Advisor` hands out the same `Advice` object to every profile in the same situation for a rule, so
its JSON is kept beside it (keyed by the object, which the cache keeps alive) and a result's JSON is
its own small header and footer around those pieces: byte for byte `Result.model_dump_json()`.
"""

from __future__ import annotations

from ..result import Advice, Result

_RESULTS = '"results":[]'


class ResultEncoder:
    """Turns results into JSON text; remembers the JSON of at most `size` recent `Advice` objects."""

    def __init__(self, size: int = 2_048):
        self.size = size
        self._pieces: dict[int, tuple[Advice, str]] = {}

    def _piece(self, advice: Advice) -> str:
        known = self._pieces.get(id(advice))
        if known is not None and known[0] is advice:
            return known[1]
        if len(self._pieces) >= self.size:
            self._pieces.clear()
        text = advice.model_dump_json()
        self._pieces[id(advice)] = (advice, text)
        return text

    def encode(self, result: Result) -> str:
        shell = result.model_copy(update={"results": []}).model_dump_json()
        head, _, tail = shell.rpartition(_RESULTS)
        return f'{head}"results":[{",".join(map(self._piece, result.results))}]{tail}'
