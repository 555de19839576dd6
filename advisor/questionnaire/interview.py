"""The questionnaire in a terminal, then the advice: shared by `advisor ask` and `advisor session ask`.

Both keep the answers somewhere after every answer (an answers file, a
session) and say how to continue after Ctrl-C; without a terminal, neither
prompts: they list the answers still needed and advise on what is known.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Callable

from advisor.exits import exit_code
from advisor.cli.options import EXIT_INVALID, EXIT_OK


@dataclass
class Keeper:
    """Where a questionnaire's answers are kept as they are given."""

    save: Callable[[Any], None]  # called with the Answers after every answer
    where: str  # how the place is named to the person: "answers.yaml", "session ada"
    resume: str  # the command that continues: "advisor ask --resume answers.yaml"
    fix: str  # what to do when the place cannot be written
    source: str | None  # how the advice names where the answers come from


@dataclass
class Finished:
    """A questionnaire confirmed at the review, and the advice shown after it."""

    ui: Any  # the TerminalUI, for what the command asks next
    profile: Any
    result: Any


def is_terminal(args) -> bool:
    """Prompt only when asked to and both standard input and output are a terminal."""
    return not args.no_input and sys.stdin.isatty() and sys.stdout.isatty()


def without_prompts(advisor, planner, answers, source: str | None, how_to_add: str):
    """Never wait for input: say what is missing (and `how_to_add` it), then advise on what is known; the result."""
    from advisor.questionnaire.report import missing_lines

    missing = missing_lines([c for c in planner.candidates(answers) if c.needed_by])
    if missing:
        print("notice: no question is asked (standard input or output is not a terminal, or --no-input). "
              f"These answers still matter: {how_to_add}:", file=sys.stderr)
        for line in missing:
            print(f"  - {line}", file=sys.stderr)
    else:
        print("notice: every answer that matters is given.", file=sys.stderr)
    return print_advice(advisor, answers, source, console=None)[1]


def print_advice(advisor, answers, source: str | None, console):
    """Evaluate the answers and print the advice; (profile, result)."""
    from rich.console import Console  # noqa: PLC0415

    from advisor.contract.profile import Profile
    from advisor.render.text import render_text

    profile = Profile.model_validate(answers.data)
    result = advisor.evaluate(profile, source)
    render_text(result, console or Console(highlight=False))
    return profile, result


def interview(advisor, planner, answers, keeper: Keeper) -> tuple[int, Finished | None]:
    """Ask in the terminal until the review is confirmed, then print the advice and the questions not asked."""
    from rich.console import Console  # noqa: PLC0415
    from rich.markup import escape  # noqa: PLC0415

    from advisor.questionnaire.flow import Session
    from advisor.questionnaire.prompts import TerminalUI
    from advisor.questionnaire.report import not_asked_lines

    console = Console(highlight=False)
    try:
        keeper.save(answers)
    except OSError as error:
        print(f"error: {keeper.where}: cannot be written ({error.strerror or error})", file=sys.stderr)
        print(f"  fix: {keeper.fix}", file=sys.stderr)
        return EXIT_INVALID, None
    console.print(f"Your answers are saved in [bold]{escape(keeper.where)}[/bold] after each one. "
                  f"Ctrl-C stops; [bold]{escape(keeper.resume)}[/bold] continues.")
    if answers.history:
        kept = len(answers.history)
        console.print(f"Continuing: {kept} answer{'' if kept == 1 else 's'} kept.")
    ui = TerminalUI(console)
    try:
        Session(planner, answers, ui, keeper.save).run()
    except (KeyboardInterrupt, EOFError) as stop:  # Ctrl-C, Ctrl-D, or SIGTERM (see advisor.exits)
        console.print(f"\nStopped. Every answer so far is saved in {keeper.where}.\nContinue with: {keeper.resume}",
                      markup=False)
        return exit_code(stop), None
    except OSError as error:
        print(f"error: {keeper.where}: cannot be saved ({error.strerror or error}); the answers before this one "
              "are in it", file=sys.stderr)
        return EXIT_INVALID, None
    console.print()
    console.rule("Advice")
    profile, result = print_advice(advisor, answers, keeper.source, console)
    lines = not_asked_lines(answers, planner.questions)
    if lines:
        console.print("\n[bold]Questions not asked[/bold]")
        for line in lines:
            console.print(f"  - {line}", highlight=False, markup=False)
    return EXIT_OK, Finished(ui, profile, result)
