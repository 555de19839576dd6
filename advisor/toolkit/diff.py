"""Which profiles' verdicts change between two versions of a rulebase, and the rule and condition behind each change."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from advisor.advice.advisor import Advisor
from advisor.contract.profile import impossible_on
from advisor.contract.result import ExplainedFailedCondition, ExplainedRuleResult
from advisor.engines.base import Decision
from advisor.engines.subjects import subjects_of
from advisor.errors import InputError, display_path
from advisor.io.documents import read_text
from advisor.io.profiles import (
    SUFFIXES,
    LoadedProfile,
    load_profiles,
    profiles_from_document,
)
from advisor.rulebase.conditions import format_value, leaves
from advisor.rulebase.loader import Rule, Rulebase
from advisor.toolkit.cases import read_case_file


def profile_files(paths: list[Path]) -> list[Path]:
    """The files named, and the profile files inside the folders named, in a stable order."""
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        else:
            files.append(path)
    return files


def load_profile_file(path: Path) -> list[LoadedProfile]:
    """The profiles of a profile file, or of a rule test file's cases (a file that holds `cases:`)."""
    if path.suffix.lower() in (".yaml", ".yml") and re.search(r"^cases\s*:", read_text(path), re.MULTILINE):
        cases, problems = read_case_file(path)
        if problems:
            raise InputError(problems)
        return [LoadedProfile(profiles_from_document(c.profile)[0].profile, c.id) for c in cases]
    return load_profiles(path)


@dataclass
class Change:
    """One recommendation whose verdict differs for one profile."""

    profile: str
    rule_id: str
    old: str | None  # None: the rule is not in that version
    new: str | None
    why: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"profile": self.profile, "id": self.rule_id, "old": self.old, "new": self.new, "why": self.why}


@dataclass
class Diff:
    old: Rulebase
    new: Rulebase
    profiles: int = 0
    changes: list[Change] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # profiles that cannot be advised on the date (a later PhD)

    def transitions(self) -> list[tuple[tuple[str, str | None, str | None], int]]:
        """(id, old verdict, new verdict) -> how many profiles, most frequent first."""
        counts = Counter((c.rule_id, c.old, c.new) for c in self.changes)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))


def _place(rule: Rule, line: int | None) -> str:
    return f" [{display_path(rule.path)}:{line}]" if line else f" [{display_path(rule.path)}]"


def _key_line(rule: Rule, key: str) -> int | None:
    return rule.line_of.get((key,), (None, None))[0]


def _condition_line(rule: Rule, failed: ExplainedFailedCondition) -> int | None:
    return None if failed.condition is None else list(rule.conditions)[failed.condition].line


def _failed(advice: ExplainedRuleResult) -> dict[tuple[str, str], ExplainedFailedCondition]:
    return {(f.field, f.required): f for f in advice.failed_conditions}


def _dates(old: Rule, new: Rule) -> list[str]:
    lines = []
    for key in ("valid_from", "valid_until"):
        before, after = getattr(old.spec, key), getattr(new.spec, key)
        if before != after:
            lines.append(f"{key} changed from {before or 'none'} to {after or 'none'}" + _place(new, _key_line(new, key)))
    return lines


def _conditions(old: Rule, new: Rule, before: ExplainedRuleResult, after: ExplainedRuleResult) -> list[str]:
    lines = []
    was, now = _failed(before), _failed(after)
    for key in now.keys() - was.keys():
        f = now[key]
        lines.append(f"now fails: {f.says} (yours: {'none' if f.actual in (None, []) else format_value(f.actual)}; required: {f.required})"
                     + _place(new, _condition_line(new, f)))
    for key in was.keys() - now.keys():
        f = was[key]
        lines.append(f"no longer fails: {f.says} (required before: {f.required})" + _place(old, _condition_line(old, f)))
    return lines


