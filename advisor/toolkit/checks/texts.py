"""The texts people read (titles, reasons, conditions, next steps, sources) print safely."""

from __future__ import annotations

from typing import Any, Iterator

from advisor.errors import CONTROL
from advisor.toolkit.checks.catalog import Context, check, rule_problem


def _strings(data: Any, at: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield at, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, at + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, at + (i,))


@check("R206", "control-character", "error",
       "a text holds a control character (a terminal code or a text-direction override)")
def control_character(context: Context):
    for rule in context.rulebase.rules.values():
        for at, text in _strings(rule.spec.model_dump(mode="json", exclude_none=True)):
            found = CONTROL.search(text)
            if found:
                yield rule_problem(rule, at, f"the text holds the control character U+{ord(found.group()):04X}",
                                   "remove it: printed advice would act on the reader's terminal or hide its text")
