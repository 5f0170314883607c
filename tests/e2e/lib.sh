# shellcheck shell=bash
# Helpers for end-to-end case scripts (bash). Source it from a case:
#   . "$(dirname "$0")/../lib.sh"
#
# A case script prints one line per check, "PASS <name> [detail]" or
# "FAIL <name>: <reason>", and exits 0 only if every check passed
# (run-smoke.sh counts these lines).
#
# Sourcing this creates $E2E_TMP, a work directory removed when the script
# exits; on exit or interrupt, background jobs (boots started with
# "e2e_boot ... &") are terminated too, and bochs-boot then stops its Bochs.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_FAILED=0
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/e2e-case.XXXXXX")

_e2e_cleanup() {
	local jobs
	jobs=$(jobs -p)
	if [ -n "$jobs" ]; then
		# shellcheck disable=SC2086
		kill $jobs 2>/dev/null
		wait 2>/dev/null
	fi
	rm -rf "$E2E_TMP"
}
trap _e2e_cleanup EXIT
trap 'exit 130' INT TERM HUP

e2e_pass() {
	echo "PASS $*"
}

e2e_fail() {
	local name=$1
	shift
	echo "FAIL $name: $*"
	E2E_FAILED=1
}

# e2e_kver: release of the kernel the tests boot (as setup-kernel.sh picks
# it): $KVER, else the newest installed linux-headers-*-amd64.
e2e_kver() {
	if [ -n "${KVER:-}" ]; then
		echo "$KVER"
		return
	fi
	printf '%s\n' /usr/src/linux-headers-*-amd64 | sort -V | tail -n 1 |
		sed 's|^/usr/src/linux-headers-||'
}

# e2e_initramfs OUT INIT [mkinitramfs.py options...]
e2e_initramfs() {
	local out=$1 init=$2
	shift 2
	python3 "$E2E_DIR/mkinitramfs.py" -o "$out" --init "$init" "$@"
}

# e2e_boot LOG [bochs-boot options...]: boot, serial log to LOG, Bochs'
# verdict line to LOG.verdict; returns bochs-boot's exit status.
e2e_boot() {
	local log=$1
	shift
	"$E2E_DIR/bochs-boot" --serial "$log" "$@" 2>"$log.verdict"
}

# e2e_boot_time LOG: seconds to the marker, from LOG.verdict ("?" if none).
e2e_boot_time() {
	sed -n 's/.* after \([0-9.]*\) s.*/\1/p' "$1.verdict" | tail -n 1 |
		grep . || echo "?"
}

# e2e_boot_verdict LOG: bochs-boot's PASS/FAIL line, for failure reports.
e2e_boot_verdict() {
	grep 'bochs-boot: \(PASS\|FAIL\|error\)' "$1.verdict" | tail -n 1 |
		sed 's/^bochs-boot: //'
}

# e2e_value LOG KEY: the rest of the last serial line starting with KEY.
# Serial lines end in CR LF; the CR is dropped.
e2e_value() {
	tr -d '\r' <"$1" | sed -n "s/^$2 //p" | tail -n 1
}

# e2e_finish: exit status of the case.
e2e_finish() {
	exit "$E2E_FAILED"
}
