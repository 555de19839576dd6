"""Load a rulebase folder, check every condition against the profile contract."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from advisor.contract.fields import ACTIONABLE, COMPUTED, FieldSpec, input_fields
from advisor.errors import (
    TYPE_FIXES,
    InputError,
    Problem,
    RulebaseError,
    did_you_mean,
    display_path,
)
from advisor.io.documents import Document, load_yaml_file, read_bytes
from advisor.rulebase.conditions import (
    MAX_ALTERNATIVES,
    OPERATORS,
    PARAMETER,
    TRUE,
    All,
    Any_,
    Condition,
    Leaf,
    Param,
    leaves,
    negate,
    too_large,
)
from advisor.rulebase.dated import DATED_FILES, Calls, DatedFacts, DatedParameter, Table
from advisor.rulebase.logic import compile_condition
from advisor.rulebase.model import DerivedFact, FactsFile, RulebaseInfo, RuleFile

PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")


def numbered(found: Iterable[Leaf]) -> dict[Leaf, int]:
    """Each distinct leaf and its number, in the order first found."""
    numbers: dict[Leaf, int] = {}
    for leaf in found:
        numbers.setdefault(leaf, len(numbers))
    return numbers


@dataclass
class Derived:
    """A derived fact with each case's effective condition (earlier cases ruled out)."""

    spec: DerivedFact
    cases: list[tuple[Any, Condition]]

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def case_tests(self):
        """(value, compiled condition) per case, for the fast evaluation."""
        return [(value, compile_condition(condition)) for value, condition in self.cases]

    @cached_property
    def conditions(self) -> dict[Leaf, int]:
        """Each comparison of its cases (earlier cases ruled out included), numbered as the catalogue lists them."""
        return numbered(leaf for _, condition in self.cases for leaf in leaves(condition))


@dataclass
class Rule:
    """A recommendation, its conditions compiled to negation normal form."""

    spec: RuleFile
    eligibility: Condition
    fit: Condition
    path: str
    line_of: dict = field(default_factory=dict)

    @cached_property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def eligibility_test(self):
        return compile_condition(self.eligibility)

    @cached_property
    def fit_test(self):
        return compile_condition(self.fit)

    @cached_property
    def conditions(self) -> dict[Leaf, int]:
        """Each comparison of its eligibility, numbered as the catalogue lists them (and results name them)."""
        return numbered(leaves(self.eligibility))

    def offered_on(self, day: dt.date) -> bool:
        s = self.spec
        return (s.valid_from is None or s.valid_from <= day) and (s.valid_until is None or day < s.valid_until)


@dataclass
class Rulebase:
    info: RulebaseInfo
    rules: dict[str, Rule]
    derived: dict[str, Derived]
    fields: dict[str, FieldSpec]
    directory: Path
    digest: str
    dated: DatedFacts = field(default_factory=DatedFacts.none)
    _dependencies: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def version(self) -> str:
        return f"{self.info.version}+{self.digest[:12]}"

    def offered(self, rule: Rule, day: dt.date) -> bool:
        """Whether one can apply for a rule on that day: within its dates and, if it has calls, with a call ahead."""
        return rule.offered_on(day) and not self.dated.between_calls(rule.id, day)

    def answers_behind_advice(self) -> set[str]:
        """The answers that eligibility conditions read and reasons show, directly or through derived facts."""
        names = {leaf.field for rule in self.rules.values() for leaf in leaves(rule.eligibility)}
        names |= {name for rule in self.rules.values() for text in rule.spec.reasons
                  for name in PLACEHOLDER.findall(text)}
        return set().union(*(self.input_dependencies(n) for n in names if n in self.fields))

    def changeable(self, leaf: Leaf) -> bool:
        """Whether a person can meet a condition by a change of theirs (a batch's near misses count only these):
        as its rule says, else whether its field reads an answer one can act on (waiting aside: the date of the
        advice is no change of theirs)."""
        if leaf.changeable is not None:
            return leaf.changeable
        return bool(self.input_dependencies(leaf.field) & (ACTIONABLE - {"as_of"}))

    def input_dependencies(self, name: str) -> frozenset[str]:
        """The input fields a field, computed or derived, ultimately depends on."""
        found = self._dependencies.get(name)
        if found is None:
            spec = self.fields[name]
            found = frozenset({name}) if spec.origin == "input" else frozenset().union(
                *(self.input_dependencies(d) for d in spec.depends_on))
            self._dependencies[name] = found
        return found


