#!/usr/bin/env bash
# Real clients read what secretaire writes. Called by .ci/run after the cargo tests; runs on its
# own from the repository root or anywhere else:  tests/interop/run.sh
#
# 1. python-icalendar parses every exported .ics strictly (tests/interop/ics_check.py parse)
# 2. recurring_ical_events expands each series over a year; occurrences equal ours
# 3. calcurse -i imports each file: expected apps/events/todos, nothing skipped, exit 0
# 4. khal import --batch accepts each file and `khal list` shows every item and occurrence
# 5. the demo database exported through the real binary (when `secretaire demo` exists)
# 6. the recurrence reference check and the vCard check of the other helpers (when present)
#
# Needs: cargo, python3 (venv), calcurse, khal. The Python packages go into a venv in
# $INTEROP_VENV (default tests/interop/.venv, git-ignored). Prints "interop: N passed, M failed"
# last and exits non-zero when any client rejected anything.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 1
WORK="$(mktemp -d "${TMPDIR:-/tmp}/secretaire-interop.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
PASS=0
FAIL=0
pass() { PASS=$((PASS + 1)); echo "ok   $*"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }
skip() { echo "skip $*"; }
finish() {
    echo "interop: $PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ] && exit 0
    exit 1
}

# --- tools -------------------------------------------------------------------------------
missing=""
for tool in cargo python3 calcurse khal; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    echo "interop: missing tools:$missing (apt-get install -y calcurse khal python3-venv)" >&2
    FAIL=$((FAIL + 1))
    finish
fi

VENV="${INTEROP_VENV:-$ROOT/tests/interop/.venv}"
PY="$VENV/bin/python"
if ! "$PY" -c "import icalendar, recurring_ical_events, vobject" >/dev/null 2>&1; then
    echo "interop: preparing the Python venv in $VENV"
    if ! { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q --disable-pip-version-check \
        icalendar recurring-ical-events vobject; } >"$WORK/pip.log" 2>&1; then
        cat "$WORK/pip.log" >&2
        echo "interop: could not set up the venv (python3 -m venv + pip install icalendar recurring-ical-events vobject)" >&2
        FAIL=$((FAIL + 1))
        finish
    fi
fi
echo "interop: $("$PY" -c 'import icalendar, recurring_ical_events as r, vobject; import importlib.metadata as m; print("icalendar", m.version("icalendar"), "/ recurring-ical-events", m.version("recurring-ical-events"), "/ vobject", m.version("vobject"))' 2>/dev/null), $(calcurse --version | head -1), khal $(khal --version 2>/dev/null | awk '{print $NF}')"

# --- our files ---------------------------------------------------------------------------
ICS="$WORK/ics"
mkdir -p "$ICS"
if SECRETAIRE_ICS_OUT="$ICS" cargo test --quiet --locked --test ics write_interop_files \
    -- --ignored --exact >"$WORK/cargo.log" 2>&1 && [ -f "$ICS/expected.json" ]; then
    pass "wrote $(ls "$ICS"/*.ics | wc -l) .ics files and the expected occurrences"
else
    cat "$WORK/cargo.log" >&2
    fail "cargo test --test ics write_interop_files"
    finish
fi

# expected counts for one file: timed allday vtodos
counts() {
    "$PY" - "$ICS/expected.json" "$1" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for f in m["files"]:
    if f["file"] == sys.argv[2]:
        print(f["timed"], f["allday"], f["vtodos"])
EOF
}

# --- 1 + 2: python ------------------------------------------------------------------------
run_py() { # label, args...
    local label="$1"
    shift
    if "$PY" tests/interop/ics_check.py "$@" >"$WORK/py.log" 2>&1; then
        ok=1
    else
        ok=0
    fi
    while IFS= read -r line; do
        case "$line" in
        "ok   "*) pass "${line#ok   }" ;;
        "FAIL "*) fail "${line#FAIL }" ;;
        *) echo "     $line" ;;
        esac
    done <"$WORK/py.log"
    if [ "$ok" = 0 ] && ! grep -q '^FAIL ' "$WORK/py.log"; then
        fail "$label"
    fi
}
run_py "python-icalendar" parse "$ICS"
run_py "recurring-ical-events" expand "$ICS"
run_py "vtimezone offsets" tzoffsets "$ICS"

