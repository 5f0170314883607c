#!/bin/bash
# End-to-end: vmcsinfo.ko probing inside KVM's VMX operation.  With a KVM
# VM whose vCPU's VMCS is current on the CPU (kmod-kvm-vcpu.c), the module
# must probe inside that VMX operation (flag in_vmx_op), find the same
# layout as without KVM, and give the VMCS back: the vCPU keeps running.
# After the VM is gone (KVM leaves VMX operation) the module loads as usual.
set -u
. "$(dirname "$0")/kmod-lib/host.sh"
kmod_setup kmod-kvm

gcc -static -O2 -Wall -Wextra -Werror -o "$work/kvm-vcpu" \
	"$kmod_lib/kvm-vcpu.c" || exit 1

cat >"$work/init" <<'GUEST'
#!/bin/sh
. /lib/e2e/init-lib.sh
. /lib/e2e/kmod-guest.sh
e2e_setup 4
L=/sys/module/vmcsinfo/layout
rows() {
	sed '1,/^ENCODING NAME OFFSET SIZE FLAGS$/d' $L
}

modprobe kvm_intel
kmod_check kvm-loaded [ -c /dev/kvm ]
kmod_insmod
kmod_check load-without-vm [ "$load_rc" = 0 ]
rows >/tmp/rows-own
kmod_check own-vmx-op sh -c "! grep -q '^flags.*in_vmx_op' $L"
rmmod vmcsinfo

/kvm-vcpu /tmp/ready /tmp/go 1000 >/tmp/kvm.out 2>&1 &
vcpu=$!
i=0
while [ ! -e /tmp/ready ] && [ $i -lt 300 ] && kill -0 $vcpu 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
kmod_check vcpu-ready [ -e /tmp/ready ]
dmesg -c >/dev/null
kmod_insmod
kmod_check load-with-vm [ "$load_rc" = 0 ]
kmod_check in-vmx-op grep -q '^flags.*in_vmx_op' $L
kmod_check summary-in-vmx-op sh -c "dmesg | grep -q 'on CPU 0 inside VMX operation, VMCS 0x[0-9a-f]* restored'"
rows >/tmp/rows-kvm
kmod_check same-layout cmp /tmp/rows-own /tmp/rows-kvm
rmmod vmcsinfo
touch /tmp/go
wait $vcpu
kmod_check vcpu-runs-after-probe [ $? = 0 ]
cat /tmp/kvm.out

kmod_insmod
kmod_check load-after-vm [ "$load_rc" = 0 ]
kmod_check own-vmx-op-again sh -c "! grep -q '^flags.*in_vmx_op' $L"
rmmod vmcsinfo
kmod_done
GUEST

kmod_boot "$work/init" corei7_skylake_x --kmod kvm_intel \
	--file "$kmod_lib/guest.sh:/lib/e2e/kmod-guest.sh" \
	--file "$work/kvm-vcpu:/kvm-vcpu"
kmod_judge
