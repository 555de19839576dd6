"""Drive the real questionnaire prompts with scripted key presses (prompt_toolkit's pipe input).

A script is a list of steps, each naming the prompt it expects (`at`: a step
key such as `career_stage` or `partner_stage[0]`, or `review`) and what the
person does there:

- `choose: LABEL`: move from the highlighted choice to LABEL and press Enter;
- `tick: [LABEL, ...]`: in a tick list, toggle each LABEL with Space, then Enter;
- `type: TEXT`: clear the typed answer (Ctrl-U), type TEXT, press Enter;
- `keys: [...]`: raw keys: enter, up, down, left, space, back (Ctrl-B), ctrl-c, ctrl-u, or literal text.
"""

from __future__ import annotations

import io
from typing import Any

from prompt_toolkit.output import DummyOutput
from rich.console import Console

from advisor.questionnaire.prompts import DONT_KNOW, GO_BACK, TerminalUI
from advisor.questionnaire.state import UNKNOWN

KEYS = {"enter": "\r", "up": "\x1b[A", "down": "\x1b[B", "left": "\x1b[D", "space": " ", "back": "\x02",
        "ctrl-c": "\x03", "ctrl-u": "\x15"}


class ScriptEnded(AssertionError):
    pass


class ScriptedTerminal(TerminalUI):
    """The terminal prompts, fed from a script; checks that each prompt is the one the script expects."""

    def __init__(self, script: list[dict[str, Any]], pipe):
        self.transcript = io.StringIO()
        super().__init__(Console(file=self.transcript, width=100), input=pipe, output=DummyOutput())
        self.pipe = pipe
        self.script = list(script)
        self.visited: list[str] = []
        self.step: dict[str, Any] = {}

    def _expect(self, at: str) -> None:
        self.visited.append(at)
        if not self.script:
            raise ScriptEnded(f"the questionnaire asked '{at}' after the script ended; visited {self.visited}")
        self.step = self.script.pop(0)
        assert self.step["at"] == at, f"the script expects '{self.step['at']}', the questionnaire asked '{at}' " \
                                      f"(visited {self.visited})"
        if "keys" in self.step:
            self._send(self.step["keys"])
        elif "type" in self.step:
            self._send(["ctrl-u", str(self.step["type"]), "enter"])

    def _send(self, keys: list[str]) -> None:
        self.pipe.send_text("".join(KEYS.get(key, key) for key in keys))

    def _move(self, labels: list[str], start: int, target: str) -> list[str]:
        assert target in labels, f"'{target}' is not among the choices {labels}"
        moves = labels.index(target) - start
        return ["down"] * moves if moves > 0 else ["up"] * -moves

    def ask(self, prompt):
        self._expect(prompt.step.key)
        return super().ask(prompt)

    def review(self, items, can_go_back, can_add_partner):
        self._expect("review")
        return super().review(items, can_go_back, can_add_partner)

    def select(self, message, choices, default=None, dont_know=False, back=False):
        if "choose" in self.step:
            values = [v for v, _ in choices] + [UNKNOWN] * dont_know + [None] * back
            labels = [label for _, label in choices] + [DONT_KNOW] * dont_know + [GO_BACK] * back
            start = values.index(default) if default is not None and default in values else 0
            self._send(self._move(labels, start, self.step["choose"]) + ["enter"])
        return super().select(message, choices, default, dont_know, back)

    def tick(self, message, choices, default=None):
        if "tick" in self.step:
            labels = [label for _, label in choices] + [DONT_KNOW]
            keys, at = [], 0
            for label in self.step["tick"]:
                keys += self._move(labels, at, label) + ["space"]
                at = labels.index(label)
            self._send(keys + ["enter"])
        return super().tick(message, choices, default)
