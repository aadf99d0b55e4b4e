#!/usr/bin/env bash
# Real clients read what secretaire writes. Called by .ci/run after the cargo tests; runs on its
# own from the repository root or anywhere else:  tests/interop/run.sh
#
# 1. python-icalendar parses every exported .ics strictly (tests/interop/ics_check.py parse)
# 2. recurring_ical_events expands each series over a year; occurrences (start and end) equal ours; the
#    VTIMEZONE blocks give chrono-tz's offsets for 2030-2040 (python-icalendar and vobject)
# 3. calcurse -i imports each file: expected apps/events/todos, nothing skipped, exit 0
# 4. khal import --batch accepts each file and `khal list` shows every item and occurrence,
#    start and end
# 5. the demo database through the real binary: the export parsed; expanded by
#    recurring-ical-events, imported and listed by khal, and (the calcurse-profile export) by
#    calcurse, each compared with `agenda --json` over a year, starts and ends; a re-import
#    changes nothing; mutated calendar files imported and exported again still parse strictly;
#    vCard 4.0 and 3.0 exports read by vobject
#    5b. the audits' cases (tests/interop/cases/*) imported into new databases and checked the
#    same way, their exports imported back unchanged
# 6. the recurrence reference check (random rules, tests/interop/rrule_check.py)
#
# Needs: cargo, python3 (venv), calcurse, khal. The Python packages go into a venv in
# $INTEROP_VENV (default tests/interop/.venv, git-ignored). Prints a table
# "client: files accepted / items accepted / mismatches", then "interop: N passed, M failed",
# and exits non-zero when any client rejected anything or anything could not run.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 1
WORK="$(mktemp -d "${TMPDIR:-/tmp}/secretaire-interop.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
PASS=0
FAIL=0
declare -A FILES ITEMS MISS
CLIENTS=()
tally() { # client, files accepted, items accepted, mismatches
    [ -n "${FILES[$1]+x}" ] || { CLIENTS+=("$1"); FILES[$1]=0; ITEMS[$1]=0; MISS[$1]=0; }
    FILES[$1]=$((FILES[$1] + $2))
    ITEMS[$1]=$((ITEMS[$1] + $3))
    MISS[$1]=$((MISS[$1] + $4))
}
pass() { PASS=$((PASS + 1)); echo "ok   $*"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }
finish() {
    if [ ${#CLIENTS[@]} -gt 0 ]; then
        echo
        printf '%-28s %14s %14s %11s\n' "client" "files accepted" "items accepted" "mismatches"
        for c in "${CLIENTS[@]}"; do
            printf '%-28s %14s %14s %11s\n' "$c" "${FILES[$c]}" "${ITEMS[$c]}" "${MISS[$c]}"
        done
        echo
    fi
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
for helper in tests/interop/ics_check.py tests/interop/rrule_check.py tests/interop/vcf_check.py; do
    if [ ! -f "$helper" ]; then
        fail "missing $helper"
        finish
    fi
done

# --- our files and the binary -------------------------------------------------------------
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
TARGET="$(cargo metadata --format-version 1 --no-deps 2>/dev/null | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null)"
BIN="${TARGET:-$ROOT/target}/debug/secretaire"
if ! cargo build --quiet --locked --bin secretaire >"$WORK/build.log" 2>&1 || [ ! -x "$BIN" ]; then
    tail -20 "$WORK/build.log" >&2
    fail "the secretaire binary does not build"
    finish
fi

# expected counts for one file: timed allday vtodos (PROFILE=calcurse: of its calcurse export)
counts() {
    "$PY" - "$ICS/expected.json" "$1" "${PROFILE:-}" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for f in m["files"]:
    if f["file"] == sys.argv[2]:
        if sys.argv[3] == "calcurse":
            print(f["calcurse_timed"], f["calcurse_allday"], f["vtodos"])
        else:
            print(f["timed"], f["allday"], f["vtodos"])
EOF
}

# run_py CLIENT LABEL ARGS...: an ics_check.py mode; its "ok"/"FAIL" lines count as files
# accepted / mismatches, the number before "events"/"occurrences"/"offsets" as items.
run_py() {
    local client="$1" label="$2"
    shift 2
    if "$PY" tests/interop/ics_check.py "$@" >"$WORK/py.log" 2>&1; then
        ok=1
    else
        ok=0
    fi
    while IFS= read -r line; do
        case "$line" in
        "ok   "*)
            pass "${line#ok   }"
            n=$(printf '%s' "$line" | grep -oE '[0-9]+ (events|occurrences|offsets|starts)' | head -1 | grep -oE '^[0-9]+')
            tally "$client" 1 "${n:-0}" 0
            ;;
        "FAIL "*)
            fail "${line#FAIL }"
            tally "$client" 0 0 1
            ;;
        *) echo "     $line" ;;
        esac
    done <"$WORK/py.log"
    if [ "$ok" = 0 ] && ! grep -q '^FAIL ' "$WORK/py.log"; then
        fail "$label"
        tally "$client" 0 0 1
    fi
}