class _Collector:
    """Gathers problems across files so one run reports them all, each with its check code."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, doc: Document, at: tuple, message: str, fix: str | None = None, field_name: str | None = None,
            code: str = "schema"):
        line, col = doc.where(at)
        self.problems.append(Problem(doc.path, message, line, col, field_name, fix, code))

    def read(self, path: Path) -> Document | None:
        """The parsed file, or None after noting why it cannot be read (syntax, duplicate keys, size...)."""
        try:
            return load_yaml_file(path)
        except InputError as error:
            self.problems += [p if p.code else replace(p, code="unreadable") for p in error.problems]
            return None


def _content(path: Path) -> bytes:
    """A rule file's bytes for the rulebase's digest, within the reading limit (b"" if it cannot be read: the
    problem is reported where the file is parsed)."""
    try:
        return read_bytes(path)
    except InputError:
        return b""


def default_rules_dir() -> Path:
    """The bundled rulebase: inside the installed package, or the repository's `rules/`."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


def _validate(model, doc: Document, problems: _Collector, prefix: tuple = (), named: tuple = ()):
    """The part of `doc` at `prefix` as a `model`, or None after noting its problems (fields named after `named`)."""
    try:
        return model.model_validate(doc.data if not prefix else _dig(doc.data, prefix))
    except ValidationError as error:
        for err in error.errors():
            at = prefix + tuple(err["loc"])
            name = ".".join(str(p) for p in named + tuple(err["loc"]))
            if err["type"] == "extra_forbidden":
                allowed = list(model.model_fields) if len(err["loc"]) == 1 else []
                guess = did_you_mean(str(err["loc"][-1]), allowed) if allowed else None
                problems.add(doc, at, "unknown key", f"did you mean '{guess}'?" if guess else "remove it", name,
                             code="unknown-key")
            elif err["loc"] and err["loc"][-1] == "sources" and err["type"] in ("missing", "too_short"):
                problems.add(doc, at, "has no source", "add sources: [{title: ..., url: ..., status: confirmed}]",
                             name, code="no-source")
            else:
                fix = "add it" if err["type"] == "missing" else TYPE_FIXES.get(err["type"])
                problems.add(doc, at, err["msg"], fix, name)
        return None


def validate_document(model, doc: Document, at: tuple = ()):
    """The part of `doc` at `at` validated against a rulebase model: (the model or None, the problems)."""
    problems = _Collector()
    return _validate(model, doc, problems, at), problems.problems


def _dig(data, at):
    for part in at:
        data = data[part]
    return data


