"""`advisor session whatif NAME FIELD=VALUE...`: the verdicts that change with other answers, and why."""

from __future__ import annotations

from rich.text import Text

from advisor.advice.compare import VerdictChange, verdict_changes
from advisor.cli.options import add_advisor_options, advisor_from, open_store
from advisor.cli.session import add_changes, add_name, assignments
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.questionnaire.whatif import ask_changes
from advisor.render.sidebyside import whatif_table
from advisor.sessions.whatif import Assignment, apply, scenario_record


def configure(parser, argv) -> None:
    add_name(parser)
    add_changes(parser)
    parser.add_argument("--save", metavar="SCENARIO", help="keep this what-if in the session under this name")
    parser.add_argument("--apply", action="store_true", help="make the changed answers the session's answers")
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    session = open_store(args, env).open(args.name)
    current = session.profile()
    changes = assignments(args) or ask_changes(current, env)
    if not changes:
        return ExitStatus.USAGE
    changed = apply(current, changes)
    advisor = advisor_from(args, env)
    before = advisor.explain(advisor.evaluate(current, f"session {session.name}"))
    after = advisor.explain(advisor.evaluate(changed, f"session {session.name} (what if)"))
    _print(changes, verdict_changes(before, after), len(after.results), env)
    if args.save:
        path = session.save_scenario(args.save, scenario_record(changes, before, after, session.revision(), changed))
        env.out(f"Scenario {args.save} kept in {path}")
    if args.apply:
        session.update_profile(lambda current: apply(current, changes), by="whatif " + "; ".join(map(str, changes)))
        env.out(f"The what-if answers are now the answers of {session.name}.")
    return ExitStatus.OK


def _print(changes: list[Assignment], verdicts: list[VerdictChange], total: int, env: Environment) -> None:
    console = env.console()
    title = "What if " + "; ".join(map(str, changes))
    if not verdicts:
        console.print(Text(f"{title}: no verdict changes ({total} recommendations evaluated)."))
        return
    console.print(whatif_table(verdicts, title))
    console.print(Text(f"{len(verdicts)} verdict(s) change; {total - len(verdicts)} stay the same.", style="dim"))
