#!/bin/bash
# End-to-end: like kdump-vmcore.sh, with vmcsinfo.ko loaded while the KVM
# guests run: the module probes inside KVM's VMX operation, the guests keep
# running, and the dump must hold the module's VMCSINFO note at the address
# /sys/kernel/vmcsinfo gave, whose layout (read with tests/notefmt/notefmt.py)
# decodes every vCPU's VMCS to the values the guest set.  Checks are named
# kdump-module/...; dumps kept in build/e2e/kdump-module/.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
# shellcheck disable=SC2086 # KDUMP_ARGS is a list of options
"$top/tests/e2e/kdump/run.sh" --with-module --prefix kdump-module/ \
	--out "$top/build/e2e/kdump-module" ${KDUMP_ARGS:-} "$@" &
trap 'kill $! 2>/dev/null; wait; exit 130' INT TERM HUP
wait $!