# --- 1 + 2: python ------------------------------------------------------------------------
run_py "python-icalendar" "python-icalendar" parse "$ICS"
run_py "recurring-ical-events" "recurring-ical-events" expand "$ICS"
run_py "VTIMEZONE 2030-2040" "vtimezone offsets" tzoffsets "$ICS"

# calcurse, never for long: it spins forever on some rules (a monthly BYMONTHDAY=-29 that a
# month lacks), which a CI run must report, not wait for. A run it had to stop exits 124 and
# says so on stderr.
CALCURSE_TIMEOUT="${CALCURSE_TIMEOUT:-60}"
calcurse_t() {
    timeout "$CALCURSE_TIMEOUT" calcurse "$@" </dev/null
    local rc=$?
    [ "$rc" -eq 124 ] && echo "calcurse $* did not finish in ${CALCURSE_TIMEOUT}s (timeout)" >&2
    return "$rc"
}
# cc_query DIR OUT ARGS...: calcurse -Q into OUT; a run that did not finish is a failure.
cc_query() {
    local d="$1" out="$2"
    shift 2
    calcurse_t -D "$d" --input-datefmt 4 -Q "$@" >"$out" 2>&1
    if [ $? -eq 124 ]; then
        fail "calcurse -Q $* on $(basename "$d") did not finish in ${CALCURSE_TIMEOUT}s"
        tally calcurse 0 0 1
    fi
}