# --- 3: calcurse --------------------------------------------------------------------------
# calcurse and khal show times in one local zone; the checks convert ours to it.
LOCAL_TZ=Europe/Stockholm
export KHAL_TZ="$LOCAL_TZ"
window_from=$("$PY" -c "import json,sys;print(json.load(open(sys.argv[1]))['window'][0][:10])" "$ICS/expected.json")
CQ="$WORK/calcurse-query"
mkdir -p "$CQ"
cc_ok=0
cc_items=0
for f in "$ICS"/*.ics; do
    name="$(basename "$f")"
    read -r timed allday todos <<<"$(counts "$name")"
    d="$WORK/calcurse-${name%.ics}"
    mkdir -p "$d"
    out="$(TZ="$LOCAL_TZ" TMPDIR="$d" calcurse -D "$d" -i "$f" </dev/null 2>&1)"
    rc=$?
    TZ="$LOCAL_TZ" calcurse -D "$d" --input-datefmt 4 -Q --from "$window_from" --days 366 \
        >"$CQ/$name.txt" 2>&1
    line="$(printf '%s\n' "$out" | grep -E '[0-9]+ apps? / [0-9]+ events? / [0-9]+ todos? / [0-9]+ skipped' | tail -1)"
    want="$timed app / $allday event / $todos todo / 0 skipped"
    got="$(printf '%s' "$line" | sed -E 's/([0-9]+) apps?/\1 app/; s/([0-9]+) events?/\1 event/; s/([0-9]+) todos?/\1 todo/')"
    if [ "$rc" -eq 0 ] && [ "$got" = "$want" ]; then
        pass "calcurse $name: $line"
        cc_ok=$((cc_ok + 1))
        cc_items=$((cc_items + timed + allday + todos))
    else
        fail "calcurse $name: exit $rc, got '$line', expected '$want'"
        printf '%s\n' "$out" | sed 's/^/     /'
    fi
done
echo "     calcurse accepted $cc_ok files, $cc_items items"
run_py "calcurse query" calcurse "$ICS" "$CQ"

# All titles we exported as events, one a line (for the read-back checks).
"$PY" -c 'import json, sys
for f in json.load(open(sys.argv[1]))["files"]:
    for t in f["titles"]:
        print(t)' "$ICS/expected.json" >"$WORK/titles.txt"
read_back() { # label, path
    if SECRETAIRE_ICS_IN="$2" SECRETAIRE_ICS_TITLES="$(cat "$WORK/titles.txt")" \
        cargo test --quiet --locked --test ics read_client_files -- --ignored --exact --nocapture \
        >"$WORK/read.log" 2>&1; then
        pass "$1: $(grep -E '^read ' "$WORK/read.log" | tail -1)"
    else
        grep -vE '^ +[0-9]+:|^ +at ' "$WORK/read.log" | tail -8 | sed 's/^/     /'
        fail "$1"
    fi
}
# calcurse's own export of everything it imported, read back by secretaire.
CX="$WORK/calcurse-export"
mkdir -p "$CX"
for d in "$WORK"/calcurse-*; do
    [ -d "$d" ] && [ "$d" != "$CX" ] && [ "$d" != "$CQ" ] || continue
    calcurse -D "$d" --export >"$CX/$(basename "$d").ics" 2>/dev/null
done
read_back "secretaire reads calcurse --export" "$CX"

# --- 4: khal ------------------------------------------------------------------------------
K="$WORK/khal"
mkdir -p "$K/cal"
cat >"$K/config" <<EOF
[calendars]
[[interop]]
path = $K/cal
type = calendar
[sqlite]
path = $K/khal.db
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = $LOCAL_TZ
default_timezone = $LOCAL_TZ
EOF
k_ok=0
for f in "$ICS"/*.ics; do
    name="$(basename "$f")"
    read -r timed allday todos <<<"$(counts "$name")"
    if [ $((timed + allday)) -eq 0 ]; then
        continue # khal keeps events only
    fi
    before=$(find "$K/cal" -name '*.ics' | wc -l)
    out="$(khal -c "$K/config" import --batch -a interop "$f" </dev/null 2>&1)"
    rc=$?
    after=$(find "$K/cal" -name '*.ics' | wc -l)
    uids=$(grep -c '^UID:' <(grep -v '^ ' "$f" | tr -d '\r' | awk '/^BEGIN:VEVENT/{e=1} /^END:VEVENT/{e=0} e' | sort -u))
    if [ "$rc" -eq 0 ] && [ $((after - before)) -eq "$uids" ] && ! printf '%s' "$out" | grep -qi 'error\|warning'; then
        pass "khal import $name: $((after - before)) items stored"
        k_ok=$((k_ok + 1))
    else
        fail "khal import $name: exit $rc, $((after - before)) of $uids items stored"
        printf '%s\n' "$out" | sed 's/^/     /'
    fi
done
if khal -c "$K/config" list --format "{uid}|{start}|{end}|{title}" --day-format "" \
    "$window_from" 365d >"$WORK/khal-list.txt" 2>"$WORK/khal-list.err"; then
    run_py "khal list" khal "$ICS" "$WORK/khal-list.txt"
else
    cat "$WORK/khal-list.err" >&2
    fail "khal list"
fi
echo "     khal accepted $k_ok files"
read_back "secretaire reads khal's vdir" "$K/cal"

# --- 5: the demo database through the real binary ------------------------------------------
BIN="$ROOT/target/debug/secretaire"
if cargo build --quiet --locked --bin secretaire >"$WORK/build.log" 2>&1 && [ -x "$BIN" ]; then
    DB="$WORK/demo.db"
    export TZ="${TZ:-Europe/Stockholm}"
    if "$BIN" --db "$DB" demo >"$WORK/demo.log" 2>&1 && [ -s "$DB" ]; then
        D="$WORK/demo"
        mkdir -p "$D"
        if "$BIN" --db "$DB" export ics --include travel,tasks -o "$D/demo.ics" >"$WORK/export.log" 2>&1 &&
            [ -s "$D/demo.ics" ]; then
            pass "secretaire export ics of the demo data: $(grep -c '^BEGIN:VEVENT' "$D/demo.ics") events, $(grep -c '^BEGIN:VTODO' "$D/demo.ics") todos"
            run_py "python-icalendar demo" parse "$D/demo.ics"
            d="$WORK/calcurse-demo"
            mkdir -p "$d"
            out="$(TMPDIR="$d" calcurse -D "$d" -i "$D/demo.ics" </dev/null 2>&1)"
            rc=$?
            line="$(printf '%s\n' "$out" | grep -E 'skipped' | tail -1)"
            if [ "$rc" -eq 0 ] && printf '%s' "$line" | grep -q ' 0 skipped'; then
                pass "calcurse demo.ics: $line"
            else
                fail "calcurse demo.ics: exit $rc, $line"
            fi
            KD="$WORK/khal-demo"
            mkdir -p "$KD/cal"
            sed -e "s|$K/cal|$KD/cal|; s|$K/khal.db|$KD/khal.db|" "$K/config" >"$KD/config"
            out="$(khal -c "$KD/config" import --batch -a interop "$D/demo.ics" </dev/null 2>&1)"
            rc=$?
            stored=$(find "$KD/cal" -name '*.ics' | wc -l)
            uids=$(tr -d '\r' <"$D/demo.ics" | awk '/^BEGIN:VEVENT/{e=1} /^END:VEVENT/{e=0} e && /^UID:/' | sort -u | wc -l)
            if [ "$rc" -eq 0 ] && [ "$stored" -eq "$uids" ] && ! printf '%s' "$out" | grep -qi 'error\|warning'; then
                pass "khal import demo.ics: $stored items stored"
            else
                fail "khal import demo.ics: exit $rc, $stored of $uids items stored"
                printf '%s\n' "$out" | head -5 | sed 's/^/     /'
            fi
            # Importing our own export back changes nothing.
            if "$BIN" --db "$DB" import ics "$D/demo.ics" >"$WORK/reimport.log" 2>&1 &&
                grep -qE 'imported 0, updated 0, unchanged [0-9]+' "$WORK/reimport.log"; then
                pass "secretaire import of its own export: $(tail -1 "$WORK/reimport.log")"
            else
                fail "secretaire re-import: $(tail -3 "$WORK/reimport.log")"
            fi
        else
            fail "secretaire export ics: $(tail -3 "$WORK/export.log")"
        fi
    else
        skip "secretaire demo is not available yet (no database written): $(tail -1 "$WORK/demo.log")"
    fi
else
    skip "the secretaire binary does not build here: $(tail -3 "$WORK/build.log")"
fi

# --- 6: the other helpers' reference checks ------------------------------------------------
if [ -f tests/recurrence.rs ] && grep -q 'fn write_reference_cases' tests/recurrence.rs &&
    [ -f tests/interop/rrule_check.py ]; then
    R="$WORK/rrule"
    mkdir -p "$R"
    if SECRETAIRE_RRULE_CASES="$R" cargo test --quiet --locked --test recurrence write_reference_cases \
        -- --ignored >"$WORK/rrule.log" 2>&1; then
        if "$PY" tests/interop/rrule_check.py "$R/rrule_cases.jsonl" >"$WORK/rrule-check.log" 2>&1; then
            pass "rrule reference: $(tail -1 "$WORK/rrule-check.log")"
        else
            tail -20 "$WORK/rrule-check.log" | sed 's/^/     /'
            fail "rrule reference check"
        fi
    else
        tail -20 "$WORK/rrule.log" | sed 's/^/     /'
        fail "cargo test --test recurrence write_reference_cases"
    fi
else
    skip "recurrence reference check: tests/recurrence.rs write_reference_cases or tests/interop/rrule_check.py not there yet"
fi

if [ -f tests/interop/vcf_check.py ]; then
    VCF=""
    if [ -x "$BIN" ] && [ -s "${DB:-/nonexistent}" ] &&
        "$BIN" --db "$DB" export vcf -o "$WORK/contacts.vcf" >"$WORK/vcf.log" 2>&1 &&
        [ -s "$WORK/contacts.vcf" ]; then
        VCF="$WORK/contacts.vcf"
    elif [ -f tests/fixtures/vcf/golden-v4.vcf ]; then
        VCF="tests/fixtures/vcf/golden-v4.vcf"
        echo "     (no demo database: checking the committed vCard golden export instead)"
    fi
    if [ -n "$VCF" ]; then
        if "$PY" tests/interop/vcf_check.py "$VCF" >"$WORK/vcf-check.log" 2>&1; then
            pass "vCard $(basename "$VCF"): $(tail -1 "$WORK/vcf-check.log")"
        else
            tail -20 "$WORK/vcf-check.log" | sed 's/^/     /'
            fail "vCard check of $(basename "$VCF")"
        fi
    else
        skip "vCard check: no exported .vcf to check"
    fi
else
    skip "vCard check: tests/interop/vcf_check.py not there yet"
fi

finish