class _ConditionParser:
    def __init__(self, doc: Document, fields: dict[str, FieldSpec], scope: str, problems: _Collector,
                 unloaded: set[str] | frozenset[str] = frozenset(), eligibility: bool = False):
        self.doc, self.fields, self.scope, self.problems = doc, fields, scope, problems
        self.unloaded = unloaded  # derived facts whose definition has errors (reported there): not "unknown"
        self.eligibility = eligibility  # a rule's eligibility: its comparisons may say whether they are changeable

    def parse(self, raw: Any, at: tuple) -> Condition:
        if not isinstance(raw, dict):
            self.problems.add(self.doc, at, "a condition must be a mapping",
                              "use all: [...], any: [...], not: {...} or {field: NAME, is: VALUE}", code="bad-condition")
            return TRUE
        says = raw.get("says")
        if "field" not in raw and "changeable" in raw:
            self.problems.add(self.doc, at + ("changeable",), "'changeable' is said of one comparison, not of a group",
                              "move it into each comparison {field: ..., ...} it is true of", code="bad-condition")
        if "all" in raw or "any" in raw:
            key = "all" if "all" in raw else "any"
            extra = set(raw) - {key, "says", "changeable"}
            if extra:
                self.problems.add(self.doc, at + (sorted(extra)[0],), f"unexpected key beside '{key}'", "remove it",
                                  code="bad-condition")
            items = raw[key]
            if not isinstance(items, list):
                self.problems.add(self.doc, at + (key,), f"'{key}' takes a list of conditions",
                                  "write the conditions as a list: - {field: ..., is: ...}", code="bad-condition")
                return TRUE
            parsed = tuple(self.parse(item, at + (key, i)) for i, item in enumerate(items))
            return All(parsed, says) if key == "all" else Any_(parsed, says)
        if "not" in raw:
            return negate(self.parse(raw["not"], at + ("not",)))
        if "field" in raw:
            return self._leaf(raw, at)
        self.problems.add(self.doc, at, f"not a condition: keys {sorted(raw)}",
                          "use all: [...], any: [...], not: {...} or {field: NAME, is: VALUE}", code="bad-condition")
        return TRUE

    def _leaf(self, raw: dict, at: tuple) -> Leaf:
        name = raw["field"]
        ops = [k for k in raw if k in OPERATORS]
        unknown = [k for k in raw if k not in OPERATORS and k not in ("field", "says", "changeable")]
        for key in unknown:
            guess = did_you_mean(key, OPERATORS)
            self.problems.add(self.doc, at + (key,), f"unknown operator '{key}'",
                              f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(OPERATORS)}",
                              code="unknown-operator")
        changeable = self._changeable(raw, at)
        if len(ops) != 1:
            if not unknown:
                self.problems.add(self.doc, at, "a comparison needs exactly one operator",
                                  f"use one of: {', '.join(OPERATORS)}", code="bad-condition")
            return Leaf(str(name), "is", None)
        op = ops[0]
        value = raw[op]
        spec = self.fields.get(name)
        line = self.doc.where(at)[0]
        if spec is None:
            if name in self.unloaded:
                return Leaf(str(name), op, value, raw.get("says"), line=line, changeable=changeable)
            guess = did_you_mean(str(name), self.fields)
            self.problems.add(self.doc, at + ("field",), f"unknown field '{name}'",
                              f"did you mean '{guess}'?" if guess else "see `advisor schema profile` for the fields",
                              code="unknown-field")
            return Leaf(str(name), op, value, raw.get("says"), line=line, changeable=changeable)
        if spec.scope == "collaboration" and self.scope != "collaboration":
            self.problems.add(self.doc, at + ("field",), f"'{name}' is a collaboration field, read per partnership",
                              "set `scope: collaboration` on this rule", code="scope-mismatch")
        value = self._check_value(spec, op, value, at + (op,))
        return Leaf(name, op, value, raw.get("says"), line=line, changeable=changeable)

    def _changeable(self, raw: dict, at: tuple) -> bool | None:
        """What the comparison's `changeable:` says (None: absent, or reported as wrong)."""
        if "changeable" not in raw:
            return None
        value = raw["changeable"]
        if not self.eligibility:
            self.problems.add(self.doc, at + ("changeable",), "'changeable' is read only in a rule's eligibility",
                              "remove it", code="bad-condition")
        elif not isinstance(value, bool):
            self.problems.add(self.doc, at + ("changeable",), f"changeable is yes/no; {value!r} is not",
                              "write true (a person can meet it by a change of theirs) or false", code="type-mismatch")
        else:
            return value
        return None

    def _check_value(self, spec: FieldSpec, op: str, value: Any, at: tuple) -> Any:
        shape = OPERATORS[op][1]
        allowed_ops = {
            "bool": {"is", "is_not"},
            "int": {"is", "is_not", "one_of", "none_of", "at_least", "at_most", "less_than", "more_than", "between"},
            "enum": {"is", "is_not", "one_of", "none_of"},
            "text": {"is", "is_not", "one_of", "none_of"},
            "enum_list": {"includes", "excludes", "includes_any", "includes_none"},
        }.get(spec.type, set())
        if op not in allowed_ops:
            self.problems.add(self.doc, at, f"'{op}' cannot be used on {spec.name} ({spec.type})",
                              f"use one of: {', '.join(sorted(allowed_ops)) or 'nothing: this field is not comparable'}",
                              code="operator-type")
            return value
        items = value if shape in ("list", "range") else [value]
        if shape in ("list", "range") and not isinstance(value, list):
            self.problems.add(self.doc, at, f"'{op}' takes a list", "write the values as [a, b]", code="operator-type")
            return value
        if shape == "range" and len(value) != 2:
            self.problems.add(self.doc, at, "'between' takes two numbers: [low, high]", "write between: [low, high]",
                              code="operator-type")
            return value
        checked = []
        for i, item in enumerate(items):
            where = at + (i,) if shape in ("list", "range") else at
            checked.append(self._parameter(item, where) if spec.type == "int" and shape in ("number", "range")
                           and isinstance(item, str) else self._check_item(spec, item, where) or item)
        return tuple(checked) if shape in ("list", "range") else checked[0]

    def _parameter(self, name: str, at: tuple) -> Param:
        """A number written as a parameter's name (rules/parameters.yaml)."""
        if PARAMETER + name not in self.fields:
            known = [f.removeprefix(PARAMETER) for f in self.fields if f.startswith(PARAMETER)]
            guess = did_you_mean(name, known)
            self.problems.add(self.doc, at, f"unknown parameter '{name}'",
                              f"did you mean '{guess}'?" if guess else "write a number, or add the parameter to "
                              "parameters.yaml", code="unknown-parameter")
        return Param(name)

    def _check_item(self, spec: FieldSpec, item: Any, at: tuple) -> None:
        if spec.type == "bool" and not isinstance(item, bool):
            self.problems.add(self.doc, at, f"{spec.name} is yes/no; {item!r} is not", "write true or false",
                              code="type-mismatch")
        elif spec.type == "int" and (isinstance(item, bool) or not isinstance(item, int)):
            self.problems.add(self.doc, at, f"{spec.name} is a whole number; {item!r} is not",
                              "write a number without quotes", code="type-mismatch")
        elif spec.type in ("enum", "enum_list") and item not in spec.values:
            guess = did_you_mean(str(item), spec.values)
            hint = f"did you mean '{guess}'?" if guess else f"allowed: {', '.join(spec.values)}"
            self.problems.add(self.doc, at, f"'{item}' is not a value of {spec.name}", hint, code="unknown-value")
        elif spec.type == "text" and not isinstance(item, str):
            self.problems.add(self.doc, at, f"{spec.name} is text; {item!r} is not", "quote it", code="type-mismatch")


