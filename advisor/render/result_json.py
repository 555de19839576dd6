"""One result as the JSON of `advisor evaluate --format json`: what the command prints and the web API answers."""

from __future__ import annotations

from advisor.contract.catalogue import Catalogue
from advisor.contract.result import ExplainedResult, Result


def result_json(result: Result, catalogue: Catalogue, explained: ExplainedResult | None = None) -> str:
    """The result with the rules' texts in its `catalogue` (keys at their default left out); given the `explained`
    result (`--full`), that instead, every text joined into each recommendation."""
    if explained is not None:
        return explained.model_dump_json(indent=2)
    return result.model_copy(update={"catalogue": catalogue}).model_dump_json(indent=2, exclude_defaults=True)