def _answers_and_goals(old: Rule, new: Rule, before: ExplainedRuleResult, after: ExplainedRuleResult) -> list[str]:
    lines = []
    if set(after.missing) - set(before.missing):
        lines.append("now needs the answers: " + ", ".join(sorted(set(after.missing) - set(before.missing)))
                     + _place(new, _key_line(new, "eligibility")))
    if set(before.missing) - set(after.missing):
        lines.append("no longer needs: " + ", ".join(sorted(set(before.missing) - set(after.missing))))
    if old.spec.serves_goals != new.spec.serves_goals and "recommended" in (before.verdict, after.verdict):
        lines.append(f"serves_goals changed from {', '.join(old.spec.serves_goals)} to "
                     f"{', '.join(new.spec.serves_goals)}" + _place(new, _key_line(new, "serves_goals")))
    return lines


def _derived(diff: Diff, new: Rule) -> list[str]:
    """Derived facts the rule reads whose definition changed."""
    read = {leaf.field for leaf in leaves(new.eligibility)}
    return [f"the derived fact {name} is decided differently (facts.yaml)" for name in sorted(read)
            if name in diff.new.derived and name in diff.old.derived
            and diff.new.derived[name].spec != diff.old.derived[name].spec]


def explain_change(diff: Diff, rule_id: str, before: ExplainedRuleResult | None,
                   after: ExplainedRuleResult | None) -> list[str]:
    """The rule and conditions behind one changed verdict."""
    if before is None:
        return [f"{rule_id} is new" + _place(diff.new.rules[rule_id], 1)]
    if after is None:
        return [f"{rule_id} was removed (it was in {display_path(diff.old.rules[rule_id].path)})"]
    old, new = diff.old.rules[rule_id], diff.new.rules[rule_id]
    lines = _dates(old, new) if "not_offered" in (before.verdict, after.verdict) else []
    lines += _conditions(old, new, before, after) + _answers_and_goals(old, new, before, after) + _derived(diff, new)
    if not lines and old.eligibility != new.eligibility:
        removed = {leaf.formula() for leaf in leaves(old.eligibility)} - {leaf.formula() for leaf in leaves(new.eligibility)}
        added = [leaf for leaf in leaves(new.eligibility) if leaf.formula() not in
                 {old_leaf.formula() for old_leaf in leaves(old.eligibility)}]
        lines += [f"condition removed: {text}" for text in sorted(removed)]
        lines += [f"condition added: {leaf.formula()}" + _place(new, leaf.line) for leaf in added]
    return lines or ["the rule's conditions changed" + _place(new, _key_line(new, "eligibility"))]


def _same_verdicts(old: Advisor, new: Advisor, profile, as_of: dt.date) -> bool:
    """True when both rulebases surely give every verdict alike: same rules, scopes, offers and engine decisions.

    A verdict depends on nothing else, so only the other profiles need the (slower) explained advice.
    """
    if old.rulebase.rules.keys() != new.rulebase.rules.keys():
        return False
    for rule_id, rule in old.rulebase.rules.items():
        other = new.rulebase.rules[rule_id]
        if rule.spec.scope != other.spec.scope or \
                old.rulebase.offered(rule, as_of) != new.rulebase.offered(other, as_of):
            return False
    for before, after in zip(old.engine.evaluate(subjects_of(profile, as_of, old.rulebase)),
                             new.engine.evaluate(subjects_of(profile, as_of, new.rulebase))):
        for rule_id in old.rulebase.rules:
            if before.decisions.get(rule_id, Decision()) != after.decisions.get(rule_id, Decision()):
                return False
    return True


def compare(old: Advisor, new: Advisor, profiles: list[LoadedProfile], today: dt.date | None = None) -> Diff:
    """Evaluate every profile with both rulebases and explain each verdict that differs."""
    today = today or dt.date.today()
    diff = Diff(old.rulebase, new.rulebase, len(profiles))
    for item in profiles:
        as_of = old.date_for(item.profile, today)
        if impossible_on(item.profile, as_of):
            diff.skipped.append(item.source)
            continue
        if _same_verdicts(old, new, item.profile, as_of):
            continue
        before = old.explain(old.evaluate(item.profile, item.source, today)).by_id()
        after = new.explain(new.evaluate(item.profile, item.source, today)).by_id()
        for rule_id in sorted(before.keys() | after.keys()):
            was, now = before.get(rule_id), after.get(rule_id)
            if was is None or now is None or was.verdict != now.verdict:
                diff.changes.append(Change(item.source, rule_id, was and was.verdict, now and now.verdict,
                                           explain_change(diff, rule_id, was, now)))
    return diff