def parse_condition(doc: Document, raw: Any, at: tuple, fields: dict[str, FieldSpec],
                    scope: str = "profile") -> tuple[Condition, list[Problem]]:
    """Parse one condition of the rulebase's vocabulary found in another file (e.g. questions.yaml)."""
    problems = _Collector()
    condition = _ConditionParser(doc, fields, scope, problems).parse(raw, at)
    return condition, problems.problems


def _too_large(condition: Condition, doc, at: tuple, problems) -> bool:
    """Report a condition too large to write out for the engine (its alternatives multiply)."""
    size = too_large(condition)
    if size is not None:
        problems.add(doc, at, f"the condition has {size:,} alternatives once written out for the engine; "
                     f"the limit is {MAX_ALTERNATIVES}", "simplify it: put a repeated part in a derived fact "
                     "(facts.yaml), or split the rule", code="condition-too-large")
    return size is not None


def _derived_spec(fact: DerivedFact, deps: set[str]) -> FieldSpec:
    values = (True, False) if fact.type == "bool" else tuple(fact.values)
    return FieldSpec(fact.id, fact.type, fact.scope, "derived", values, tuple(sorted(deps)))


def _valid_facts(doc: Document, problems: _Collector) -> tuple[list[tuple[int, DerivedFact]], set[str]]:
    """The derived facts that validate, with their place, and the ids of those that do not: a mistake in one
    fact leaves the others loaded (it used to drop the whole file, and every rule reading any fact then said
    'unknown field', with wrong guesses)."""
    try:
        return list(enumerate(FactsFile.model_validate(doc.data).derived)), set()
    except ValidationError:
        pass
    entries = doc.data.get("derived") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list) or set(doc.data) != {"derived"}:
        _validate(FactsFile, doc, problems)  # the file itself is wrong: said as it is
        return [], set()
    valid, unloaded = [], set()
    for i, entry in enumerate(entries):
        fact = _validate(DerivedFact, doc, problems, ("derived", i), named=("derived", i))
        if fact is not None:
            valid.append((i, fact))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            unloaded.add(entry["id"])
    return valid, unloaded


