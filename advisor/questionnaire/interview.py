"""The questionnaire in a terminal, then the advice: shared by `advisor ask` and `advisor session ask`.

Both keep the answers somewhere after every answer (an answers file, a
session) and say how to continue after Ctrl-C; without a terminal, neither
prompts: they list the answers still needed and advise on what is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from rich.console import Console
from rich.markup import escape

from advisor.advice.advisor import Advisor
from advisor.contract.profile import Profile
from advisor.contract.result import Result
from advisor.errors import InputError
from advisor.exits import ExitStatus, stopped_by
from advisor.io.environment import Environment
from advisor.questionnaire.flow import Session
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.prompts import TerminalUI
from advisor.questionnaire.report import missing_lines, not_asked_lines
from advisor.questionnaire.state import Answers
from advisor.render.text import render_text


@dataclass
class Keeper:
    """Where a questionnaire's answers are kept as they are given."""

    save: Callable[[Answers], Any]  # called with the answers after every answer
    where: str  # how the place is named to the person: "answers.yaml", "session ada"
    resume: str  # the command that continues: "advisor ask --resume answers.yaml"
    fix: str  # what to do when the place cannot be written
    source: str | None  # how the advice names where the answers come from


@dataclass
class Finished:
    """A questionnaire confirmed at the review, and the advice shown after it."""

    ui: TerminalUI  # for what the command asks next
    profile: Profile
    result: Result


def without_prompts(advisor: Advisor, planner: Planner, answers: Answers, source: str | None, how_to_add: str,
                    env: Environment, details: bool = False) -> Result:
    """Never wait for input: say what is missing (and `how_to_add` it), then advise on what is known."""
    missing = missing_lines([c for c in planner.candidates(answers) if c.needed_by])
    if missing:
        env.err("notice: no question is asked (standard input or output is not a terminal, or --no-input). "
                f"These answers still matter: {how_to_add}:")
        for line in missing:
            env.err(f"  - {line}")
    else:
        env.err("notice: every answer that matters is given.")
    return print_advice(advisor, answers, source, env.console(), details)[1]


def print_advice(advisor: Advisor, answers: Answers, source: str | None, console: Console,
                 details: bool = False) -> tuple[Profile, Result]:
    """Evaluate the answers and print the advice (the short answer, or everything with `details`)."""
    profile = Profile.model_validate(answers.data)
    result = advisor.evaluate(profile, source)
    render_text(advisor.explain(result), console, advisor.catalogue, details=details)
    return profile, result


def interview(advisor: Advisor, planner: Planner, answers: Answers, keeper: Keeper,
              env: Environment, details: bool = False) -> tuple[ExitStatus, Finished | None]:
    """Ask in the terminal until the review is confirmed, then print the advice and the questions not asked."""
    console = env.console()
    try:
        keeper.save(answers)
    except OSError as error:
        env.err(f"error: {keeper.where}: cannot be written ({error.strerror or error})\n  fix: {keeper.fix}")
        return ExitStatus.INVALID, None
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
        return stopped_by(stop), None
    except OSError as error:
        env.err(f"error: {keeper.where}: cannot be saved ({error.strerror or error}); the answers before this one "
                f"are in it\n  fix: {keeper.fix}, then continue with: {keeper.resume}")
        return ExitStatus.INVALID, None
    except InputError as error:  # a session says why it could not be written, and what to do
        env.problems(error)
        env.err(f"The answers before this one are saved in {keeper.where}; continue with: {keeper.resume}")
        return ExitStatus.INVALID, None
    console.print()
    console.rule("Advice")
    profile, result = print_advice(advisor, answers, keeper.source, console, details)
    lines = not_asked_lines(answers, planner.questions)
    if lines:
        console.print("\n[bold]Questions not asked[/bold]")
        for line in lines:
            console.print(f"  - {line}", highlight=False, markup=False)
    return ExitStatus.OK, Finished(ui, profile, result)
