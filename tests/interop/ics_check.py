#!/usr/bin/env python3
"""Check secretaire's .ics files with independent readers.

Usage:
  ics_check.py parse  DIR_OR_FILE...   python-icalendar parses every file strictly
  ics_check.py expand DIR              recurring_ical_events occurrences == ours (DIR/expected.json)
  ics_check.py khal   DIR KHAL_LIST    khal's `list` output (uid|start|end|title) shows our items
  ics_check.py calcurse DIR QDIR       calcurse -Q output (QDIR/NAME.ics.txt) shows single events
  ics_check.py tzoffsets DIR           the VTIMEZONE blocks, read by python-icalendar and by vobject,
                                       give chrono-tz's offsets for 2030-2040 (DIR/expected.json)

`parse` also checks what python-icalendar does not enforce: CRLF line ends, lines of at most 75
octets, one VERSION/PRODID, UID+DTSTAMP on every VEVENT/VTODO, a VTIMEZONE for every TZID used
(and no DTSTAMP/UID inside one), and all-day DTEND after DTSTART. When DIR/expected.json names a
file, its VEVENT/VTODO counts must match.

Each mode prints one line per file ("ok ..." or "FAIL ...") and a summary line
"<mode>: N files passed, M failed"; the exit status is 1 when anything failed.
"""
import datetime as dt
import json
import os
import sys

try:
    import icalendar
except ImportError:  # pragma: no cover
    print("ics_check: python package 'icalendar' is missing (pip install icalendar)", file=sys.stderr)
    sys.exit(2)


def load_expected(d):
    p = os.path.join(d, "expected.json")
    if not os.path.exists(p):
        return None
    with open(p, encoding="utf-8") as f:
        return json.load(f)


def files_in(args):
    out = []
    for a in args:
        if os.path.isdir(a):
            out += sorted(os.path.join(a, n) for n in os.listdir(a) if n.endswith(".ics"))
        else:
            out.append(a)
    return out


def component_errors(cal):
    errs = []
    for c in cal.walk():
        for e in getattr(c, "errors", []) or []:
            errs.append(f"{c.name}: {e}")
    return errs


def check_text(raw):
    """Line-level rules; returns a list of problems."""
    problems = []
    if b"\n" in raw.replace(b"\r\n", b""):
        problems.append("a line ends in LF without CR")
    if b"\r" in raw.replace(b"\r\n", b""):
        problems.append("a bare CR")
    for i, line in enumerate(raw.split(b"\r\n"), 1):
        if len(line) > 75:
            problems.append(f"line {i} has {len(line)} octets")
            break
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"not UTF-8: {e}")
    return problems