def _load_derived(path: Path, fields: dict[str, FieldSpec],
                  problems: _Collector) -> tuple[dict[str, Derived], set[str]]:
    """The derived facts that load, and the ids of those whose definition has errors."""
    derived: dict[str, Derived] = {}
    doc = problems.read(path) if path.exists() else None
    if doc is None:
        return derived, set()
    facts, unloaded = _valid_facts(doc, problems)
    for i, fact in facts:
        at = ("derived", i)
        if fact.id in fields:
            problems.add(doc, at + ("id",), f"'{fact.id}' is already a field", "choose another id", code="duplicate-id")
            continue
        parser = _ConditionParser(doc, fields, fact.scope, problems)
        cases: list[tuple[Any, Condition]] = []
        earlier: list[Condition] = []
        for j, case in enumerate(fact.cases):
            if case.when is None and j != len(fact.cases) - 1:
                problems.add(doc, at + ("cases", j), "only the last case may omit `when` (it means otherwise)",
                             "add a `when:` or move this case last", code="derived-case")
            when = TRUE if case.when is None else parser.parse(case.when, at + ("cases", j, "when"))
            allowed = (True, False) if fact.type == "bool" else tuple(fact.values)
            if case.value not in allowed:
                problems.add(doc, at + ("cases", j, "value"), f"{case.value!r} is not one of {list(allowed)}",
                             "use one of the fact's `values`", code="derived-case")
            effective = All(tuple(negate(c) for c in earlier) + (when,))
            if _too_large(effective, doc, at + ("cases", j), problems):
                effective = All((when,))  # reported; keeps the rest of the checks going without the blow-up
            cases.append((case.value, effective))
            earlier.append(when)
        deps = {leaf.field for _, cond in cases for leaf in leaves(cond)}
        for name in sorted(d for d in deps if d in fields and fields[d].origin == "derived"):
            problems.add(doc, at, f"'{fact.id}' reads the derived fact '{name}'",
                         "derive facts from answers only: repeat the conditions of that fact here", code="derived-chain")
        fields[fact.id] = _derived_spec(fact, deps)
        derived[fact.id] = Derived(fact, cases)
    return derived, unloaded


def _load_dated(directory: Path, problems: _Collector) -> DatedFacts:
    """The parameters, calls and country tables of a rulebase (each file optional)."""
    dated = DatedFacts.none()
    series: dict[str, list] = {}
    for name, kind in DATED_FILES.items():
        key, path = kind.key, directory / name
        doc = problems.read(path) if path.exists() else None
        loaded = _validate(kind.model, doc, problems) if doc else None
        if loaded is not None:
            dated.documents[name] = doc
        for i, item in enumerate(getattr(loaded, key, None) or []):
            at = (key, i)
            dated.entries[id(item)] = i
            if key == "parameters":
                _add_unique(dated.parameters, item.id, DatedParameter(item), doc, at, problems)
                days = [v.since for v in item.values]
                wrong = next((j for j in range(1, len(days)) if days[j] <= days[j - 1]), None)
                if wrong is not None:
                    problems.add(doc, at + ("values", wrong), f"the value since {days[wrong]} does not follow the one "
                                 f"since {days[wrong - 1]}", "list each date once, oldest first", code="dated-order")
            elif key == "calls":
                series.setdefault(item.rule, []).append(item)
            else:
                _add_unique(dated.tables, item.id, Table(item), doc, at, problems)
            for j, entry in enumerate(getattr(item, kind.sourced)):
                if entry.source >= len(item.sources):
                    problems.add(doc, at + (kind.sourced, j, "source"), f"source {entry.source} is not listed",
                                 f"use 0 to {len(item.sources) - 1}, or add the source", code="no-source")
    dated.calls.update((rule_id, Calls(specs)) for rule_id, specs in series.items())
    return dated


def _add_unique(found: dict, key: str, value: Any, doc: Document, at: tuple, problems: _Collector) -> None:
    if key in found:
        problems.add(doc, at, f"'{key}' is listed twice", "keep one entry", code="duplicate-id")
    else:
        found[key] = value


def _check_calls(dated: DatedFacts, rules: dict[str, Rule], unloaded: set[str], problems: _Collector) -> None:
    """Each series of calls names a rule of the rulebase."""
    for rule_id, calls in dated.calls.items():
        if rule_id not in rules and rule_id not in unloaded:
            guess = did_you_mean(rule_id, rules)
            path, line, column = dated.place("calls.yaml", calls.specs[0], "rule")
            problems.problems.append(Problem(path, f"unknown rule id '{rule_id}'",
                                             line, column, field="rule", fix=f"did you mean '{guess}'?" if guess else
                                             "use the id of a rule in this rulebase", code="unknown-id"))


def _check_placeholders(doc: Document, rule: RuleFile, fields: dict[str, FieldSpec], problems: _Collector):
    for key in ("reasons", "next_steps", "checklist"):
        for i, text in enumerate(getattr(rule, key)):
            for name in PLACEHOLDER.findall(text):
                if name not in fields:
                    guess = did_you_mean(name, fields)
                    problems.add(doc, (key, i), f"unknown placeholder {{{name}}}",
                                 f"did you mean {{{guess}}}?" if guess else "use a profile field name",
                                 code="unknown-placeholder")


