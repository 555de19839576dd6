"""`advisor calendar`: the next deadlines of the instruments that fit, and an iCalendar file read back."""

from __future__ import annotations

import datetime as dt
import stat

from icalendar import Calendar

from .conftest import ROOT

LAURA = ROOT / "profiles" / "laura-5-extension-to-us.yaml"


def _events(path):
    calendar = Calendar.from_ical(path.read_bytes())
    return [component for component in calendar.walk("VEVENT")]


def test_the_list_and_the_ics_file_hold_the_same_deadlines_soonest_first(run_cli, tmp_path):
    target = tmp_path / "deadlines.ics"
    code, out, err = run_cli("calendar", LAURA, "--as-of", "2024-03-01", "--ics", target)
    assert code == 0 and "deadlines written to" in err
    events = _events(target)
    days = [event.decoded("dtstart") for event in events]
    assert days == sorted(days) and all(day >= dt.date(2024, 3, 1) for day in days)
    summaries = [str(event["summary"]) for event in events]
    assert "Deadline: ERC-2024-AdG (ERC Advanced Grant)" in summaries
    assert out.count("\n\n") == len(events)  # one block per deadline in the list
    body = out.splitlines()[2:]
    assert all(not line or line[0].isdigit() or line.startswith("   ") for line in body), out  # hanging indent
    adg = next(event for event in events if "ERC-2024-AdG" in str(event["summary"]))
    assert adg.decoded("dtstart") == dt.date(2024, 8, 29) and adg.decoded("dtend") == dt.date(2024, 8, 30)
    assert str(adg["url"]) == "https://erc.europa.eu/apply-grant/advanced-grant"
    (alarm,) = adg.walk("VALARM")
    assert alarm.decoded("trigger") == -dt.timedelta(days=14)
    assert len({str(event["uid"]) for event in events}) == len(events)
    assert target.read_bytes().count(b"\r\n") == target.read_bytes().count(b"\n")  # CRLF, as RFC 5545 asks
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_dates_extrapolated_from_past_calls_are_said_to_be_expected(run_cli, tmp_path):
    target = tmp_path / "deadlines.ics"
    code, out, _ = run_cli("calendar", LAURA, "--as-of", "2024-03-01", "--ics", target)
    iea = next(event for event in _events(target) if "IEA 2024" in str(event["summary"]))
    assert "expected from past calls" in str(iea["description"])
    adg = next(event for event in _events(target) if "ERC-2024-AdG" in str(event["summary"]))
    assert "expected" not in str(adg["description"])  # published dates
    assert "IEA 2024: International Emerging Action (IEA) (recommended" in out and "expected, from past calls" in out


def test_not_eligible_instruments_have_no_deadline(run_cli):
    code, out, _ = run_cli("calendar", ROOT / "profiles" / "author-2-postdoc-paris.yaml", "--as-of", "2024-03-01")
    assert code == 0 and "-StG" not in out and "-PF-" not in out  # a 2000 PhD is out of both windows
    assert "HORIZON-MSCA-2024-SE-01" in out  # staff exchanges have no window


def test_a_session_gives_its_deadlines(run_cli, sessions):
    run_cli("session", "new", "laura", "--profile", LAURA)
    code, out, _ = run_cli("calendar", "--session", "laura", "--as-of", "2024-03-01")
    assert code == 0 and "ERC-2024-AdG" in out


def test_no_call_ahead_is_said(run_cli):
    code, out, _ = run_cli("calendar", ROOT / "profiles" / "laura-1-erasmus-phd.yaml", "--as-of", "1985-03-01")
    assert code == 0 and "No call ahead" in out


def test_an_unwritable_file_is_a_clear_error(run_cli, tmp_path):
    code, _, err = run_cli("calendar", LAURA, "--ics", tmp_path / "missing" / "x.ics")
    assert code == 1 and "cannot be written" in err and "--ics" in err and "Traceback" not in err


def test_a_profile_or_a_session_is_needed(run_cli):
    assert run_cli("calendar")[0] == 2
