"""`advisor session ...`: an adviser's sessions with researchers (answers, history, notes, evaluations, what-if)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.cli.options import (
    EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_engine_option, add_rules_option, parse_date, print_problems
)
from advisor.cli.subjects import add_sessions_option, open_store, with_as_of


def register(commands) -> None:
    parser = commands.add_parser("session", help="an adviser's sessions: answers, notes, what-if, history",
                                 description="Keep one session per researcher: their answers with a timestamped "
                                             "history, your notes, each evaluation made, and what-if scenarios.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    add_sessions_option(common)
    evaluating = argparse.ArgumentParser(add_help=False)
    evaluating.add_argument("--as-of", type=parse_date, metavar="DATE",
                            help="the date the advice is for (default: the profile's, else today)")
    add_rules_option(evaluating)
    add_engine_option(evaluating)

    def action(name, handler, help_text, parents=(common,)):
        sub = actions.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".",
                                 parents=list(parents))
        sub.set_defaults(handler=handler)
        return sub

    sub = action("new", run_new, "start a session, empty or from a profile file")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--profile", type=Path, metavar="FILE", help="start from the answers in this profile file")
    action("list", run_list, "list the sessions")
    sub = action("show", run_show, "show a session: answers, notes, history, evaluations, scenarios")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--all", action="store_true", help="the whole history, not only the last changes")
    questioning = argparse.ArgumentParser(add_help=False)
    questioning.add_argument("--no-input", action="store_true",
                             help="never prompt: list the answers still needed and advise on the rest (the default "
                                  "when standard input or output is not a terminal)")
    add_rules_option(questioning)
    add_engine_option(questioning)
    sub = action("ask", run_ask, "run or resume the questionnaire into the session (every answer is kept in the "
                 "history; Ctrl-C stops, the same command continues)", (common, questioning))
    sub.add_argument("name", metavar="NAME")
    sub = action("set", run_set, "change answers (each change is kept in the history)")
    sub.add_argument("name", metavar="NAME")
    _add_changes(sub, required=True)
    sub = action("history", run_history, "the answers' history, or the answers as they were at a revision")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--revision", type=int, metavar="N", help="print the answers as they were after revision N")
    sub = action("restore", run_restore, "make an earlier revision's answers current again (kept in the history)")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("revision", type=int, metavar="N")
    sub = action("note", run_note, "add a note to the session")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("text", nargs="+", metavar="TEXT")
    sub = action("evaluate", run_evaluate, "advice for the session's answers (the evaluation is recorded)",
                 (common, evaluating))
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--format", choices=("text", "json"), default="text")
    sub = action("whatif", run_whatif, "evaluate changed answers beside the current ones and show what changes",
                 (common, evaluating))
    sub.add_argument("name", metavar="NAME")
    _add_changes(sub, required=False)
    sub.add_argument("--save", metavar="SCENARIO", help="keep this what-if in the session under this name")
    sub.add_argument("--apply", action="store_true", help="make the changed answers the session's answers")
    sub = action("delete", run_delete, "delete a session and every file of it (asks for confirmation)")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def _add_changes(parser, required: bool) -> None:
    # `advisor session set ada career_stage=postdoc` is what people type first: FIELD=VALUE may come without --set.
    parser.add_argument("changes", nargs="*", metavar="FIELD=VALUE", help="answers to change, as with --set")
    parser.add_argument("--set", dest="assignments", action="append", default=[], metavar="FIELD=VALUE",
                        help="an answer to change, e.g. permanent_position=true, goals=consolidate,build_network, "
                             "collaborations[0].stage=funded (repeat for several)")
    parser.add_argument("--unset", action="append", default=[], metavar="FIELD",
                        help="an answer to forget (it becomes unknown)")
    parser.set_defaults(changes_required=required)


def _console():
    from rich.console import Console  # noqa: PLC0415

    return Console(highlight=False)


def _guarded(handler):
    """Run a handler; an InputError (bad name, damaged file, bad value) is printed and exits 1."""
    def run(args) -> int:
        from advisor.errors import InputError

        try:
            return handler(args)
        except InputError as error:
            print_problems(error)
            return EXIT_INVALID
    return run


@_guarded
def run_new(args) -> int:
    from advisor.io.profiles import load_profiles
    from advisor.sessions.store import check_name

    check_name(args.name)
    profile = None
    if args.profile:
        loaded = load_profiles(args.profile)
        if len(loaded) != 1:
            print(f"error: {args.profile} holds {len(loaded)} profiles; a session starts from one", file=sys.stderr)
            return EXIT_INVALID
        profile = loaded[0].profile
    session = open_store(args).create(args.name, profile, by=f"new from {args.profile}" if args.profile else "new")
    print(f"Session {session.name} created in {session.folder}")
    print(f"Next: `advisor session ask {session.name}` (the questionnaire), `advisor session set {session.name} "
          f"FIELD=VALUE`, `advisor session evaluate {session.name}`, `advisor session note {session.name} TEXT`.")
    return EXIT_OK


@_guarded
def run_list(args) -> int:
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    from advisor.errors import InputError

    store = open_store(args)
    names = store.names()
    if not names:
        print(f"No sessions in {store.root}. Start one with `advisor session new NAME`.")
        return EXIT_OK
    table = Table("session", "researcher", "created", "last change", "revisions", "notes", "evaluations",
                  title=f"Sessions in {store.root}", title_justify="left")
    for name in names:
        session = store.open(name)
        try:
            history = session.history()
            table.add_row(Text(name), Text(session.profile().name or ""), session.info().created,
                          history[-1]["at"] if history else "", str(len(history)), str(len(session.notes())),
                          str(len(session.evaluations())))
        except InputError as error:
            table.add_row(Text(name), Text(f"damaged: {error.problems[0]}", style="red"), "", "", "", "", "")
    _console().print(table)
    return EXIT_OK


@_guarded
def run_show(args) -> int:
    import yaml  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    from advisor.errors import visible
    from advisor.io.profiles import dump_profile

    session = open_store(args).open(args.name)
    info, profile, history = session.info(), session.profile(), session.history()
    notes, evaluations, scenarios, exports = (session.notes(), session.evaluations(), session.scenarios(),
                                              session.exports())
    console = _console()
    console.print(Text.assemble(("Session ", "bold"), (session.name, "bold"), f"  created {info.created}, ",
                                f"{len(history)} revision(s)  ", (str(session.folder), "dim")))
    console.print(Text("\nAnswers", style="bold"))
    console.print(Text(yaml.safe_dump(dump_profile(profile), sort_keys=False, allow_unicode=True).rstrip()))
    console.print(Text(f"\nNotes ({len(notes)})", style="bold"))
    for note in notes:
        console.print(Text.assemble((visible(str(note.get("at", ""))), "dim"), "  ",
                                    visible(str(note.get("text", "")))))  # notes may come from a shared folder
    shown = history if args.all else history[-5:]
    console.print(Text(f"\nHistory ({len(history)} revisions{'' if args.all else ', the last 5; --all for all'})",
                       style="bold"))
    for record in shown:
        console.print(_history_line(record))
    console.print(Text(f"\nEvaluations ({len(evaluations)})", style="bold"))
    for record in evaluations[-5:]:
        console.print(_evaluation_line(record))
    console.print(Text(f"\nScenarios ({len(scenarios)})", style="bold"))
    for scenario in scenarios:
        changed = scenario.data.get("verdict_changes", [])
        console.print(Text(f"{scenario.name}: {'; '.join(map(str, scenario.data.get('changes', [])))} "
                           f"({len(changed)} verdict change(s), {scenario.data.get('at', '')})"))
    if exports:
        console.print(Text(f"\nReports written ({len(exports)})", style="bold"))
        for record in exports:
            console.print(Text(f"{record.get('at', '')}  {record.get('path', '')} ({record.get('format', '')})"))
    return EXIT_OK


def _history_line(record) -> "Text":
    from rich.text import Text  # noqa: PLC0415

    changes = record.get("changes", [])
    if record.get("revision") == 1 and len(changes) > 3:
        return Text.assemble((f"#1 {record.get('at', '')}", "dim"), f"  {record.get('by', '')}: "
                             f"{len(changes)} answers (`advisor session history NAME --revision 1` shows them)")
    described = "; ".join(f"{c['field']}: {_shown(c.get('before'))} → {_shown(c.get('after'))}" for c in changes)
    return Text.assemble((f"#{record.get('revision', '?')} {record.get('at', '')}", "dim"),
                         f"  {record.get('by', '')}: ", described or "no answers yet")


def _evaluation_line(record) -> "Text":
    from collections import Counter  # noqa: PLC0415

    from rich.text import Text  # noqa: PLC0415

    counts = Counter(record.get("verdicts", {}).values())
    rulebase = record.get("rulebase", {})
    return Text.assemble((record.get("at", ""), "dim"),
                         f"  as of {record.get('as_of', '?')}, rulebase {rulebase.get('version', '?')}, "
                         f"answers #{record.get('revision', '?')}: {counts.get('recommended', 0)} recommended, "
                         f"{counts.get('possible', 0)} possible, {counts.get('undecided', 0)} undecided"
                         + (f"; path: {' → '.join(record['path'])}" if record.get("path") else ""))


def _shown(value) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _assignments(args):
    from advisor.sessions.whatif import parse_assignment, parse_unset

    return [parse_assignment(a) for a in [*args.changes, *args.assignments]] + [parse_unset(u) for u in args.unset]


@_guarded
def run_set(args) -> int:
    from advisor.sessions.whatif import apply

    session = open_store(args).open(args.name)
    assignments = _assignments(args)
    if not assignments:
        print("error: nothing to change; add FIELD=VALUE (or --set FIELD=VALUE) or --unset FIELD", file=sys.stderr)
        return EXIT_USAGE
    changes = session.save_profile(apply(session.profile(), assignments), by="set")
    _print_changes(changes)
    return EXIT_OK


def _print_changes(changes) -> None:
    if not changes:
        print("No answer changed.")
    for change in changes:
        print(f"{change['field']}: {_shown(change['before'])} → {_shown(change['after'])}")


@_guarded
def run_ask(args) -> int:
    from advisor.io.private import in_use
    from advisor.io.profiles import dump_profile
    from advisor.questionnaire.bookkeeping import answers_from_profile, answers_to_profile
    from advisor.questionnaire.planner import Planner
    from advisor.questionnaire.questions import load_questions
    from advisor.io.documents import load_yaml_file
    from advisor.questionnaire.interview import Keeper, interview, is_terminal, without_prompts

    session = open_store(args).open(args.name)
    profile = session.profile()
    advisor = _advisor(args)
    if advisor is None:
        return EXIT_INVALID
    version = advisor.rulebase.version
    questions = load_questions(advisor.rulebase)
    answers, notices = answers_from_profile(dump_profile(profile), questions, version,
                                            load_yaml_file(session.file("profile.yaml")))
    for notice in notices:
        print(f"notice: {notice}", file=sys.stderr)
    planner = Planner(advisor.rulebase, questions)
    source = f"session {session.name}"
    if not is_terminal(args):
        result = without_prompts(advisor, planner, answers, source,
                                 f"set them with `advisor session set {session.name} FIELD=VALUE`, or run "
                                 f"`advisor session ask {session.name}` in a terminal")
        session.record_evaluation(result, by="ask")
        return EXIT_OK
    keeper = Keeper(lambda kept: session.save_profile(answers_to_profile(kept, version), by="ask"), source,
                    f"advisor session ask {session.name}", "check that the sessions folder can be written "
                    f"({session.folder})", source)
    with in_use(session.folder, session.folder / ".ask.lock"):  # a second questionnaire would overwrite this one
        code, finished = interview(advisor, planner, answers, keeper)
    if finished is not None:
        session.record_evaluation(finished.result, by="ask")
        print(f"\nThe answers are kept in session {session.name} (`advisor session history {session.name}` lists "
              f"each change). Next: `advisor report --session {session.name} --output {session.name}.html`.")
    return code


@_guarded
def run_history(args) -> int:
    import yaml  # noqa: PLC0415

    from advisor.io.profiles import dump_profile

    session = open_store(args).open(args.name)
    if args.revision is not None:
        profile = session.profile_at(args.revision)
        sys.stdout.write(yaml.safe_dump(dump_profile(profile), sort_keys=False, allow_unicode=True))
        return EXIT_OK
    console = _console()
    for record in session.history():
        console.print(_history_line(record))
    return EXIT_OK


@_guarded
def run_restore(args) -> int:
    session = open_store(args).open(args.name)
    changes = session.save_profile(session.profile_at(args.revision), by=f"restore revision {args.revision}")
    _print_changes(changes)
    return EXIT_OK


@_guarded
def run_note(args) -> int:
    session = open_store(args).open(args.name)
    session.add_note(" ".join(args.text))
    print(f"Note added to {session.name} ({len(session.notes())} in all).")
    return EXIT_OK


def _advisor(args):
    from advisor.cli.options import open_advisor

    return open_advisor(args)


@_guarded
def run_evaluate(args) -> int:
    from advisor.cli.evaluate import print_results

    session = open_store(args).open(args.name)
    profile = with_as_of(session.profile(), args.as_of)
    advisor = _advisor(args)
    if advisor is None:
        return EXIT_INVALID
    result = advisor.evaluate(profile, f"session {session.name}")
    session.record_evaluation(result, by="evaluate")
    print_results([result], args.format)
    return EXIT_OK


@_guarded
def run_whatif(args) -> int:
    from advisor.sessions.whatif import apply, scenario_record, verdict_changes

    session = open_store(args).open(args.name)
    current = with_as_of(session.profile(), args.as_of)
    assignments = _assignments(args)
    if not assignments:
        from advisor.sessions.whatif_prompt import ask_changes

        assignments = ask_changes(current)
        if assignments is None:
            return EXIT_USAGE
    changed = apply(current, assignments)
    advisor = _advisor(args)
    if advisor is None:
        return EXIT_INVALID
    before = advisor.evaluate(current, f"session {session.name}")
    after = advisor.evaluate(changed, f"session {session.name} (what if)")
    changes = verdict_changes(before, after)
    _print_whatif(assignments, changes, len(after.results))
    if args.save:
        path = session.save_scenario(args.save, scenario_record(assignments, before, after, session.revision(),
                                                                 changed))
        print(f"Scenario {args.save} kept in {path}")
    if args.apply:
        applied = apply(session.profile(), assignments)  # without a command-line --as-of
        session.save_profile(applied, by="whatif " + "; ".join(map(str, assignments)))
        print(f"The what-if answers are now the answers of {session.name}.")
    return EXIT_OK


def _print_whatif(assignments, changes, total: int) -> None:
    from rich.text import Text  # noqa: PLC0415

    from advisor.render.sidebyside import whatif_table

    console = _console()
    title = "What if " + "; ".join(map(str, assignments))
    if not changes:
        console.print(Text(f"{title}: no verdict changes ({total} recommendations evaluated)."))
        return
    console.print(whatif_table(changes, title))
    console.print(Text(f"{len(changes)} verdict(s) change; {total - len(changes)} stay the same.", style="dim"))


@_guarded
def run_delete(args) -> int:
    from advisor.sessions.store import check_name

    store = open_store(args)
    folder = store.root / check_name(args.name)
    if not folder.is_dir():  # a damaged session (its session.yaml lost) can still be deleted
        store.open(args.name)  # no such session: says so, with the closest name
    if not args.yes:
        print(f"Delete session {args.name} and every file in {folder}? This cannot be undone. "
              "Type the session name to confirm: ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip()
        if answer != args.name:
            print("Not deleted.", file=sys.stderr)
            return EXIT_USAGE
    exported = store.delete(args.name)
    print(f"Session {args.name} deleted.")
    if exported:
        print("Reports written from it are files of yours and were not touched:")
        for path in exported:
            print(f"  {path}")
    return EXIT_OK
