"""`advisor ask`: the questionnaire. Asks only what matters, can go back, saves every answer, resumes."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import yaml
from rich.console import Console

from advisor.cli.options import add_advisor_options, add_details_option, advisor_from
from advisor.errors import InputError, Problem, UsageError, display_path
from advisor.exits import ExitStatus, stopped_by
from advisor.io.environment import Environment
from advisor.io.private import in_use, write_private
from advisor.io.profiles import dump_profile, load_one_profile
from advisor.questionnaire.bookkeeping import SECTION, answers_from_profile
from advisor.questionnaire.interview import Keeper, interview, without_prompts
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.questions import QuestionSet, load_questions
from advisor.questionnaire.state import Answers
from advisor.questionnaire.store import AnswersFile
from advisor.render.text import render_text
from advisor.rulebase.loader import Rulebase

DEFAULT_ANSWERS = "answers.yaml"


def configure(parser, argv) -> None:
    parser.description = ("Ask only the questions that still matter for the advice, save every answer at once (an "
                          "answers file that `advisor evaluate` reads as a profile), then show the advice. In the "
                          "prompts: ← or Ctrl-B goes back (type < in typed answers), Ctrl-C stops; `--resume FILE` "
                          "continues.")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--resume", metavar="FILE", type=Path,
                        help="continue the questionnaire whose answers are in FILE (and keep saving there)")
    source.add_argument("--answers", metavar="FILE", type=Path,
                        help="pre-fill from a profile file and ask only what is missing")
    parser.add_argument("--save", metavar="FILE", type=Path,
                        help=f"where to save the answers (default: {DEFAULT_ANSWERS}, or answers-2.yaml ... "
                             "when it exists); an existing file is never overwritten")
    add_details_option(parser)
    parser.add_argument("--no-input", action="store_true",
                        help="never prompt: use the answers given and list what is missing (the default when "
                             "standard input or output is not a terminal)")
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def _free_path(wanted: Path | None) -> Path:
    if wanted is not None:
        return wanted
    path, n = Path(DEFAULT_ANSWERS), 1
    while path.exists():
        n += 1
        path = Path(f"answers-{n}.yaml")
    return path


def _start(args, questions: QuestionSet, rulebase: Rulebase) -> tuple[Answers, AnswersFile, list[str]]:
    """The answers to start from, the answers file, and notices; raises InputError."""
    notices: list[str] = []
    if args.resume:
        store = AnswersFile(args.resume, rulebase.version)
        answers, notices = store.load(questions)
    else:
        data = {"schema_version": 1}
        if args.answers:
            data = dump_profile(load_one_profile(args.answers, "pre-filling takes",
                                                 "pre-fill from a file holding one profile").profile)
            data.pop(SECTION, None)  # pre-filling starts a new questionnaire
        store = AnswersFile(_free_path(args.save), rulebase.version)
        answers, _ = answers_from_profile(data, questions)
        if args.save and args.save.exists():
            raise InputError(Problem(display_path(args.save), "already exists and is not overwritten",
                                     fix=f"continue it with --resume {display_path(args.save)}, or choose another "
                                         "--save"))
    if args.as_of:
        answers.data["as_of"] = args.as_of.isoformat()
    return answers, store, notices


def run(args, env: Environment) -> ExitStatus:
    if args.resume and args.save:
        raise UsageError("--resume keeps saving to the file it continues; --save is for new questionnaires")
    advisor = advisor_from(args, env)
    questions = load_questions(advisor.rulebase)
    answers, store, notices = _start(args, questions, advisor.rulebase)
    for notice in notices:
        env.err(f"notice: {notice}")
    planner = Planner(advisor.rulebase, questions)
    if args.no_input or not env.interactive:
        source = args.resume or args.answers
        without_prompts(advisor, planner, answers, display_path(source) if source else None,
                        "add them to the profile file, or run the same `advisor ask` command in a terminal", env,
                        args.details)
        return ExitStatus.OK
    shown = display_path(store.path)
    keeper = Keeper(store.save, shown, f"advisor ask --resume {shown}", "choose a writable place with --save FILE",
                    shown)
    with contextlib.ExitStack() as held:
        held.enter_context(in_use(store.path, store.lock))  # two questionnaires on one file would overwrite
        status, finished = interview(advisor, planner, answers, keeper, env, args.details)
        if finished is None:
            return status
        try:
            _offer_to_save(finished.ui, finished.profile, advisor.explain(finished.result), advisor.catalogue)
        except (KeyboardInterrupt, EOFError) as stop:
            finished.ui.console.print(f"\nYour answers are in {shown}.", markup=False)
            return stopped_by(stop)
    return ExitStatus.OK


def _offer_to_save(ui, profile, result, catalogue) -> None:
    """Offer to write the profile (without the questionnaire's notes) and the advice (text, or JSON with its texts)."""
    def target(message: str, default: str) -> Path | None:
        path = Path(ui.path(message, default))
        if path.exists() and not ui.confirm(f"{path} exists. Replace it?", default=False):
            return None
        return path

    ui.console.print()
    if ui.confirm("Save your profile to a file (for `advisor evaluate` and later runs)?", default=True):
        path = target("Profile file:", "profile.yaml")
        if path:
            data = dump_profile(profile.model_copy(update={"questionnaire": None}))
            write_private(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
            ui.console.print(f"Profile saved in {path}.", markup=False)
    if ui.confirm("Save the advice to a file?", default=True):
        path = target("Advice file (.txt, .md or .json):", "advice.txt")
        if path:
            if path.suffix.lower() == ".json":
                text = json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
            else:
                buffer = io.StringIO()
                render_text(result, Console(file=buffer, width=100, color_system=None, highlight=False), catalogue,
                            details=True)
                text = buffer.getvalue()
            write_private(path, text)
            ui.console.print(f"Advice saved in {path}.", markup=False)
