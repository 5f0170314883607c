#!/bin/sh
# /init of the first (crashing) kernel of tests/e2e/kdump/run.sh, busybox sh.
#
# Loads KVM, starts the KVM guests (kvm-guest), optionally loads vmcsinfo.ko
# and runs a live command on /proc/kcore, loads the capture kernel with
# kexec -p and crashes with sysrq-c.  The capture kernel (capture-init.sh)
# then writes /proc/vmcore to the disk.
#
# Settings come from /kdump.conf (written by run.sh):
#   KDUMP_VMS, KDUMP_VCPUS     guests to start
#   KDUMP_MODULE               1: insmod /vmcsinfo.ko while the guests run
#   KDUMP_LIVE_CMD             1: run /live-cmd $KDUMP_LIVE_ARGS
#   KDUMP_NO_DUMP              1: stop after that (no kexec, no crash)
#   KDUMP_CAPTURE_APPEND       the capture kernel's command line
#
# Output (each line parsed by run.sh; keep it small, every serial byte costs
# ~87 us of emulated time):
#   KDUMP-STEP NAME UPTIME     a step is done (emulated seconds)
#   KVMGUEST ...               the guests' values (kvm-guest's own lines)
#   KVMSTATUS-<tag> ...        kvm-guest's status at a point (tag)
#   KDUMP-MODULE rc=N          insmod's exit status
#   KDUMP-LIVE-BEGIN / KDUMP-LIVE-END rc=N   around the live command output
#   KDUMP-FAIL WHAT            something failed; the run stops (E2E-DONE)
#   KDUMP-CRASH                about to crash: the capture kernel follows
. /lib/e2e/init-lib.sh
. /kdump.conf
e2e_setup 4

step() {
	echo "KDUMP-STEP $1 $(cut -d' ' -f1 /proc/uptime)"
}

fail() {
	echo "KDUMP-FAIL $*"
	# Whatever kvm-guest said may explain it.
	[ -e /tmp/kvm.out ] && grep -v '^KVMGUEST' /tmp/kvm.out | head -n 20
	e2e_done
}

# status TAG: kvm-guest's status file, each line tagged.
status() {
	[ -s /tmp/kvm.status ] || fail "no kvm-guest status file"
	sed "s/^KVMSTATUS /KVMSTATUS-$1 /" /tmp/kvm.status
}

step init
modprobe kvm_intel || fail "modprobe kvm_intel"
[ -c /dev/kvm ] || fail "no /dev/kvm after modprobe kvm_intel"
step kvm-loaded

# --idle: the spinning vCPUs only get the CPU nobody else wants, so kexec
# and the crash path are not slowed down by them.
/kvm-guest --vms "$KDUMP_VMS" --vcpus "$KDUMP_VCPUS" --idle \
	--interval-ms 100 --status /tmp/kvm.status >/tmp/kvm.out 2>&1 &
guest_pid=$!
i=0
while ! grep -q '^KVMGUEST-READY' /tmp/kvm.out; do
	kill -0 "$guest_pid" 2>/dev/null || fail "kvm-guest exited"
	i=$((i + 1))
	[ $i -le 600 ] || fail "kvm-guest not ready after 60 s"
	sleep 0.1
done
grep '^KVMGUEST' /tmp/kvm.out
step guests-ready
# A few kick intervals (100 ms) between status samples.  The spinning
# guests keep the CPU busy, so sleeping costs real emulated time.
sleep 0.5
status a

if [ "$KDUMP_MODULE" = 1 ]; then
	insmod /vmcsinfo.ko
	echo "KDUMP-MODULE rc=$?"
	dmesg | grep 'vmcsinfo' | tail -n 5
	# "<paddr> <size>" of the VMCSINFO note (docs/ABI/sysfs-kernel-vmcsinfo)
	[ -r /sys/kernel/vmcsinfo ] &&
		echo "KDUMP-VMCSINFO $(cat /sys/kernel/vmcsinfo)"
	step module
fi

if [ "$KDUMP_LIVE_CMD" = 1 ]; then
	echo "KDUMP-LIVE-BEGIN"
	# shellcheck disable=SC2086 # the arguments are split on purpose
	/live-cmd $KDUMP_LIVE_ARGS
	echo "KDUMP-LIVE-END rc=$?"
	step live-cmd
fi

sleep 0.5
status b
kill -0 "$guest_pid" 2>/dev/null || fail "kvm-guest exited"
if [ "$KDUMP_NO_DUMP" = 1 ]; then
	step live-done
	e2e_done
fi

# -i: no SHA-256 check of the segments in purgatory (50 s -> 4 s to load,
# 55 s -> 3 s from the panic to the capture kernel under emulation).
LD_LIBRARY_PATH=/lib/x86_64-linux-gnu /sbin/kexec -i -p /vmlinux-crash.elf \
	--args-linux --initrd=/capture.cpio \
	--append="$KDUMP_CAPTURE_APPEND" || fail "kexec -p"
[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] ||
	fail "kexec_crash_loaded is not 1"
step kexec-loaded
# The initramfs files stay: tmpfs pages are page cache, which -d 31 leaves
# out anyway (deleting the 43 MB kexec no longer needs changed nothing), and
# a raw dump with page-cache copies of vmcsinfo.ko is what a scanner must
# cope with on a real machine.
sleep 0.5
status c
kill -0 "$guest_pid" 2>/dev/null || fail "kvm-guest exited"

echo "KDUMP-CRASH"
sleep 0.5
# console_loglevel 0 keeps panic() quiet (console_verbose() leaves 0
# alone): the harness stops Bochs when it sees the panic message, and here
# the panic is what starts the capture kernel.
echo 0 >/proc/sys/kernel/printk
echo c >/proc/sysrq-trigger
echo 7 >/proc/sys/kernel/printk
fail "still running after sysrq-c"
