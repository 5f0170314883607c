#!/bin/bash
# The main job on a machine without VMX: boot Debian's kernel on Bochs'
# emulated Intel CPU (default corei7_skylake_x), load vmcsinfo.ko there,
# and print what it found: its kernel log line and, decoded on this
# machine, the layout from the note it exported.
#   scripts/bochs-demo.sh [CPU-MODEL]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cpu=${1:-corei7_skylake_x}
e2e=$top/tests/e2e
"$e2e/setup-kernel.sh" >/dev/null
make -s -C "$top" tools module >/dev/null
work=$(mktemp -d /tmp/vmcsinfo-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat >"$work/init" <<'GUEST'
#!/bin/sh
. /lib/e2e/init-lib.sh
e2e_setup
insmod /vmcsinfo.ko
dmesg | grep 'vmcsinfo:' | sed 's/^\[[ 0-9.]*\] /KLOG /'
echo "SYSFS $(cat /sys/kernel/vmcsinfo)"
echo "NOTE-BEGIN"
od -A n -t x1 -v /sys/module/vmcsinfo/note
echo "NOTE-END"
sleep 1
e2e_done
GUEST
python3 "$e2e/mkinitramfs.py" -o "$work/initrd.gz" --init "$work/init" \
	--file "$top/kmod/vmcsinfo.ko:/vmcsinfo.ko" >/dev/null
echo "Booting Debian's $(ls "$e2e/.cache" | grep -m1 amd64) on Bochs ($cpu), loading vmcsinfo.ko ..."
"$e2e/bochs-boot" --cpu "$cpu" --initrd "$work/initrd.gz" \
	--serial "$work/serial.txt" --timeout 300 >/dev/null
grep '^KLOG ' "$work/serial.txt" | sed 's/^KLOG /kernel: /'
grep '^SYSFS ' "$work/serial.txt" | sed 's|^SYSFS |/sys/kernel/vmcsinfo: |'
python3 - "$work/serial.txt" "$work/note" <<'PY'
import re, sys
log = open(sys.argv[1], errors="replace").read()
m = re.search(r"^NOTE-BEGIN\n(.*?)^NOTE-END$", log, re.M | re.S)
if not m:
    sys.exit("bochs-demo: the emulated host printed no note (see above)")
open(sys.argv[2], "wb").write(bytes(int(b, 16) for b in m.group(1).split()))
PY
echo
"$top/build/vmcsinfo-decode" layout "$work/note"
