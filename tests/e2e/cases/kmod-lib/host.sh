# Host-side helpers for the tests/e2e/cases/kmod-*.sh cases (sourced, bash).
# Kept in this subdirectory so that a runner of cases/*.sh does not take
# them for cases.
#
# A case writes a guest /init script, boots it under Bochs with vmcsinfo.ko
# in the initramfs and judges the serial log: the guest prints one
# "E2E-RESULT NAME PASS|FAIL ..." line per check (init-lib.sh), the host
# counts them and also fails on any kernel warning in the log.
#
# Environment: KVER (kernel release, default: newest installed headers),
# KDIR (default /usr/src/linux-headers-$KVER), E2E_KEEP=1 keeps the work
# directory, E2E_CPU overrides the case's Bochs CPU model.

kmod_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kmod_e2e=$(cd "$kmod_lib/../.." && pwd)
kmod_top=$(cd "$kmod_e2e/../.." && pwd)

kmod_kver() {
	if [ -n "${KVER:-}" ]; then
		echo "$KVER"
		return
	fi
	local dirs=(/usr/src/linux-headers-*-amd64)
	[ -e "${dirs[0]}" ] || {
		echo "kmod-lib: no /usr/src/linux-headers-*-amd64" >&2
		return 1
	}
	basename "$(printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1)" |
		sed 's/^linux-headers-//'
}

# kmod_setup NAME: work directory, module build.  Sets $work and $ko.
kmod_setup() {
	kmod_name=$1
	kver=$(kmod_kver)
	work=$(mktemp -d "/tmp/e2e-$kmod_name.XXXXXX")
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "$kmod_name: work directory $work" >&2
	else
		trap 'rm -rf "$work"' EXIT
	fi
	# Cases may run in parallel: one build of kmod/ at a time.
	flock /tmp/vmcsinfo-kmod-build.lock \
		make -s -C "$kmod_top/kmod" \
		KDIR="${KDIR:-/usr/src/linux-headers-$kver}" \
		>"$work/build.log" 2>&1 || {
		cat "$work/build.log" >&2
		echo "$kmod_name: FAIL: module build failed" >&2
		exit 1
	}
	ko=$kmod_top/kmod/vmcsinfo.ko
}

# kmod_boot INIT CPU [mkinitramfs args...]: build the initramfs with the
# module at /vmcsinfo.ko and boot it; the serial log is $work/serial.txt.
kmod_boot() {
	local init=$1 cpu=${E2E_CPU:-$2}
	shift 2
	python3 "$kmod_e2e/mkinitramfs.py" -o "$work/initrd.gz" --init "$init" \
		--file "$ko:/vmcsinfo.ko" "$@" || exit 1
	"$kmod_e2e/bochs-boot" --initrd "$work/initrd.gz" --cpu "$cpu" \
		--serial "$work/serial.txt" --timeout "${KMOD_TIMEOUT:-240}" \
		${KMOD_APPEND:+--append "$KMOD_APPEND"}
	kmod_boot_status=$?
}

# kmod_judge: count the guest's results; print the closing line; exit.
kmod_judge() {
	local log=$work/serial.txt pass fail
	pass=$(grep -c "^E2E-RESULT [^ ]* PASS" "$log")
	fail=$(grep -c "^E2E-RESULT [^ ]* FAIL" "$log")
	grep "^E2E-RESULT" "$log" | sed "s/^E2E-RESULT /$kmod_name: /"
	if [ "$kmod_boot_status" != 0 ]; then
		echo "$kmod_name: boot did not complete (bochs-boot status $kmod_boot_status)"
		fail=$((fail + 1))
	fi
	# Any kernel warning, oops or lockdep report is a failure.
	if grep -E "WARNING:|BUG:|Oops|Call Trace|general protection|invalid opcode" "$log"; then
		echo "$kmod_name: kernel reported a problem (see above)"
		fail=$((fail + 1))
	fi
	if [ "$pass" = 0 ] && [ "$fail" = 0 ]; then
		echo "$kmod_name: no result lines"
		fail=1
	fi
	if [ "$fail" != 0 ]; then
		echo "--- last lines of the serial log ---"
		tail -n 40 "$log"
	fi
	echo "$kmod_name: $pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}