def inspect_rulebase(directory: str | Path | None = None) -> tuple[Rulebase | None, list[Problem]]:
    """Read a rulebase folder as far as it can be read: the (maybe partial) rulebase and every problem found.

    Files that cannot be parsed or validated are left out of the partial rulebase;
    the rulebase is None only when the folder or its `rulebase.yaml` is unusable.
    """
    directory = Path(directory) if directory else default_rules_dir()
    shown = display_path(directory)
    if not directory.is_dir():
        return None, [Problem(shown, "is not a rulebase folder", fix="pass a folder holding rulebase.yaml "
                              "(`advisor rules init DIR` starts one)", code="not-a-rulebase")]
    problems = _Collector()
    info_path = directory / "rulebase.yaml"
    if not info_path.exists():
        return None, [Problem(shown, "has no rulebase.yaml", fix="copy one from the bundled rulebase "
                              "(`advisor rules init DIR` starts a new rulebase)", code="not-a-rulebase")]
    info_doc = problems.read(info_path)
    info = _validate(RulebaseInfo, info_doc, problems) if info_doc else None

    dated = _load_dated(directory, problems)
    fields: dict[str, FieldSpec] = {**input_fields(), **COMPUTED}
    for spec in dated.fields():
        if spec.name in fields:
            problems.problems.append(Problem(display_path(directory), f"the field '{spec.name}' that parameters.yaml, "
                                             "calls.yaml or countries.yaml gives already exists", field=spec.name,
                                             fix="rename the parameter, the call's counts_phd field or the table",
                                             code="duplicate-id"))
        else:
            fields[spec.name] = spec
    derived, unloaded_facts = _load_derived(directory / "facts.yaml", fields, problems)

    rules: dict[str, Rule] = {}
    unloaded: set[str] = set()  # stems of rule files that did not load: references to them are not "unknown"
    digest = hashlib.sha256(_content(info_path))
    for name in ("facts.yaml", *DATED_FILES):
        if (directory / name).exists():
            digest.update(_content(directory / name))
    for path in sorted((directory / "recommendations").glob("*.yaml")):
        digest.update(path.name.encode() + _content(path))
        doc = problems.read(path)
        spec = _validate(RuleFile, doc, problems) if doc else None
        if spec is None:
            unloaded.add(path.stem)
            continue
        if spec.id in rules:
            problems.add(doc, ("id",), f"id '{spec.id}' is also used by {rules[spec.id].path}", "give each rule its own id",
                         code="duplicate-id")
            continue
        parser = _ConditionParser(doc, fields, spec.scope, problems, unloaded_facts, eligibility=True)
        eligibility = TRUE if spec.eligibility is None else parser.parse(spec.eligibility, ("eligibility",))
        fit = Leaf("goals", "includes_any", tuple(spec.serves_goals), "serves one of your goals")
        _check_placeholders(doc, spec, fields, problems)
        if _too_large(eligibility, doc, ("eligibility",), problems):
            unloaded.add(path.stem)  # kept out: the engine and the checks would write out every alternative
            continue
        rules[spec.id] = Rule(spec, eligibility, fit, doc.path, doc.lines)

    for rule in rules.values():
        references = [(("successor",), rule.spec.successor)] + [(("replaces", i), r) for i, r in enumerate(rule.spec.replaces)]
        for at, ref in references:
            if ref and ref not in rules and ref not in unloaded:
                guess = did_you_mean(ref, rules)
                line, col = rule.line_of.get(at, (None, None))
                problems.problems.append(Problem(rule.path, f"unknown rule id '{ref}'", line, col, at[0],
                                                 f"did you mean '{guess}'?" if guess else "use the id of a rule in this rulebase",
                                                 code="unknown-id"))
    _check_calls(dated, rules, unloaded, problems)
    if not rules:
        problems.problems.append(Problem(shown, "has no rules in recommendations/*.yaml", fix="add at least one rule file",
                                         code="no-rules"))
    info = info or RulebaseInfo.model_construct(name=directory.name, version="invalid", last_verified=None)
    return Rulebase(info, rules, derived, fields, directory, digest.hexdigest(), dated), problems.problems


def load_rulebase(directory: str | Path | None = None) -> Rulebase:
    """Read `rulebase.yaml`, `facts.yaml` and `recommendations/*.yaml`; raise RulebaseError listing every problem."""
    rulebase, problems = inspect_rulebase(directory)
    if problems:
        raise RulebaseError(problems)
    return rulebase
