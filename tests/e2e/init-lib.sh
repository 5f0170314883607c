# shellcheck shell=sh
# Helpers for the /init scripts of the end-to-end tests (busybox sh).
# Included in every initramfs as /lib/e2e/init-lib.sh; use:
#   #!/bin/sh
#   . /lib/e2e/init-lib.sh
#   e2e_setup
#   ...test, printing little: every serial byte costs ~87 us under Bochs...
#   e2e_done
#
# The harness (bochs-boot) stops Bochs as soon as the serial log shows the
# line E2E-DONE, or "Kernel panic", so e2e_done must come last.

# Mount the usual file systems and let kernel messages up to KERN_INFO
# (level 6) reach the console, so a module's pr_info() lands in the log.
e2e_setup() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	echo "${1:-7}" > /proc/sys/kernel/printk
}

# e2e_result NAME PASS|FAIL [DETAIL...]: one machine-readable result line.
e2e_result() {
	_e2e_name=$1
	_e2e_verdict=$2
	shift 2
	echo "E2E-RESULT $_e2e_name $_e2e_verdict${*:+ $*}"
}

# Print the final marker and power off (there is no init to return to).
# The pause lets the serial driver drain its buffer: poweroff -f does not
# wait for it, so the last ~4 KiB of output could be lost. The harness stops
# Bochs as soon as it sees the marker, so the pause costs nothing there.
e2e_done() {
	echo "E2E-DONE"
	sleep 1
	poweroff -f
}
