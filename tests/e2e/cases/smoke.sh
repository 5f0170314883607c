#!/bin/bash
# Smoke test of the harness: the kernel boots under Bochs, the emulated CPU
# shows VMX under a model that has it and not under one that lacks it, and
# the running kernel is the one the module is built for.
#
# Models: corei7_skylake_x (the default, VMX) and p4_prescott_celeron_336
# (an Intel x86-64 CPU without VMX, for the module's refusal path; Bochs'
# cpudb enables no BX_ISA_VMX for it). Both boot at once unless E2E_JOBS=1.
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/../lib.sh"

tmp=$E2E_TMP
kver=$(e2e_kver)

cat >"$tmp/init" <<'INIT'
#!/bin/sh
. /lib/e2e/init-lib.sh
e2e_setup
echo "E2E-VMX-LINES $(grep -c vmx /proc/cpuinfo)"
if grep '^flags' /proc/cpuinfo | grep -qw vmx; then
	echo "E2E-VMX-FLAG yes"
else
	echo "E2E-VMX-FLAG no"
fi
echo "E2E-VENDOR $(sed -n 's/^vendor_id[^:]*: //p' /proc/cpuinfo | head -n 1)"
echo "E2E-KERNEL $(uname -r)"
e2e_done
INIT
e2e_initramfs "$tmp/initrd.gz" "$tmp/init" || {
	e2e_fail smoke "cannot build the initramfs"
	e2e_finish
}

# check NAME CPU WANT_VMX(yes|no)
check() {
	local name=$1 cpu=$2 want=$3 log=$tmp/$2.log
	# wait gives the job's status, even if it was already waited for.
	if ! wait "${pids[$cpu]}"; then
		e2e_fail "$name" "$(e2e_boot_verdict "$log")"
		return
	fi
	local vmx lines kernel vendor
	vmx=$(e2e_value "$log" E2E-VMX-FLAG)
	lines=$(e2e_value "$log" E2E-VMX-LINES)
	kernel=$(e2e_value "$log" E2E-KERNEL)
	vendor=$(e2e_value "$log" E2E-VENDOR)
	if [ "$vmx" != "$want" ]; then
		e2e_fail "$name" "vmx flag '$vmx', want '$want' (grep -c vmx: $lines)"
	elif [ "$want" = no ] && [ "$lines" != 0 ]; then
		e2e_fail "$name" "no vmx flag but grep -c vmx gives $lines"
	elif [ "$kernel" != "$kver" ]; then
		e2e_fail "$name" "kernel '$kernel', want '$kver'"
	else
		e2e_pass "$name" "($vendor, vmx=$vmx, grep -c vmx: $lines," \
			"$kernel, $(e2e_boot_time "$log") s)"
	fi
}

declare -A pids
for cpu in corei7_skylake_x p4_prescott_celeron_336; do
	e2e_boot "$tmp/$cpu.log" --cpu "$cpu" --initrd "$tmp/initrd.gz" \
		--timeout 120 &
	pids[$cpu]=$!
	if [ "${E2E_JOBS:-2}" -le 1 ]; then
		wait "$!"
	fi
done
check smoke/vmx-corei7_skylake_x corei7_skylake_x yes
check smoke/novmx-p4_prescott_celeron_336 p4_prescott_celeron_336 no
e2e_finish
