#!/bin/bash
# Run end-to-end case scripts and summarise them.
#
# Usage: run-smoke.sh [CASE_SCRIPT...]   (default: cases/smoke.sh)
#
# Each case prints "PASS <name> ..." or "FAIL <name>: ..." lines (see
# lib.sh); they are shown as they come, followed by "N passed, N failed".
# A case that exits non-zero without printing a FAIL line counts as one
# failure. Exit status: 0 only if nothing failed.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -gt 0 ] || set -- "$here/cases/smoke.sh"

passed=0
failed=0
for case in "$@"; do
	out=$(mktemp "${TMPDIR:-/tmp}/e2e-run.XXXXXX")
	# Result lines go to stdout as they come, anything else to stderr.
	"$case" | tee "$out" | awk '/^(PASS|FAIL) / { print; fflush(); next }
		{ print > "/dev/stderr"; fflush("/dev/stderr") }'
	status=${PIPESTATUS[0]}
	p=$(grep -c '^PASS ' "$out")
	f=$(grep -c '^FAIL ' "$out")
	rm -f "$out"
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $(basename "$case"): exited with status $status"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
