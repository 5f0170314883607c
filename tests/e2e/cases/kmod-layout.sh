#!/bin/bash
# End-to-end: on each Bochs CPU model with VMX, the layout vmcsinfo.ko
# exports must equal the project's Bochs 2.7 model of that CPU
# (models/bochs-2.7-CPU.model, written from Bochs' source): the same set
# of supported encodings, every field and every bit, access-rights
# rotation included, and the read and write methods must agree.
set -u
. "$(dirname "$0")/kmod-lib/host.sh"
kmod_setup kmod-layout
decode=$kmod_top/build/vmcsinfo-decode
make -s -C "$kmod_top" tools >"$work/tools.log" 2>&1 || {
	cat "$work/tools.log"
	echo "kmod-layout: FAIL: cannot build the tools"
	exit 1
}

cat >"$work/init" <<'GUEST'
#!/bin/sh
. /lib/e2e/init-lib.sh
e2e_setup
insmod /vmcsinfo.ko 2>/tmp/insmod.err
echo "INSMOD-RC $?"
echo "NOTE-BEGIN"
od -A n -t x1 -v /sys/module/vmcsinfo/note
echo "NOTE-END"
rmmod vmcsinfo
sleep 1
e2e_done
GUEST

pass=0
fail=0
for cpu in corei7_skylake_x corei7_haswell_4770 corei7_sandy_bridge_2600k; do
	serial=$work/$cpu.serial
	python3 "$kmod_e2e/mkinitramfs.py" -o "$work/initrd-$cpu.gz" \
		--init "$work/init" --file "$ko:/vmcsinfo.ko" >/dev/null || exit 1
	start=$(date +%s)
	"$kmod_e2e/bochs-boot" --initrd "$work/initrd-$cpu.gz" --cpu "$cpu" \
		--serial "$serial" --timeout "${KMOD_TIMEOUT:-240}" >/dev/null
	boot=$?
	secs=$(( $(date +%s) - start ))
	python3 - "$serial" "$work/$cpu.note" <<'HOST'
import re, sys
log = open(sys.argv[1], errors="replace").read()
m = re.search(r"^NOTE-BEGIN\n(.*?)^NOTE-END$", log, re.M | re.S)
open(sys.argv[2], "wb").write(bytes(int(b, 16) for b in m.group(1).split()) if m else b"")
HOST
	if [ "$boot" != 0 ] || ! grep -q '^INSMOD-RC 0' "$serial"; then
		echo "kmod-layout: $cpu FAIL: boot status $boot, $(grep INSMOD-RC "$serial")"
		tail -n 20 "$serial"
		fail=$((fail + 1))
		continue
	fi
	if grep -E "WARNING:|BUG:|Oops|Call Trace" "$serial"; then
		echo "kmod-layout: $cpu FAIL: kernel reported a problem"
		fail=$((fail + 1))
		continue
	fi
	if out=$(python3 "$kmod_top/tests/sim/test_models.py" --decode "$decode" \
		--note "$work/$cpu.note" "$kmod_top/models/bochs-2.7-$cpu.model"); then
		echo "kmod-layout: $cpu PASS ($secs s): $(echo "$out" | head -n 1 | sed 's/^ok *//')"
		pass=$((pass + 1))
	else
		echo "kmod-layout: $cpu FAIL: the module's layout differs from the model"
		echo "$out" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "kmod-layout: $pass passed, $fail failed"
[ "$fail" = 0 ]