def check_parse(path, expected):
    raw = open(path, "rb").read()
    problems = check_text(raw)
    try:
        cals = icalendar.Calendar.from_ical(raw, multiple=True)
    except Exception as e:  # noqa: BLE001 - any parser failure is a rejection
        return False, f"python-icalendar refused it: {e}"
    if len(cals) != 1:
        problems.append(f"{len(cals)} VCALENDARs")
    counts = {"VEVENT": 0, "VTODO": 0}
    for cal in cals:
        problems += component_errors(cal)
        for key in ("VERSION", "PRODID"):
            n = len(cal.property_items(recursive=False)) and sum(1 for k, _ in cal.property_items(recursive=False) if k == key)
            if n != 1:
                problems.append(f"{n} {key} lines")
        zones = {str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")}
        for tz in cal.walk("VTIMEZONE"):
            for sub in [tz] + list(tz.subcomponents):
                if "DTSTAMP" in sub or "UID" in sub:
                    problems.append(f"DTSTAMP/UID inside VTIMEZONE {tz.get('TZID')}")
        for comp in cal.walk():
            if comp.name in counts:
                counts[comp.name] += 1
                for key in ("UID", "DTSTAMP"):
                    if key not in comp:
                        problems.append(f"{comp.name} without {key}")
            if comp.name in ("VEVENT", "VTODO"):
                for name, value in comp.property_items(recursive=False):
                    tzid = value.params.get("TZID") if hasattr(value, "params") else None
                    if tzid and tzid not in zones:
                        problems.append(f"TZID {tzid} has no VTIMEZONE")
            if comp.name == "VEVENT" and "DTEND" in comp:
                s, e = comp.decoded("DTSTART"), comp.decoded("DTEND")
                if not isinstance(s, dt.datetime) and s >= e:
                    problems.append(f"all-day DTEND not after DTSTART ({comp.get('UID')})")
    name = os.path.basename(path)
    if expected:
        for f in expected["files"]:
            if f["file"] == name:
                if counts["VEVENT"] != f["vevents"] or counts["VTODO"] != f["vtodos"]:
                    problems.append(
                        f"python-icalendar read {counts['VEVENT']} VEVENT/{counts['VTODO']} VTODO, "
                        f"expected {f['vevents']}/{f['vtodos']}"
                    )
    if problems:
        return False, "; ".join(sorted(set(problems))[:8])
    return True, f"{counts['VEVENT']} events, {counts['VTODO']} todos"


def fmt(v):
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            return None
        return v.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return v.strftime("%Y-%m-%d")


def check_expand(d, expected):
    import recurring_ical_events

    lo = dt.datetime.fromisoformat(expected["window"][0])
    hi = dt.datetime.fromisoformat(expected["window"][1])
    results = []
    for f in expected["files"]:
        path = os.path.join(d, f["file"])
        cal = icalendar.Calendar.from_ical(open(path, "rb").read())
        got = {}
        for ev in recurring_ical_events.of(cal).between(lo, hi):
            s = ev.decoded("DTSTART")
            e = ev.decoded("DTEND") if "DTEND" in ev else s
            got.setdefault(str(ev.get("UID")), []).append(f"{fmt(s)}/{fmt(e)}")
        got = {k: sorted(v) for k, v in got.items()}
        want = f["occurrences"]
        if got == want:
            n = sum(len(v) for v in want.values())
            results.append((True, f["file"], f"{n} occurrences of {len(want)} items agree"))
        else:
            diffs = []
            for uid in sorted(set(got) | set(want)):
                g, w = set(got.get(uid, [])), set(want.get(uid, []))
                if g != w:
                    diffs.append(f"{uid}: only ours {sorted(w - g)[:3]}, only theirs {sorted(g - w)[:3]}")
            results.append((False, f["file"], "; ".join(diffs)[:1500]))
    return results


KHAL_TZ = os.environ.get("KHAL_TZ", "Europe/Stockholm")


def khal_start(s):
    """Our start (UTC instant or date) as khal lists it: local time in its local_timezone."""
    if "T" not in s:
        return s
    from zoneinfo import ZoneInfo

    t = dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    return t.astimezone(ZoneInfo(KHAL_TZ)).strftime("%Y-%m-%d %H:%M")


def check_khal(d, expected, listing):
    rows = {}
    with open(listing, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("|")
            if len(parts) >= 4:
                rows.setdefault(parts[0], set()).add(parts[1])
    results = []
    for f in expected["files"]:
        want = f["occurrences"]
        if f["vevents"] == 0:
            continue
        bad = []
        for uid, occ in want.items():
            ours = {khal_start(o.split("/")[0]) for o in occ}
            theirs = rows.get(uid, set())
            if ours != theirs:
                bad.append(
                    f"{uid}: only ours {sorted(ours - theirs)[:3]}, only khal {sorted(theirs - ours)[:3]}"
                )
        if bad:
            results.append((False, f["file"], "; ".join(bad)))
        else:
            n = sum(len(v) for v in want.values())
            results.append((True, f["file"], f"{len(want)} items, {n} occurrence starts listed as ours"))
    return results


def check_calcurse(d, expected, listing_dir):
    """calcurse -Q output (TZ=KHAL_TZ) shows each single timed event at our local start.

    calcurse keeps one wall clock: it converts a TZID once at import, so series whose zone
    changes offset at other dates than the local one drift; only single events are compared.
    """
    from zoneinfo import ZoneInfo

    results = []
    for f in expected["files"]:
        path = os.path.join(listing_dir, f["file"] + ".txt")
        if not os.path.exists(path):
            continue
        lines = open(path, encoding="utf-8").read().splitlines()
        seen = set()
        day = None
        for i, line in enumerate(lines):
            if line.endswith(":") and not line.startswith((" ", "\t")):
                day = line[:-1]
            elif line.startswith(" - ") and i + 1 < len(lines):
                seen.add((day, line[3:8], lines[i + 1].strip()))
        want = set()
        for uid, occ in f["occurrences"].items():
            if len(occ) != 1 or "T" not in occ[0]:
                continue
            t = dt.datetime.strptime(occ[0].split("/")[0], "%Y-%m-%dT%H:%M:%SZ")
            t = t.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(KHAL_TZ))
            want.add((t.strftime("%m/%d/%y"), t.strftime("%H:%M"), f["summaries"][uid].strip()))
        if not want:
            continue
        missing = want - seen
        if missing:
            results.append((False, f["file"], f"calcurse does not show {sorted(missing)[:3]}"))
        else:
            results.append((True, f["file"], f"{len(want)} single events at our local start"))
    return results


def check_tzoffsets(d, expected):
    """Readers that use the VTIMEZONE block (not their own zone database) give chrono-tz's
    offsets decades out: python-icalendar's Timezone.to_tz() and vobject's tzinfo."""
    spec = expected.get("tz_offsets")
    if not spec:
        return [(False, "expected.json", "no tz_offsets")]
    path = os.path.join(d, spec["file"])
    raw = open(path, "rb").read()
    cal = icalendar.Calendar.from_ical(raw)
    ical_tz = {str(c["TZID"]): c.to_tz() for c in cal.walk("VTIMEZONE")}
    results = []
    try:
        import vobject

        vcal = vobject.readOne(raw.decode("utf-8"))
        vob_tz = {}
        for ev in vcal.vevent_list:
            tzinfo = ev.dtstart.value.tzinfo
            params = ev.dtstart.params
            tzid = (params.get("TZID") or params.get("X-VOBJ-ORIGINAL-TZID") or [None])[0]
            if tzid and tzinfo is not None:
                vob_tz[tzid] = tzinfo
    except Exception as e:  # noqa: BLE001
        return [(False, spec["file"], f"vobject refused it: {e}")]
    for reader, zones in (("python-icalendar", ical_tz), ("vobject", vob_tz)):
        bad, n = [], 0
        for tzid, local, want in spec["checks"]:
            tz = zones.get(tzid)
            if tz is None:
                bad.append(f"{tzid}: no zone")
                continue
            t = dt.datetime.fromisoformat(local).replace(tzinfo=tz)
            got = int(t.utcoffset().total_seconds())
            n += 1
            if got != want:
                bad.append(f"{tzid} {local}: {got} s, chrono-tz {want} s")
        if bad:
            results.append((False, f"{spec['file']} ({reader})", f"{len(bad)} of {len(spec['checks'])}: " + "; ".join(bad[:4])))
        else:
            results.append((True, f"{spec['file']} ({reader})", f"{n} offsets in 2030-2040 equal chrono-tz's"))
    return results


def report(mode, results):
    failed = 0
    for ok, name, msg in results:
        print(f"{'ok  ' if ok else 'FAIL'} {mode} {name}: {msg}")
        failed += not ok
    print(f"{mode}: {len(results) - failed} files passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    mode = argv[1]
    if mode == "parse":
        paths = files_in(argv[2:])
        if not paths:
            print("parse: no .ics files given", file=sys.stderr)
            return 2
        results = []
        for p in paths:
            expected = load_expected(os.path.dirname(p))
            ok, msg = check_parse(p, expected)
            results.append((ok, os.path.basename(p), msg))
        return report("python-icalendar", results)
    if mode == "expand":
        expected = load_expected(argv[2])
        if expected is None:
            print("expand: no expected.json", file=sys.stderr)
            return 2
        return report("recurring-ical-events", check_expand(argv[2], expected))
    if mode == "calcurse" and len(argv) == 4:
        expected = load_expected(argv[2])
        if expected is None:
            print("calcurse: no expected.json", file=sys.stderr)
            return 2
        return report("calcurse-query", check_calcurse(argv[2], expected, argv[3]))
    if mode == "tzoffsets":
        expected = load_expected(argv[2])
        if expected is None:
            print("tzoffsets: no expected.json", file=sys.stderr)
            return 2
        return report("vtimezone", check_tzoffsets(argv[2], expected))
    if mode == "khal" and len(argv) == 4:
        expected = load_expected(argv[2])
        if expected is None:
            print("khal: no expected.json", file=sys.stderr)
            return 2
        return report("khal-list", check_khal(argv[2], expected, argv[3]))
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
