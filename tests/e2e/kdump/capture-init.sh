#!/bin/sh
# /init of the kdump capture kernel of tests/e2e/kdump/run.sh, busybox sh.
#
# Writes the crashed kernel's memory (/proc/vmcore) to the start of the
# second disk (/dev/sda); run.sh reads it back from the disk image
# (extract-vmcore.py: the ELF headers or the flattened records say how
# long it is).
#
# Settings from /capture.conf (written by run.sh):
#   KDUMP_MODE  raw:      dd /proc/vmcore as it is (an ELF file);
#               filtered: makedumpfile -F -E -d 31, the flattened form of
#                         an ELF without zero, cache, user and free pages
#                         (far less to write through the emulated disk;
#                         KVM's VMCS pages are kernel pages and stay);
#                         run.sh turns it back into the ELF file with
#                         makedumpfile -R
#
# Output:
#   KDUMP-STEP NAME UPTIME
#   KDUMP-VMCORE-SIZE N        size of /proc/vmcore
#   KDUMP-WRITTEN mode=M rc=N  the copy's exit status
#   KDUMP-FAIL WHAT
. /lib/e2e/init-lib.sh
. /capture.conf
e2e_setup 4

step() {
	echo "KDUMP-STEP $1 $(cut -d' ' -f1 /proc/uptime)"
}

fail() {
	echo "KDUMP-FAIL $*"
	e2e_done
}

step capture-up
[ -r /proc/vmcore ] || fail "no /proc/vmcore: not a capture kernel?"
echo "KDUMP-VMCORE-SIZE $(stat -c %s /proc/vmcore)"
modprobe ata_piix || fail "modprobe ata_piix"
modprobe sd_mod || fail "modprobe sd_mod"
i=0
while [ ! -b /dev/sda ]; do
	i=$((i + 1))
	[ $i -le 200 ] || fail "no /dev/sda after 20 s"
	sleep 0.1
done
step disk-ready

case $KDUMP_MODE in
raw)
	dd if=/proc/vmcore of=/dev/sda bs=1M conv=fsync 2>/tmp/copy.log
	rc=$?
	;;
filtered)
	# -F: the flattened format on stdout, sequential, which dd writes in
	# whole 1 MiB blocks.  Written straight to the disk, makedumpfile -E
	# puts its data at offsets that are not sector aligned (976 mod 4096),
	# so the kernel reads a sector back before each page write; measured
	# 27.7 s of emulated time that way against 26.0 s with -F (most of it
	# is makedumpfile's own copy loop, not the disk).
	# --message-level 22: common messages, errors and the report, no
	# progress indicator.  The report goes to the serial log.
	{
		LD_LIBRARY_PATH=/lib/x86_64-linux-gnu /usr/bin/makedumpfile \
			-F -E -d 31 --message-level 22 /proc/vmcore 2>/tmp/mdf.log
		echo $? >/tmp/mdf.rc
	} | dd of=/dev/sda ibs=64k obs=1M conv=fsync 2>/tmp/copy.log
	rc=$?
	[ "$(cat /tmp/mdf.rc)" = 0 ] || { rc=$(cat /tmp/mdf.rc); cat /tmp/mdf.log >>/tmp/copy.log; }
	sed -n '/^STEP \[/,/^Write bytes/s/^/KDUMP-MDF /p' /tmp/mdf.log
	;;
*)
	fail "unknown KDUMP_MODE '$KDUMP_MODE'"
	;;
esac
[ "$rc" = 0 ] || tail -n 20 /tmp/copy.log
echo "KDUMP-WRITTEN mode=$KDUMP_MODE rc=$rc"
step written
e2e_done
