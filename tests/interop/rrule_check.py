#!/usr/bin/env python3
"""Compare secretaire's recurrence expansion with a reference implementation.

Input: the JSON-lines file written by
  SECRETAIRE_RRULE_CASES=$dir cargo test --test recurrence write_reference_cases -- --ignored
Each line: {"dtstart": "2026-01-05T09:00:00" | "2026-01-05", "tzid": "Europe/Stockholm",
            "duration_minutes": 30, "rrule": "FREQ=...", "exdates": ["2026-01-07T09:00:00"],
            "rdates": [...], "from": RFC 3339 UTC, "to": RFC 3339 UTC,
            "expected": [RFC 3339 UTC starts, sorted]}
Each case becomes one VCALENDAR, expanded with recurring_ical_events + icalendar over
[from, to). Exits 1 on any mismatch (printing the first few), 2 on bad input.
Prints "rrule: N/N cases equal the reference".
"""
import datetime as dt
import json
import sys

try:
    import icalendar
    import recurring_ical_events
except ImportError as e:  # pragma: no cover
    print(f"rrule: missing Python package ({e}); pip install icalendar recurring-ical-events",
          file=sys.stderr)
    sys.exit(2)

UTC = dt.timezone.utc


def ics_value(local: str, all_day: bool) -> str:
    if all_day:
        return local.replace("-", "")[:8]
    return dt.datetime.fromisoformat(local).strftime("%Y%m%dT%H%M%S")


def build(case: dict) -> str:
    all_day = len(case["dtstart"]) == 10
    tz = case["tzid"]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//secretaire//rrule check//EN",
        "BEGIN:VEVENT",
        f"UID:case-{case.get('id', 0)}@secretaire",
        "DTSTAMP:20260101T000000Z",
        "SUMMARY:case",
    ]
    if all_day:
        start = dt.date.fromisoformat(case["dtstart"])
        days = max(1, case.get("duration_minutes", 1440) // 1440)
        lines.append(f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}")
        lines.append(f"DTEND;VALUE=DATE:{(start + dt.timedelta(days=days)).strftime('%Y%m%d')}")
    else:
        lines.append(f"DTSTART;TZID={tz}:{ics_value(case['dtstart'], False)}")
        lines.append(f"DURATION:PT{int(case['duration_minutes'])}M")
    if case.get("rrule"):
        lines.append(f"RRULE:{case['rrule']}")
    for key, prop in (("exdates", "EXDATE"), ("rdates", "RDATE")):
        for v in case.get(key, []):
            if all_day:
                lines.append(f"{prop};VALUE=DATE:{ics_value(v, True)}")
            else:
                lines.append(f"{prop};TZID={tz}:{ics_value(v, False)}")
    lines += ["END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join(lines)


def to_utc_text(value, tzid: str) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            from zoneinfo import ZoneInfo
            value = value.replace(tzinfo=ZoneInfo(tzid))
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    # a date: midnight in the case's zone
    from zoneinfo import ZoneInfo
    mid = dt.datetime(value.year, value.month, value.day, tzinfo=ZoneInfo(tzid))
    return mid.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(UTC)


def norm(s: str) -> str:
    return parse_utc(s).strftime("%Y-%m-%dT%H:%M:%SZ")


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: rrule_check.py rrule_cases.jsonl", file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            cases = [json.loads(l) for l in f if l.strip()]
    except (OSError, ValueError) as e:
        print(f"rrule: cannot read {sys.argv[1]}: {e}", file=sys.stderr)
        return 2
    if not cases:
        print("rrule: no cases in the file", file=sys.stderr)
        return 2
    equal = 0
    shown = 0
    for i, case in enumerate(cases):
        case.setdefault("id", i)
        text = build(case)
        try:
            cal = icalendar.Calendar.from_ical(text)
            lo, hi = parse_utc(case["from"]), parse_utc(case["to"])
            if len(case["dtstart"]) == 10:
                # All-day: the window is whole local days in the case's zone; hand the
                # reference dates (it reads dates as floating in the window's zone).
                from zoneinfo import ZoneInfo
                z = ZoneInfo(case["tzid"])
                lo, hi = lo.astimezone(z).date(), hi.astimezone(z).date()
            got = recurring_ical_events.of(cal).between(lo, hi)
            ref = sorted(to_utc_text(e["DTSTART"].dt, case["tzid"]) for e in got)
        except Exception as e:  # the reference failed: report, count as mismatch
            ref = [f"reference error: {type(e).__name__}: {e}"]
        ours = sorted(norm(s) for s in case["expected"])
        if ref == ours:
            equal += 1
        else:
            shown += 1
            if shown <= 10:
                only_ref = [x for x in ref if x not in ours]
                only_ours = [x for x in ours if x not in ref]
                print(f"MISMATCH case {case['id']}: DTSTART;TZID={case['tzid']}:{case['dtstart']} "
                      f"RRULE:{case['rrule']} EXDATE:{case.get('exdates', [])} "
                      f"window [{case['from']}, {case['to']})\n"
                      f"  only in reference ({len(only_ref)}): {only_ref[:6]}\n"
                      f"  only in ours ({len(only_ours)}): {only_ours[:6]}")
    print(f"rrule: {equal}/{len(cases)} cases equal the reference")
    return 0 if equal == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
