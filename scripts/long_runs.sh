#!/usr/bin/env bash
# The documented long runs: the crash, kill and fuzz tests of the normal suite, turned up by their knobs.
# They take minutes, so they are not part of `make test`; run them before a release and record the figures
# in SECURITY.md ("Long runs").
#
#   scripts/long_runs.sh            # everything, with the documented counts
#   scripts/long_runs.sh store      # one of: store backup export import forms
#
# Knobs (environment), with the documented values as defaults:
#   CRASH_KILLS=1000       SIGKILLs of a store writer mid-transaction (tests/test_store_crash.py,
#                          NEGLECT_TOOL_CRASH_KILLS; the suite runs 200)
#   BACKUP_KILLS=200       SIGKILLs during `store backup` (tests/test_store_backup_crash.py,
#                          NEGLECT_TOOL_BACKUP_KILLS; the suite runs 40)
#   EXCHANGE_KILLS=1000    SIGKILLs of a record export (tests/test_exchange_kill.py,
#                          NEGLECT_TOOL_EXCHANGE_KILLS; the suite runs 100)
#   FUZZ_EXAMPLES=20000    mutated record files imported (tests/test_exchange_fuzz.py,
#                          NEGLECT_TOOL_FUZZ_EXAMPLES; the suite runs 2,000)
#   FORMS_SEEDS=10         tests/test_forms_fuzz.py has no count knob (up to 500 examples per property, 4
#                          properties); it is rerun with this many different --hypothesis-seed values,
#                          so 10 seeds = 15,000 mutated forms (500 + 500 + 300 + 200 per seed)
# Logs go to $LOG_DIR (default: a new folder under /tmp); a summary table is printed at the end.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=${PYTHON:-python3}; fi
CRASH_KILLS=${CRASH_KILLS:-1000}
BACKUP_KILLS=${BACKUP_KILLS:-200}
EXCHANGE_KILLS=${EXCHANGE_KILLS:-1000}
FUZZ_EXAMPLES=${FUZZ_EXAMPLES:-20000}
FORMS_SEEDS=${FORMS_SEEDS:-10}
LOG_DIR=${LOG_DIR:-$(mktemp -d /tmp/neglect-tool-long-runs.XXXXXX)}
export QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1
mkdir -p "$LOG_DIR"
SUMMARY="$LOG_DIR/summary.txt"
: >"$SUMMARY"
overall=0

# run NAME DESCRIPTION -- command...: time it, keep its log, note pass/fail and the test's own figures
run() {
    local name=$1 what=$2
    shift 3
    local log="$LOG_DIR/$name.log" start end status
    echo "== $name: $what"
    start=$(date +%s)
    "$@" >"$log" 2>&1
    status=$?
    end=$(date +%s)
    local verdict=PASS
    [ "$status" = 0 ] || { verdict="FAIL($status)"; overall=1; }
    local figures
    figures=$(grep -Eo '[0-9]+ kills.*|\{.*mutation.*\}' "$log" | tail -1 | cut -c1-240)
    printf '%-8s %-7s %5ss  %s %s\n' "$name" "$verdict" "$((end - start))" "$what" "${figures:+[$figures]}" \
        | tee -a "$SUMMARY"
}

pytest_s() { "$PY" -m pytest -p no:cacheprovider -q -s "$@"; }

store() {
    export NEGLECT_TOOL_CRASH_KILLS=$CRASH_KILLS
    run store "$CRASH_KILLS writer kills" -- pytest_s tests/test_store_crash.py
}
backup() {
    export NEGLECT_TOOL_BACKUP_KILLS=$BACKUP_KILLS
    run backup "$BACKUP_KILLS backup kills" -- pytest_s tests/test_store_backup_crash.py
}
export_kills() {
    export NEGLECT_TOOL_EXCHANGE_KILLS=$EXCHANGE_KILLS
    run export "$EXCHANGE_KILLS export kills" -- pytest_s tests/test_exchange_kill.py
}
import_fuzz() {
    export NEGLECT_TOOL_FUZZ_EXAMPLES=$FUZZ_EXAMPLES
    run import "$FUZZ_EXAMPLES mutated records" -- pytest_s tests/test_exchange_fuzz.py
}
forms_seeds() {
    local seed
    for seed in $(seq 1 "$FORMS_SEEDS"); do
        pytest_s tests/test_forms_fuzz.py --hypothesis-seed="$seed" || return 1
    done
}
forms_fuzz() { run forms "$FORMS_SEEDS seeds x 4 properties x 500 mutated forms" -- forms_seeds; }

case "${1:-all}" in
    store) store ;;
    backup) backup ;;
    export) export_kills ;;
    import) import_fuzz ;;
    forms) forms_fuzz ;;
    all) store; backup; export_kills; import_fuzz; forms_fuzz ;;
    *) echo "usage: $0 [store|backup|export|import|forms|all]" >&2; exit 2 ;;
esac

echo
echo "Summary (logs in $LOG_DIR):"
cat "$SUMMARY"
exit "$overall"
