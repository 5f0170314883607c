#!/bin/bash
# End-to-end: load vmcsinfo.ko on Bochs' Skylake-X VMX model and check the
# log line, /sys/kernel/vmcsinfo, /sys/module/vmcsinfo/{note,layout}
# (the note is dumped and verified on the host: header, CRC-32, physical
# address), unload with a sysfs file still open, and reload.
set -u
. "$(dirname "$0")/kmod-lib/host.sh"
kmod_setup kmod-load

cat >"$work/init" <<'GUEST'
#!/bin/sh
. /lib/e2e/init-lib.sh
. /lib/e2e/kmod-guest.sh
e2e_setup
kmod_insmod
kmod_check load [ "$load_rc" = 0 ]
kmod_check summary-line sh -c "dmesg | grep -q 'vmcsinfo: VMCS revision 0x2b, 4096-byte region, [0-9]* fields, methods read+write agree; [0-9]* VMPTRLD [0-9]* VMREAD [0-9]* VMWRITE in [0-9]* us on CPU 0; 1 CPU compared: same capabilities; note [0-9]* bytes at 0x[0-9a-f]*'"

read -r addr size </sys/kernel/vmcsinfo
kmod_check vmcsinfo-format sh -c "echo '$addr $size' | grep -Eqx '[0-9a-f]+ [0-9a-f]+'"
kmod_check note-size [ "$(wc -c </sys/module/vmcsinfo/note)" -eq "$((0x$size))" ]
for f in /sys/kernel/vmcsinfo /sys/module/vmcsinfo/note /sys/module/vmcsinfo/layout; do
	kmod_check "mode-${f##*/}" [ "$(stat -c %a "$f")" = 400 ]
done
echo "VMCSINFO-SYSFS $addr $size"
echo "NOTE-BEGIN"
od -A n -t x1 -v /sys/module/vmcsinfo/note
echo "NOTE-END"

L=/sys/module/vmcsinfo/layout
kmod_check layout-revision grep -qx 'revision_id 0x2b' $L
kmod_check layout-region grep -qx 'region_size 4096' $L
kmod_check layout-launch grep -qx 'launch_state 0x8 4' $L
kmod_check layout-methods grep -qx 'methods read write' $L
kmod_check layout-mismatches grep -qx 'mismatches 0' $L
kmod_check layout-flags grep -qx 'flags vmwrite_any,cpus_agree' $L
nfields=$(sed -n 's/^nfields //p' $L)
kmod_check layout-nfields [ "$nfields" -gt 100 ]
kmod_check layout-rows [ "$(sed '1,/^ENCODING NAME OFFSET SIZE FLAGS$/d' $L | wc -l)" = "$nfields" ]
kmod_check layout-plain grep -Eq '^0x681e GUEST_RIP 0x[0-9a-f]+ 8 wchecked$' $L
kmod_check layout-rodata grep -Eq '^0x4402 VM_EXIT_REASON 0x[0-9a-f]+ 4 [a-z,]+$' $L
kmod_check layout-bits grep -Eq '^0x4814 GUEST_ES_AR_BYTES bits [0-9]' $L
kmod_check layout-no-unknown sh -c "! grep -q ' unknown ' $L"

# Unload while a file is open: reading it afterwards must fail cleanly.
exec 3<$L
read -r first <&3
rmmod vmcsinfo
kmod_check unload-open-file [ $? = 0 ]
kmod_check read-after-unload sh -c '! cat <&3'
exec 3<&-
kmod_check sysfs-removed [ ! -e /sys/kernel/vmcsinfo ]

kmod_insmod probe_all_cpus=1
kmod_check reload-probe-all-cpus [ "$load_rc" = 0 ]
rmmod vmcsinfo
kmod_check unload-again [ $? = 0 ]
kmod_done
GUEST

kmod_boot "$work/init" corei7_skylake_x \
	--file "$kmod_lib/guest.sh:/lib/e2e/kmod-guest.sh"

# The note as the guest dumped it: structure, CRC and address.
python3 - "$work/serial.txt" <<'HOST' | sed 's/^/E2E-RESULT /' >>"$work/serial.txt"
import re, struct, sys, zlib
log = open(sys.argv[1], errors="replace").read()
m = re.search(r"^VMCSINFO-SYSFS ([0-9a-f]+) ([0-9a-f]+)$", log, re.M)
n = re.search(r"^NOTE-BEGIN\n(.*?)^NOTE-END$", log, re.M | re.S)
def result(name, ok, detail=""):
    print("note-%s %s%s" % (name, "PASS" if ok else "FAIL",
                            " " + detail if detail and not ok else ""))
if not m or not n:
    result("dump", False, "no note dump in the log")
    sys.exit()
addr, size = int(m.group(1), 16), int(m.group(2), 16)
note = bytes(int(b, 16) for b in n.group(1).split())
result("dump", len(note) == size, "%d bytes, sysfs says %d" % (len(note), size))
namesz, descsz, ntype = struct.unpack_from("<III", note, 0)
result("nhdr", (namesz, ntype) == (9, 1) and note[12:21] == b"VMCSINFO\0"
       and 24 + descsz == len(note), "%r" % ((namesz, descsz, ntype),))
desc = bytearray(note[24:])
magic, version, hdr_size, desc_size, crc, paddr = struct.unpack_from(
    "<IHHIIQ", desc, 0)
result("magic", magic == 0x53434d56 and version == 1 and hdr_size == 288,
       "%#x %d %d" % (magic, version, hdr_size))
result("desc-size", desc_size == descsz)
result("paddr", paddr == addr and addr % 4096 == 0,
       "%#x vs %#x" % (paddr, addr))
struct.pack_into("<I", desc, 12, 0)
result("crc32", zlib.crc32(bytes(desc)) == crc)
source, = struct.unpack_from("<I", desc, 52)
result("source-module", source == 1, "source %d" % source)
msr_valid, = struct.unpack_from("<I", desc, 104)
basic, = struct.unpack_from("<Q", desc, 112)
result("msr-basic", msr_valid & 1 and basic == 0x00d810000000002b,
       "valid %#x basic %#x" % (msr_valid, basic))
HOST
kmod_judge
