#!/bin/bash
# End-to-end, live: in the emulated Intel host, with vmcsinfo.ko loaded
# and the KVM guests of tests/kvm-guest running, `vmcsinfo-decode scan
# --json /proc/kcore` must show the same guests with the registers
# kvm-guest set (tests/e2e/kdump/check-scan.py on its output).  No crash,
# no dump.  Checks are named kdump-live/...
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=$top/build/e2e/kdump-live
make -s -C "$top" tools >/dev/null || { echo "FAIL kdump-live/build: make tools"; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$top/tests/e2e/kdump/run.sh" --with-module --no-dump --prefix kdump-live/ \
	--live-cmd "$top/build/vmcsinfo-decode" --live-args "scan --json /proc/kcore" \
	--out "$out" "$@" | tee "$log"
rc=${PIPESTATUS[0]}
if [ -s "$out/live.txt" ]; then
	# the JSON document follows the progress line (stderr shares the console)
	python3 -c 'import json, sys
t = open(sys.argv[1], errors="replace").read()
i = t.find("{\"dump\"")
doc = json.JSONDecoder().raw_decode(t[i:])[0] if i >= 0 else {}
json.dump(doc, open(sys.argv[2], "w"))' "$out/live.txt" "$out/live.json"
	python3 "$top/tests/e2e/kdump/check-scan.py" --decode "$top/build/vmcsinfo-decode" \
		--guests "$out/kvmguest.txt" --with-module "$out/live.json" |
		sed 's|scan/live.json|kdump-live/kcore|' | tee -a "$log"
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
else
	echo "FAIL kdump-live/kcore: the live scan printed nothing" | tee -a "$log"
	rc=1
fi
# one closing line over run.sh's checks and the live scan's
echo "kdump-live: $(grep -c '^PASS ' "$log") passed, $(grep -c '^FAIL ' "$log") failed"
exit $rc
