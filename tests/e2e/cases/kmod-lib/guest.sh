# Guest-side helpers for the tests/e2e/cases/kmod-*.sh cases (busybox sh),
# installed in the initramfs as /lib/e2e/kmod-guest.sh next to init-lib.sh.

# kmod_check NAME COMMAND...: run COMMAND quietly and report PASS or FAIL.
kmod_check() {
	_kc_name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		e2e_result "$_kc_name" PASS
	else
		e2e_result "$_kc_name" FAIL
	fi
}

# kmod_insmod [PARAM=VALUE...]: load the module; $load_rc and
# /tmp/insmod.err (busybox prints the errno's text there) tell the outcome.
kmod_insmod() {
	insmod /vmcsinfo.ko "$@" 2>/tmp/insmod.err
	load_rc=$?
}

kmod_loaded() {
	[ -d /sys/module/vmcsinfo ]
}

# kmod_refused NAME ERRNO-TEXT LOG-TEXT [PARAM=VALUE...]: the load must
# fail with that errno, log that message and leave nothing behind.
kmod_refused() {
	_kr_name=$1
	_kr_errno=$2
	_kr_log=$3
	shift 3
	dmesg -c >/dev/null
	kmod_insmod "$@"
	if [ "$load_rc" != 0 ] && grep -q "$_kr_errno" /tmp/insmod.err &&
	   dmesg | grep -q "vmcsinfo: .*$_kr_log" && ! kmod_loaded &&
	   [ ! -e /sys/kernel/vmcsinfo ]; then
		e2e_result "$_kr_name" PASS
	else
		e2e_result "$_kr_name" FAIL "rc=$load_rc $(cat /tmp/insmod.err)"
		kmod_loaded && rmmod vmcsinfo
	fi
}

# Let the serial port drain before the marker and the power-off.
kmod_done() {
	sleep 1
	e2e_done
}