# --- 3: calcurse --------------------------------------------------------------------------
# calcurse and khal show times in one local zone; the checks convert ours to it.
LOCAL_TZ=Europe/Stockholm
export KHAL_TZ="$LOCAL_TZ"
window_from=$("$PY" -c "import json,sys;print(json.load(open(sys.argv[1]))['window'][0][:10])" "$ICS/expected.json")
# calcurse reads the calcurse-profile export of each file (see README: it does not understand
# overrides, RDATE, BYSETPOS...); its whole view over a year is compared with ours.
CQ="$WORK/calcurse-query"
mkdir -p "$CQ"
for f in "$ICS"/calcurse/*.ics; do
    name="$(basename "$f")"
    read -r timed allday todos <<<"$(PROFILE=calcurse counts "$name")"
    d="$WORK/calcurse-${name%.ics}"
    mkdir -p "$d"
    out="$(TZ="$LOCAL_TZ" TMPDIR="$d" calcurse_t -D "$d" -i "$f" </dev/null 2>&1)"
    rc=$?
    TZ="$LOCAL_TZ" cc_query "$d" "$CQ/$name.txt" --from "$window_from" --days 366
    line="$(printf '%s\n' "$out" | grep -E '[0-9]+ apps? / [0-9]+ events? / [0-9]+ todos? / [0-9]+ skipped' | tail -1)"
    want="$timed app / $allday event / $todos todo / 0 skipped"
    got="$(printf '%s' "$line" | sed -E 's/([0-9]+) apps?/\1 app/; s/([0-9]+) events?/\1 event/; s/([0-9]+) todos?/\1 todo/')"
    if [ "$rc" -eq 0 ] && [ "$got" = "$want" ]; then
        pass "calcurse $name (--for calcurse): $line"
        tally calcurse 1 $((timed + allday + todos)) 0
    else
        fail "calcurse $name (--for calcurse): exit $rc, got '$line', expected '$want'"
        printf '%s\n' "$out" | sed 's/^/     /'
        tally calcurse 0 0 1
    fi
done
run_py "calcurse (whole view)" "calcurse query" calcurse "$ICS" "$CQ"

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
    calcurse_t -D "$d" --export >"$CX/$(basename "$d").ics" 2>/dev/null
done
read_back "secretaire reads calcurse --export" "$CX"

# --- 4: khal ------------------------------------------------------------------------------
K="$WORK/khal"
mkdir -p "$K/cal"
khal_config() { # dir
    cat <<EOF
[calendars]
[[interop]]
path = $1/cal
type = calendar
[sqlite]
path = $1/khal.db
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = $LOCAL_TZ
default_timezone = $LOCAL_TZ
EOF
}
khal_config "$K" >"$K/config"
vevent_uids() { # file: the distinct UIDs of its VEVENTs
    tr -d '\r' <"$1" | awk '/^BEGIN:VEVENT/{e=1} /^END:VEVENT/{e=0} e && /^UID:/' | sort -u | wc -l
}
khal_import() { # config dir, file, label
    local before after out rc uids
    before=$(find "$1/cal" -name '*.ics' | wc -l)
    out="$(khal -c "$1/config" import --batch -a interop "$2" </dev/null 2>&1)"
    rc=$?
    after=$(find "$1/cal" -name '*.ics' | wc -l)
    uids=$(vevent_uids "$2")
    if [ "$rc" -eq 0 ] && [ $((after - before)) -eq "$uids" ] && ! printf '%s' "$out" | grep -qi 'error\|warning'; then
        pass "khal import $3: $((after - before)) items stored"
        tally khal 1 "$uids" 0
    else
        fail "khal import $3: exit $rc, $((after - before)) of $uids items stored"
        printf '%s\n' "$out" | head -5 | sed 's/^/     /'
        tally khal 0 0 1
    fi
}
for f in "$ICS"/*.ics; do
    read -r timed allday todos <<<"$(counts "$(basename "$f")")"
    [ $((timed + allday)) -gt 0 ] || continue # khal keeps events only
    khal_import "$K" "$f" "$(basename "$f")"
done
if khal -c "$K/config" list --format "{uid}|{start}|{end}|{title}" --day-format "" \
    "$window_from" 365d >"$WORK/khal-list.txt" 2>"$WORK/khal-list.err"; then
    listed=$(cut -d'|' -f1 "$WORK/khal-list.txt" | sort -u | grep -c .)
    echo "     khal lists $(wc -l <"$WORK/khal-list.txt") occurrences of $listed items"
    if "$PY" tests/interop/ics_check.py khal "$ICS" "$WORK/khal-list.txt" >"$WORK/py.log" 2>&1; then
        pass "khal list: every item and occurrence as ours, ends included ($listed items)"
        tally "khal (listed)" "$(grep -c '^ok' "$WORK/py.log")" "$(wc -l <"$WORK/khal-list.txt")" 0
    else
        grep '^FAIL' "$WORK/py.log" | cut -c1-400 | sed 's/^/     /'
        fail "khal list differs from ours"
        tally "khal (listed)" 0 0 "$(grep -c '^FAIL' "$WORK/py.log")"
    fi
else
    cat "$WORK/khal-list.err" >&2
    fail "khal list"
    tally khal 0 0 1
fi
read_back "secretaire reads khal's vdir" "$K/cal"

# views LABEL AGENDA STD_ICS CALCURSE_QUERY KHAL_LIST: the agenda's occurrences, starts and
# ends, against recurring-ical-events, calcurse and khal (ics_check.py views).
views() {
    "$PY" tests/interop/ics_check.py views "$2" "$3" --calcurse "$4" --khal "$5" >"$WORK/views.log" 2>&1
    local found=0 l client n
    while IFS= read -r l; do
        case "$l" in
        "ok   views "* | "FAIL views "*)
            found=1
            client="${l#* views }"
            client="${client%%:*}"
            n="$(printf '%s' "$l" | grep -oE '[0-9]+ (occurrences|day lines)' | head -1 | grep -oE '^[0-9]+')"
            [ "$client" = calcurse ] && client="calcurse (whole view)"
            [ "$client" = khal ] && client="khal (listed)"
            if [ "${l%% *}" = ok ]; then
                pass "$1: ${l#ok   views }"
                tally "$client" 1 "${n:-0}" 0
            else
                fail "$1: ${l#FAIL views }"
                tally "$client" 0 0 1
            fi
            ;;
        esac
    done <"$WORK/views.log"
    if [ "$found" = 0 ]; then
        sed 's/^/     /' "$WORK/views.log" | tail -5
        fail "$1: ics_check.py views"
    fi
}

# --- 5: the demo database through the real binary ------------------------------------------
export TZ="$LOCAL_TZ"
DB="$WORK/demo.db"
D="$WORK/demo"
mkdir -p "$D"
if ! "$BIN" --db "$DB" demo >"$WORK/demo.log" 2>&1 || [ ! -s "$DB" ]; then
    tail -3 "$WORK/demo.log" >&2
    fail "secretaire demo wrote no database"
    finish
fi
if ! "$BIN" --db "$DB" export ics --include travel,tasks -o "$D/demo.ics" >"$WORK/export.log" 2>&1 ||
    ! "$BIN" --db "$DB" export ics --include travel,tasks --for calcurse -o "$D/demo-calcurse.ics" >>"$WORK/export.log" 2>&1; then
    tail -3 "$WORK/export.log" >&2
    fail "secretaire export ics of the demo data"
    finish
fi
pass "secretaire export ics of the demo data: $(grep -c '^BEGIN:VEVENT' "$D/demo.ics") events, $(grep -c '^BEGIN:VTODO' "$D/demo.ics") todos (calcurse profile: $(grep -c '^BEGIN:VEVENT' "$D/demo-calcurse.ics") events)"
run_py "python-icalendar" "python-icalendar demo" parse "$D/demo.ics" "$D/demo-calcurse.ics"
# Our occurrences: the agenda of the next 366 days (its days are the display zone's).
today=$("$BIN" --db "$DB" --json agenda | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["today"])')
if "$BIN" --db "$DB" --json agenda --date "$today" --days 366 >"$D/agenda.json" 2>"$WORK/agenda.err"; then
    d="$WORK/calcurse-demo"
    mkdir -p "$d"
    out="$(TMPDIR="$d" calcurse_t -D "$d" -i "$D/demo-calcurse.ics" </dev/null 2>&1)"
    rc=$?
    line="$(printf '%s\n' "$out" | grep -E 'skipped' | tail -1)"
    if [ "$rc" -eq 0 ] && printf '%s' "$line" | grep -q ' 0 skipped'; then
        pass "calcurse demo-calcurse.ics: $line"
        tally calcurse 1 "$(grep -c '^BEGIN:V\(EVENT\|TODO\)' "$D/demo-calcurse.ics")" 0
    else
        fail "calcurse demo-calcurse.ics: exit $rc, $line"
        tally calcurse 0 0 1
    fi
    cc_query "$d" "$D/calcurse-view.txt" --from "$today" --days 366
    KD="$WORK/khal-demo"
    mkdir -p "$KD/cal"
    khal_config "$KD" >"$KD/config"
    khal_import "$KD" "$D/demo.ics" "demo.ics"
    khal -c "$KD/config" list --format "{uid}|{start}|{end}|{title}" --day-format "" \
        "$today" 366d >"$D/khal-list.txt" 2>"$WORK/khal-list.err"
    # recurring-ical-events and khal on the standard export, calcurse on the calcurse-profile
    # export: every occurrence of the agenda, start and end.
    views "demo" "$D/agenda.json" "$D/demo.ics" "$D/calcurse-view.txt" "$D/khal-list.txt"
else
    cat "$WORK/agenda.err" >&2
    fail "secretaire agenda --json"
fi
# Importing our own export back changes nothing.
if "$BIN" --db "$DB" import ics "$D/demo.ics" >"$WORK/reimport.log" 2>&1 &&
    grep -qE 'imported 0, updated 0, unchanged [0-9]+' "$WORK/reimport.log"; then
    pass "secretaire import of its own export: $(tail -1 "$WORK/reimport.log")"
else
    fail "secretaire re-import: $(tail -3 "$WORK/reimport.log")"
fi
# Whatever we import from a broken file, our export of it parses strictly.
M="$WORK/mutated"
MX="$WORK/mutated-export"
mkdir -p "$MX"
if "$PY" tests/interop/ics_check.py mutate 4 60 "$M" tests/fixtures/ics/{outlook,google,apple,thunderbird,calcurse}.ics; then
    crashed=0
    for f in "$M"/*.ics; do
        n="$(basename "$f" .ics)"
        "$BIN" --db "$WORK/m-$n.db" import ics "$f" >/dev/null 2>"$WORK/m.err"
        rc=$?
        if [ "$rc" -gt 2 ] || grep -q panick "$WORK/m.err"; then
            crashed=$((crashed + 1))
            echo "     $n: exit $rc $(head -c 300 "$WORK/m.err")"
        fi
        [ -s "$WORK/m-$n.db" ] && "$BIN" --db "$WORK/m-$n.db" export ics -o "$MX/$n.ics" >/dev/null 2>&1
    done
    if [ "$crashed" -eq 0 ]; then
        pass "60 mutated files imported without a crash"
    else
        fail "$crashed mutated files crashed the import"
    fi
    run_py "python-icalendar" "our exports of mutated imports" parse "$MX"
else
    fail "could not write the mutated files"
fi
# vCard 4.0 and 3.0 exports of the demo contacts, read by vobject.
for v in 4 3; do
    flag=""
    [ "$v" = 3 ] && flag="--v3"
    if "$BIN" --db "$DB" export vcf $flag -o "$WORK/contacts-v$v.vcf" >"$WORK/vcf.log" 2>&1 &&
        [ -s "$WORK/contacts-v$v.vcf" ] &&
        "$PY" tests/interop/vcf_check.py "$WORK/contacts-v$v.vcf" >"$WORK/vcf-check.log" 2>&1; then
        pass "vCard $v.0 export: $(tail -1 "$WORK/vcf-check.log")"
        tally "vobject (vCard $v.0)" 1 "$(grep -oE '[0-9]+ cards' "$WORK/vcf-check.log" | grep -oE '[0-9]+')" 0
    else
        tail -20 "$WORK/vcf.log" "$WORK/vcf-check.log" 2>/dev/null | sed 's/^/     /'
        fail "vCard $v.0 export read by vobject"
        tally "vobject (vCard $v.0)" 0 0 1
    fi
done

# --- 5b: the audits' cases through the real binary -----------------------------------------
# Each folder of tests/interop/cases is imported file by file (in name order) into a new
# database: a series updated (SEQUENCE 4, new time) without its moved occurrence, a move taken
# back, broken parts inside alarms and parameters, rules calcurse and khal read otherwise or
# crash on, rules calcurse spins on or misreads (monthly BYMONTHDAY=-29, yearly BYMONTHDAY
# without BYMONTH, a fifth Sunday of February), lower-case rules, items in the repeated autumn
# hour, ends (zero length, across the autumn clock change, RDATE periods), a move taken back
# with the same SEQUENCE and a later LAST-MODIFIED (checked against agenda.expected), the
# first part of a split weekday series moved (made by its "commands"), multi-day all-day series
# (calcurse must show every day of each), items at the second 02:30 of the autumn night (each
# client must get the instant). The standard export
# must parse strictly and khal must import every item of it; the
# calcurse export must import with nothing skipped; recurring-ical-events, calcurse and khal
# must show the agenda's occurrences, starts and ends; importing either export back must
# change nothing.
SC_CFG="$WORK/cases-config.toml"
printf 'timezone = "%s"\n' "$LOCAL_TZ" >"$SC_CFG"
for case_dir in tests/interop/cases/*/; do
    name="$(basename "$case_dir")"
    SD="$WORK/case-$name"
    mkdir -p "$SD/cc" "$SD/kh/cal"
    sc() { SECRETAIRE_NOW=2026-11-23T09:00:00Z "$BIN" --config "$SC_CFG" --db "$SD/s.db" "$@"; }
    ok=1
    : >"$SD/import.log"
    for f in "$case_dir"*.ics; do
        [ -f "$f" ] || continue
        if ! sc import ics "$f" >"$SD/import.log" 2>&1; then
            ok=0
            echo "     $(basename "$f"): $(tail -1 "$SD/import.log")"
        fi
    done
    # A case may also give secretaire commands (a file "commands", one a line, shell-quoted),
    # run after its files: edits whose result the clients must read as we do.
    if [ -f "$case_dir/commands" ]; then
        while IFS= read -r cmd; do
            [ -n "$cmd" ] || continue
            if ! eval "sc $cmd" >>"$SD/import.log" 2>&1 </dev/null; then
                ok=0
                echo "     $cmd: $(tail -1 "$SD/import.log")"
            fi
        done <"$case_dir/commands"
    fi
    if [ "$ok" = 1 ] && sc export ics -o "$SD/std.ics" >/dev/null 2>&1 &&
        sc export ics --for calcurse -o "$SD/cc.ics" >/dev/null 2>&1 &&
        sc --json agenda --date 2026-11-23 --days 366 >"$SD/agenda.json" 2>/dev/null; then
        pass "case $name: imported and exported by secretaire ($(tail -1 "$SD/import.log"))"
    else
        fail "case $name: import/export through secretaire"
        continue
    fi
    # A case may say what the agenda must hold after its files (agenda.expected: one event
    # a line, "YYYY-MM-DD HH:MM title" in the local zone): what an import must have made of them.
    if [ -f "$case_dir/agenda.expected" ]; then
        if "$PY" - "$SD/agenda.json" "$case_dir/agenda.expected" "$LOCAL_TZ" >"$SD/expected.log" 2>&1 <<'EOF'
