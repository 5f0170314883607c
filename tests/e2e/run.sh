#!/bin/bash
# The end-to-end suite: every tests/e2e/cases/*.sh (or the cases named on
# the command line), E2E_JOBS at a time (default 2).  Each case boots
# Debian's kernel in Bochs one or more times and ends with a line
# "NAME: N passed, N failed" (or PASS/FAIL lines) and its exit status.
# Prints one line per case and a final "N passed, N failed" over cases.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
jobs=${E2E_JOBS:-2}
[ $# -gt 0 ] || set -- "$here"/cases/*.sh

start=$(date +%s)
"$here/setup-kernel.sh" >/dev/null || { echo "e2e: kernel setup failed"; echo "0 passed, 1 failed"; exit 1; }
make -s -C "$top" tools module >/dev/null || { echo "e2e: build failed"; echo "0 passed, 1 failed"; exit 1; }
echo "e2e: kernel and builds ready in $(( $(date +%s) - start )) s"

out=$(mktemp -d "${TMPDIR:-/tmp}/e2e-suite.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$out"' EXIT

run_case() {
	local c=$1 name t0
	name=$(basename "$c" .sh)
	t0=$(date +%s)
	"$c" >"$out/$name.log" 2>&1
	echo "$? $(( $(date +%s) - t0 ))" >"$out/$name.status"
}

for c in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	run_case "$c" &
done
wait

passed=0
failed=0
for c in "$@"; do
	name=$(basename "$c" .sh)
	read -r rc secs <"$out/$name.status"
	checks=$(grep -Eo '[0-9]+ passed, [0-9]+ failed' "$out/$name.log" | tail -n 1)
	if [ -z "$checks" ]; then
		checks="$(grep -c '^PASS ' "$out/$name.log") passed, $(grep -c '^FAIL ' "$out/$name.log") failed"
	fi
	if [ "$rc" = 0 ] && ! echo "$checks" | grep -q ', [1-9][0-9]* failed'; then
		echo "ok   $name ($checks checks, $secs s)"
		passed=$((passed + 1))
	else
		echo "FAIL $name (exit $rc; $checks checks, $secs s)"
		grep -E 'FAIL|fail' "$out/$name.log" | grep -v ' 0 failed' | head -n 20 | sed 's/^/     /'
		tail -n 15 "$out/$name.log" | sed 's/^/     | /'
		failed=$((failed + 1))
	fi
done
echo "e2e: $(( $(date +%s) - start )) s in all"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
