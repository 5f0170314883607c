#!/bin/bash
# End-to-end: every error path of vmcsinfo.ko that can be reached under
# Bochs, forced with the fail_at parameter: the load must fail with the
# documented errno and message and leave nothing behind, and a normal load
# must still work afterwards (CR4 and VMX state restored).  Runs on the
# Sandy Bridge model, which also covers a CPU without VMWRITE-to-any-field.
set -u
. "$(dirname "$0")/kmod-lib/host.sh"
kmod_setup kmod-errors

cat >"$work/init" <<'GUEST'
#!/bin/sh
. /lib/e2e/init-lib.sh
. /lib/e2e/kmod-guest.sh
e2e_setup 4
# The allocator itself reports a real failure of this one.
kmod_refused fail-alloc_caps "Cannot allocate memory" \
	"fault injection: failing at alloc_caps" fail_at=alloc_caps
for point in alloc_vmxon alloc_region alloc_work alloc_layout \
	     alloc_note alloc_text; do
	kmod_refused "fail-$point" "Cannot allocate memory" "out of memory" \
		fail_at=$point
done
kmod_refused fail-sysfs "Cannot allocate memory" \
	"cannot create /sys/module/vmcsinfo/layout" fail_at=sysfs
kmod_refused fail-vmxon "No such device or address" \
	"VMXON failed (VMfailInvalid), CR4 restored" fail_at=vmxon
kmod_refused fail-vmxon-fault "Bad address" \
	"VMXON failed (#UD/#GP), CR4 restored" fail_at=vmxon_fault
kmod_refused fail-probe "Protocol error" \
	"probe failed: sweep: VMX instruction failed: VMREAD faulted" \
	fail_at=probe
kmod_refused fail-unknown-point "Invalid argument" \
	"fail_at=bogus is not a known fault-injection point" fail_at=bogus

# CR4.VMXE must be clear again: a clean load works and finds the layout.
kmod_insmod fail_at=none
kmod_check load-after-errors [ "$load_rc" = 0 ]
kmod_check sandy-readonly grep -Eq '^0x4402 VM_EXIT_REASON 0x[0-9a-f]+ 4 ro$' \
	/sys/module/vmcsinfo/layout
kmod_check sandy-flags grep -qx 'flags cpus_agree' /sys/module/vmcsinfo/layout
rmmod vmcsinfo
kmod_check unload [ $? = 0 ]
kmod_done
GUEST

kmod_boot "$work/init" corei7_sandy_bridge_2600k \
	--file "$kmod_lib/guest.sh:/lib/e2e/kmod-guest.sh"
kmod_judge
