"""The interactive what-if: pick the answers to change in the terminal (questionary), each checked at once."""

from __future__ import annotations

import questionary

from advisor.contract.fields import input_fields
from advisor.contract.profile import Collaboration, Profile
from advisor.errors import InputError
from advisor.exits import asked
from advisor.io.environment import Environment
from advisor.sessions.whatif import Assignment, apply, choices, make_assignment

DONE = "(done: show what changes)"
UNKNOWN = "(unknown)"
SKIPPED = {"schema_version", "questionnaire", "collaborations", "as_of"}


def _targets(profile: Profile) -> list[str]:
    names = [n for n in Profile.model_fields if n not in SKIPPED]
    count = len(profile.collaborations or [])
    for i in range(count + 1):  # the last index adds a partnership
        names += [f"collaborations[{i}].{n}" for n in Collaboration.model_fields]
    return names


def _current(profile: Profile, target: str):
    if target.startswith("collaborations["):
        index = int(target[len("collaborations["):target.index("]")])
        collaborations = profile.collaborations or []
        return getattr(collaborations[index], target.split(".", 1)[1]) if index < len(collaborations) else None
    return getattr(profile, target)


def _ask_value(target: str, current) -> str | None:
    """The new value as text (None: the answer becomes unknown); raises KeyboardInterrupt when cancelled."""
    field = target.split(".", 1)[1] if "." in target else target
    spec = input_fields().get(field) or input_fields().get("collaboration." + field)
    shown = "unknown" if current is None else str(current).lower() if isinstance(current, bool) else str(current)
    if spec is not None and spec.type == "enum_list":
        picked = asked(questionary.checkbox(f"{target} (now: {shown})", choices=list(spec.values)))
        return ",".join(picked)
    allowed = choices(field)
    if allowed:
        answer = asked(questionary.select(f"{target} (now: {shown})", choices=[*allowed, UNKNOWN]))
        return None if answer == UNKNOWN else answer
    answer = asked(questionary.text(f"{target} (now: {shown}; empty: unknown)"))
    return answer.strip() or None


def ask_changes(profile: Profile, env: Environment) -> list[Assignment] | None:
    """Changes picked one by one, each checked at once; None when there is no terminal or nothing was chosen."""
    if not env.stdin_isatty:
        env.err("error: nothing to try; add FIELD=VALUE (or run in a terminal to pick changes)")
        return None
    assignments: list[Assignment] = []
    changed = profile
    while True:
        target = asked(questionary.select("Which answer do you want to change?", choices=[DONE, *_targets(changed)],
                                          use_search_filter=True, use_jk_keys=False))
        if target == DONE:
            break
        value = _ask_value(target, _current(changed, target))
        try:
            assignment = make_assignment(target, value)
            changed = apply(profile, [*assignments, assignment])
        except InputError as error:
            for problem in error.problems:
                env.err(f"  {problem}")
            continue
        assignments.append(assignment)
    if not assignments:
        env.err("Nothing changed.")
        return None
    return assignments
