"""The terminal prompts of `advisor ask` (questionary), with "back" and "I don't know".

questionary has no "back": every list offers a "← Back" choice and the ←
key, and every prompt takes Ctrl-B; in typed answers, `<` alone goes back.
"I don't know" is a choice in lists, and an empty typed answer. Ctrl-C
stops (the answers are already saved). `input` and `output` let tests drive
the real prompts through prompt_toolkit's pipe input.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from questionary import Choice, Separator
from rich.console import Console
from rich.markup import escape

from advisor.contract.countries import country_name
from advisor.exits import asked
from advisor.questionnaire.flow import Prompt, ReviewItem
from advisor.questionnaire.state import ADD_PARTNER, BACK, DONE, UNKNOWN

BACK_KEY = "c-b"
BACK_TEXT = "<"
DONT_KNOW = "I don't know"
GO_BACK = "← Back"
CONFIRM = "✓ All correct: show my advice"
ADD_ANOTHER = "+ Describe another partner"
LIST_HELP = "(↑↓ then Enter · ← back)"
TICK_HELP = "(Space ticks, Enter confirms · ← back)"
TYPE_HELP = "(Enter alone: I don't know · < or Ctrl-B: back)"


def _back_on(question, keys: tuple[str, ...]):
    """Make `keys` end the prompt with BACK."""
    bindings = KeyBindings()
    for key in keys:
        bindings.add(key, eager=True)(lambda event: event.app.exit(result=BACK))
    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings]) if app.key_bindings else bindings
    return question


class TerminalUI:
    """Asks the steps of a questionnaire in a terminal."""

    def __init__(self, console: Console, input=None, output=None):
        self.console = console
        self.io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}

    def say(self, text: str) -> None:
        self.console.print(text, style="yellow", highlight=False)

    def _header(self, prompt: Prompt) -> None:
        where = f" · {prompt.partner}" if prompt.partner else ""
        self.console.print(f"\n[bold]Question {prompt.number} of about {prompt.total}[/bold]{escape(where)}",
                           highlight=False)
        if prompt.step.question.spec.help and not prompt.step.another:
            self.console.print(escape(prompt.step.question.spec.help), style="dim", highlight=False)

    def ask(self, prompt: Prompt) -> Any:
        self._header(prompt)
        question, default = prompt.step.question, prompt.default
        if prompt.step.another:
            choices = [(True, "Yes, describe another partner"), (False, "No, that is all")]
            return self.select(question.spec.add_another, choices, False if default is None else default,
                               dont_know=False, back=True)
        if question.type in ("single", "yes_no", "group"):
            return self.select(question.spec.prompt, question.choices(), default, dont_know=True, back=True)
        if question.type == "multiple":
            return self.tick(question.spec.prompt, question.choices(), default)
        shown = "" if default in (None, UNKNOWN) else str(default.isoformat() if isinstance(default, dt.date) else default)
        reply = self.type_in(question.spec.prompt, lambda text: question.read(text, prompt.year), shown)
        if question.type == "country" and reply not in (BACK, UNKNOWN):  # how a name typed was understood
            self.console.print(f"  {country_name(reply)} ({reply})", style="dim", highlight=False)
        return reply

    def select(self, message: str, choices: list[tuple[Any, str]], default: Any = None, dont_know: bool = False,
               back: bool = False) -> Any:
        """One choice of a list; returns its value, UNKNOWN or BACK."""
        items: list = [Choice(label, value) for value, label in choices]
        if dont_know or back:
            items.append(Separator())
        if dont_know:
            items.append(Choice(DONT_KNOW, UNKNOWN))
        if back:
            items.append(Choice(GO_BACK, BACK))
        values = [c.value for c in items if isinstance(c, Choice)]
        prompt = questionary.select(message, items, default=default if default in values else None,
                                    instruction=LIST_HELP if back else None, **self.io)
        return asked(_back_on(prompt, (BACK_KEY, "left")) if back else prompt)

    def tick(self, message: str, choices: list[tuple[Any, str]], default: Any = None) -> Any:
        """Any number of choices (a list, possibly empty), UNKNOWN or BACK."""
        ticked = default if isinstance(default, list) else []
        items: list = [Choice(label, value, checked=value in ticked) for value, label in choices]
        items += [Separator(), Choice(DONT_KNOW, UNKNOWN, checked=default is UNKNOWN)]

        def validate(selected: list) -> bool | str:
            return True if UNKNOWN not in selected or len(selected) == 1 else f"tick answers or “{DONT_KNOW}”, not both"
        prompt = questionary.checkbox(message, items, validate=validate, instruction=TICK_HELP, **self.io)
        reply = asked(_back_on(prompt, (BACK_KEY, "left")))
        if reply is BACK:
            return BACK
        return UNKNOWN if reply == [UNKNOWN] else reply

    def type_in(self, message: str, parse: Callable[[str], Any], default: str = "") -> Any:
        """A typed answer read by `parse`; empty means UNKNOWN, `<` means BACK."""
        def validate(text: str) -> bool | str:
            text = text.strip()
            if text in ("", BACK_TEXT):
                return True
            try:
                parse(text)
            except ValueError as error:
                return str(error)
            return True
        bindings = KeyBindings()
        bindings.add(BACK_KEY, eager=True)(lambda event: event.app.exit(result=BACK))
        reply = asked(questionary.text(message, default=default, validate=validate, instruction=TYPE_HELP,
                                       key_bindings=bindings, **self.io))
        if reply is BACK or reply.strip() == BACK_TEXT:
            return BACK
        return UNKNOWN if not reply.strip() else parse(reply.strip())

    def review(self, items: list[ReviewItem], can_go_back: bool, can_add_partner: bool) -> Any:
        self.console.print("\n[bold]Review your answers[/bold]", highlight=False)
        self.console.print("Pick an answer to change it, or confirm to see the advice.", style="dim", highlight=False)
        choices: list[tuple[Any, str]] = [(DONE, CONFIRM)]
        choices += [(item.step, f"{item.label}: {item.shown}") for item in items]
        if can_add_partner:
            choices.append((ADD_PARTNER, ADD_ANOTHER))
        return self.select("Your answers", choices, DONE, back=can_go_back)

    def confirm(self, message: str, default: bool = True) -> bool:
        return asked(questionary.confirm(message, default=default, **self.io))

    def path(self, message: str, default: str) -> str:
        def validate(text: str) -> bool | str:
            return bool(text.strip()) or "give a file name"
        return asked(questionary.text(message, default=default, validate=validate, **self.io)).strip()