import datetime as dt, json, sys
from zoneinfo import ZoneInfo
tz = ZoneInfo(sys.argv[3])
got = []
for day in json.load(open(sys.argv[1]))["days"]:
    for i in day["items"]:
        if i.get("type") != "event" or i.get("continued"):
            continue
        s = dt.datetime.fromisoformat(i["occurrence"]["start"].replace("Z", "+00:00"))
        got.append(f'{s.astimezone(tz):%Y-%m-%d %H:%M} {i["record"]["title"]}')
want = [l.strip() for l in open(sys.argv[2]) if l.strip()]
if sorted(got) != sorted(want):
    print("agenda:", sorted(got), "expected:", sorted(want))
    sys.exit(1)
print(len(want), "events")
EOF
        then
            pass "case $name: the agenda holds what agenda.expected says ($(tail -1 "$SD/expected.log"))"
        else
            fail "case $name: $(tail -1 "$SD/expected.log" | cut -c1-400)"
        fi
    fi
    run_py "python-icalendar" "case $name: python-icalendar" parse "$SD/std.ics" "$SD/cc.ics"
    out="$(TMPDIR="$SD/cc" calcurse_t -D "$SD/cc" -i "$SD/cc.ics" </dev/null 2>&1)"
    rc=$?
    line="$(printf '%s\n' "$out" | grep -E 'skipped' | tail -1)"
    if [ "$rc" -eq 0 ] && printf '%s' "$line" | grep -q ' 0 skipped'; then
        pass "case $name: calcurse imports the calcurse export: $line"
        tally calcurse 1 "$(grep -c '^BEGIN:VEVENT' "$SD/cc.ics")" 0
    else
        fail "case $name: calcurse: exit $rc, $line"
        tally calcurse 0 0 1
    fi
    cc_query "$SD/cc" "$SD/cq.txt" --from 2026-11-23 --days 366
    khal_config "$SD/kh" >"$SD/kh/config"
    khal_import "$SD/kh" "$SD/std.ics" "case $name"
    khal -c "$SD/kh/config" list --format "{uid}|{start}|{end}|{title}" --day-format "" \
        2026-11-23 366d >"$SD/kh.txt" 2>/dev/null
    views "case $name" "$SD/agenda.json" "$SD/std.ics" "$SD/cq.txt" "$SD/kh.txt"
    std_back="$(sc import ics "$SD/std.ics" 2>&1 | tail -1)"
    cc_back="$(sc import ics "$SD/cc.ics" 2>&1 | tail -1)"
    if printf '%s' "$std_back" | grep -qE '^imported 0, updated 0, unchanged [0-9]+, skipped 0$' &&
        printf '%s' "$cc_back" | grep -qE '^imported 0, updated 0,'; then
        pass "case $name: its exports imported back change nothing (calcurse export: $cc_back)"
    else
        fail "case $name: re-import: standard '$std_back', calcurse '$cc_back'"
    fi
done

# --- 6: the recurrence reference check -----------------------------------------------------
R="$WORK/rrule"
mkdir -p "$R"
if SECRETAIRE_RRULE_CASES="$R" cargo test --quiet --locked --test recurrence write_reference_cases \
    -- --ignored >"$WORK/rrule.log" 2>&1; then
    if "$PY" tests/interop/rrule_check.py "$R/rrule_cases.jsonl" >"$WORK/rrule-check.log" 2>&1; then
        pass "rrule reference: $(tail -1 "$WORK/rrule-check.log")"
        tally "recurring-ical-events (rules)" 1 "$(tail -1 "$WORK/rrule-check.log" | grep -oE '^rrule: [0-9]+' | grep -oE '[0-9]+')" 0
    else
        tail -20 "$WORK/rrule-check.log" | sed 's/^/     /'
        fail "rrule reference check"
        tally "recurring-ical-events (rules)" 0 0 "$(grep -c '^MISMATCH' "$WORK/rrule-check.log")"
    fi
else
    tail -20 "$WORK/rrule.log" | sed 's/^/     /'
    fail "cargo test --test recurrence write_reference_cases"
fi

finish
