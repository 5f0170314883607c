#!/bin/bash
# End-to-end: tests/kvm-guest/kvm-guest under Bochs' emulated VMX (the
# guests whose VMCS pages the kdump test looks for).  2 VMs x 2 vCPUs in
# real mode on "jmp $": every vCPU must print the values kvm-guest.c sets
# (checked here against the same formula), survive kicks (KVM_RUN
# interrupted, state read back unchanged) with the count growing between
# two samples, and kvm-guest must end healthy after --duration-s.
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/../lib.sh"

tmp=$E2E_TMP
kver=$(e2e_kver)
top=$(cd "$E2E_DIR/../.." && pwd)
cache=${E2E_CACHE:-$E2E_DIR/.cache}

make -s -C "$top/tests/kvm-guest" O="$tmp/kvm-guest" >"$tmp/build.log" 2>&1 || {
	cat "$tmp/build.log" >&2
	e2e_fail kdump-kvm-guest/build "make -C tests/kvm-guest failed"
	e2e_finish
}
mkdir -p "$cache"
flock "$cache/.lock" "$E2E_DIR/setup-kernel.sh" "$cache" >&2 || {
	e2e_fail kdump-kvm-guest/setup "setup-kernel.sh failed"
	e2e_finish
}
# Unsigned copies of kvm.ko and co.: verifying the signatures costs ~8 s
# of emulated time (tests/e2e/kdump/kmods.py).
kmods=()
while read -r spec; do
	kmods+=(--file "$spec")
done < <(python3 "$E2E_DIR/kdump/kmods.py" --root "$cache/$kver/root" \
	--kver "$kver" --out "$tmp/kmods" kvm_intel)

cat >"$tmp/init" <<'INIT'
#!/bin/sh
. /lib/e2e/init-lib.sh
e2e_setup 4
modprobe kvm_intel || echo "E2E-KVM-FAIL modprobe"
/kvm-guest --vms 2 --vcpus 2 --idle --interval-ms 100 --duration-s 3 \
	--status /tmp/status >/tmp/out 2>&1 &
pid=$!
i=0
while ! grep -q '^KVMGUEST-READY' /tmp/out && [ $i -lt 300 ] &&
	kill -0 $pid 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
sleep 1
sed 's/^/S1 /' /tmp/status
sleep 1
sed 's/^/S2 /' /tmp/status
wait $pid
echo "E2E-KVMGUEST-EXIT $?"
cat /tmp/out
e2e_done
INIT
e2e_initramfs "$tmp/initrd.cpio" "$tmp/init" --no-compress \
	--file "$tmp/kvm-guest/kvm-guest:/kvm-guest" "${kmods[@]}" || {
	e2e_fail kdump-kvm-guest/initramfs "cannot build the initramfs"
	e2e_finish
}
log=$tmp/serial.log
if ! e2e_boot "$log" --initrd "$tmp/initrd.cpio" --timeout 180; then
	e2e_fail kdump-kvm-guest/boot "$(e2e_boot_verdict "$log")"
	tr -d '\r' <"$log" | tail -n 20 >&2
	e2e_finish
fi
tr -d '\r' <"$log" >"$tmp/log"

# The values kvm-guest.c's wanted_state() sets for global vCPU id N.
python3 - "$tmp/log" <<'PY' && e2e_pass kdump-kvm-guest/values "4 vCPUs print the values kvm-guest sets" || e2e_fail kdump-kvm-guest/values "see above"
import sys
lines = [l.split() for l in open(sys.argv[1]) if l.startswith("KVMGUEST ")]
ok = len(lines) == 4
if not ok:
    print("want 4 KVMGUEST lines, got %d" % len(lines))
for fields in lines:
    got = dict(f.split("=", 1) for f in fields[1:])
    n = int(got["id"])
    want = {
        "vm": n // 2, "vcpu": n % 2, "rip": 0x20 + 0x10 * n,
        "rsp": 0xff0 - 0x10 * n, "rflags": 0x246,
        "rax": 0x1111000000000000 | n, "rbx": 0x2222000000000000 | n,
        "rbp": 0x7777000000000000 | n, "cr3": 0xabc000 + 0x1000 * n,
        "cr4": 0x8 | (4 if n & 1 else 0), "cs": 0x100,
        "ss": 0x200 + 0x10 * n, "ds": 0x300 + 8 * n, "es": 0x400 + 8 * n,
        "fs": 0x500 + 8 * n, "gs": 0x600 + 8 * n, "cs_base": 0x1000,
        "ss_base": (0x200 + 0x10 * n) << 4,
    }
    for key, value in want.items():
        if int(got[key], 0) != value:
            print("vCPU %d: %s=%s, want 0x%x" % (n, key, got[key], value))
            ok = False
sys.exit(0 if ok else 1)
PY

# kicks: "vm/vcpu kicks bad stopped" of the sample TAG
kicks() {
	sed -n "s/^$1 KVMSTATUS vm=\([0-9]*\) vcpu=\([0-9]*\) kicks=\([0-9]*\) bad=\([0-9]*\) other=[0-9]* stopped=\([0-9]*\).*/\1\/\2 \3 \4 \5/p" "$tmp/log"
}
problems=$(join <(kicks S1 | sort) <(kicks S2 | sort) | awk '
	{ n++ }
	$5 <= $2 { printf "%s kicks %d -> %d; ", $1, $2, $5 }
	$3 + $4 + $6 + $7 != 0 { printf "%s bad/stopped; ", $1 }
	END { if (n != 4) printf "%d vCPUs sampled, want 4", n }')
if [ -z "$problems" ]; then
	e2e_pass kdump-kvm-guest/running "kicks $(kicks S1 | awk '{ printf "%s ", $2 }')-> $(kicks S2 | awk '{ printf "%s ", $2 }')(bad 0, $(e2e_boot_time "$log") s)"
else
	e2e_fail kdump-kvm-guest/running "$problems"
fi
status=$(e2e_value "$log" E2E-KVMGUEST-EXIT)
if [ "$status" = 0 ]; then
	e2e_pass kdump-kvm-guest/exit "healthy after --duration-s 3: $(grep -c '^KVMSTATUS .*bad=0 .*stopped=0' "$tmp/log") vCPUs"
else
	e2e_fail kdump-kvm-guest/exit "kvm-guest exited with '$status'"
	grep '^KVMSTATUS\|kvm-guest' "$tmp/log" >&2
fi
e2e_finish
