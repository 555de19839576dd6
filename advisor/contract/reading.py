"""Reading a stored result of any version of the contract: 1 (until December 2026), or 2, compact or explained."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from advisor.contract import v1
from advisor.contract.result import ExplainedResult, Result
from advisor.errors import InputError, Problem

StoredResult = Result | ExplainedResult | v1.Result


def read_result(data: dict[str, Any], where: str = "result") -> StoredResult:
    """A result as stored (a JSON object): the model of its version and form; InputError if it is none."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    try:
        if version == 1:
            return v1.Result.model_validate(data)
        if version == 2:
            explained = any("title" in entry for entry in data.get("results", ()) if isinstance(entry, dict))
            return (ExplainedResult if explained else Result).model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise InputError(Problem(where, f"is not a result of version {version}: {first['msg']}",
                                 field=".".join(map(str, first["loc"])) or None,
                                 fix="give a result as `advisor evaluate --format json` wrote it")) from None
    raise InputError(Problem(where, f"has schema_version {version!r}; results have 1 or 2",
                             fix="give a result as `advisor evaluate --format json` wrote it"))
