"""`advisor session ask NAME`: the questionnaire of `advisor ask`, with the session keeping every answer."""

from __future__ import annotations

from advisor.cli.options import (
    add_details_option,
    add_engine_option,
    add_rules_option,
    advisor_from,
    open_store,
)
from advisor.cli.session import add_name
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.io.private import in_use
from advisor.questionnaire.in_session import session_answers, session_saver
from advisor.questionnaire.interview import Keeper, interview, without_prompts
from advisor.questionnaire.planner import Planner
from advisor.questionnaire.questions import load_questions


def configure(parser, argv) -> None:
    add_name(parser)
    add_details_option(parser)
    parser.add_argument("--no-input", action="store_true",
                        help="never prompt: list the answers still needed and advise on the rest (the default when "
                             "standard input or output is not a terminal)")
    add_rules_option(parser)
    add_engine_option(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    session = open_store(args, env).open(args.name)
    advisor = advisor_from(args, env)
    version = advisor.rulebase.version
    questions = load_questions(advisor.rulebase)
    answers, read, notices = session_answers(session, questions, version)
    for notice in notices:
        env.err(f"notice: {notice}")
    planner = Planner(advisor.rulebase, questions)
    source = f"session {session.name}"
    if args.no_input or not env.interactive:
        result = without_prompts(advisor, planner, answers, source,
                                 f"set them with `advisor session set {session.name} FIELD=VALUE`, or run "
                                 f"`advisor session ask {session.name}` in a terminal", env, args.details)
        session.record_evaluation(result, by="ask")
        return ExitStatus.OK
    keeper = Keeper(session_saver(session, read, version), source, f"advisor session ask {session.name}",
                    f"check that the sessions folder can be written ({session.folder})", source)
    with in_use(session.folder, session.folder / ".ask.lock"):  # a second questionnaire would overwrite this one
        status, finished = interview(advisor, planner, answers, keeper, env, args.details)
    if finished is not None:
        session.record_evaluation(finished.result, by="ask")
        env.out(f"\nThe answers are kept in session {session.name} (`advisor session history {session.name}` lists "
                f"each change). Next: `advisor report --session {session.name} --output {session.name}.html`.")
    return status
