"""The next deadlines of the instruments that fit a researcher: a list to read, and an iCalendar file to import."""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

from icalendar import Alarm, Calendar, Event
from rich.console import Console
from rich.text import Text

from advisor.contract.result import ExplainedResult, NextCall
from advisor.contract.words import day

FITTING = ("recommended", "possible")
SAYS = {"recommended": "recommended for you", "possible": "also open to you"}
REMINDER = dt.timedelta(days=14)  # the alarm before each deadline
PRODUCT = "-//advisor//International cooperation deadlines//EN"


@dataclass(frozen=True)
class Deadline:
    """One instrument's next call, and what to do for it."""

    rule_id: str
    title: str
    verdict: str
    call: NextCall
    first_step: str | None


def deadlines(result: ExplainedResult) -> list[Deadline]:
    """The next call of each recommended or possible instrument that has calls, soonest first."""
    found = [Deadline(a.id, a.title, a.verdict, a.next_call, a.next_steps[0] if a.next_steps else None)
             for a in result.results if a.verdict in FITTING and a.next_call is not None]
    return sorted(found, key=lambda d: (d.call.closes, d.rule_id))


def print_deadlines(found: list[Deadline], result: ExplainedResult, console: Console) -> None:
    """Each deadline on one line (date, call, instrument and verdict), its official page under it."""
    who = result.profile.name or result.profile.source or "this profile"
    if not found:
        console.print(f"No call ahead for the instruments that fit {who} on {day(result.as_of)}.")
        return
    console.print(Text(f"Next deadlines for {who}, as of {day(result.as_of)}", "bold"))
    width = max(len(day(d.call.closes)) for d in found)
    under = " " * (width + 2)
    for deadline in found:
        call = deadline.call
        lines = textwrap.wrap(f"{call.name}: {deadline.title} ({SAYS[deadline.verdict]})",
                              max(console.width - len(under), 30))
        console.print(Text(f"\n{day(call.closes):<{width}}  ", "bold yellow") + Text(lines[0]))
        for line in lines[1:]:
            console.print(under + line, highlight=False)
        if call.expected:
            console.print(Text(f"{under}expected, from past calls", "italic"))
        if call.page:
            console.print(f"{under}{call.page}", soft_wrap=True, crop=False)  # a link is never cut


def ics(found: list[Deadline], result: ExplainedResult, now: dt.datetime) -> str:
    """An iCalendar file with one all-day event per deadline, each with a reminder two weeks before."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "International cooperation deadlines")
    for deadline in found:
        call = deadline.call
        event = Event()
        event.add("uid", f"{call.name}.{deadline.rule_id}@advisor".replace(" ", "-"))  # an update replaces it
        event.add("dtstamp", now)
        event.add("dtstart", call.closes)
        event.add("dtend", call.closes + dt.timedelta(days=1))
        event.add("summary", f"Deadline: {call.name} ({deadline.title})")
        event.add("description", _description(deadline, result))
        if call.page:
            event.add("url", call.page)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{call.name} closes in two weeks")
        alarm.add("trigger", -REMINDER)
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _description(deadline: Deadline, result: ExplainedResult) -> str:
    call = deadline.call
    lines = [f"{deadline.title}: {SAYS[deadline.verdict]} on {day(result.as_of)}."]
    if call.opens:
        lines.append(f"The call opens on {day(call.opens)}.")
    if call.expected:
        lines.append("These dates are expected from past calls: check the official page once the call is published.")
    if deadline.first_step:
        lines.append(f"Next step: {deadline.first_step}")
    if call.page:
        lines.append(call.page)
    return "\n".join(lines)
