#!/bin/bash
# End-to-end: a real kdump vmcore of the emulated Intel host (Bochs) with
# 2 KVM VMs x 2 vCPUs running, checked independently (every vCPU's VMCS in
# the ELF vmcore and in the makedumpfile -c dump, with the values the guests
# set).  All of it is tests/e2e/kdump/run.sh; this case names its checks
# kdump/... and keeps the dumps in build/e2e/kdump/ (vmcore, vmcore.zlib,
# vmcore.lzo) for later tests.  About 2-4 minutes.
#
# Environment: KDUMP_ARGS, more options for run.sh (e.g. "--mode raw").
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../../.." && pwd)
# shellcheck disable=SC2086 # KDUMP_ARGS is a list of options
"$top/tests/e2e/kdump/run.sh" --prefix kdump/ --out "$top/build/e2e/kdump" \
	${KDUMP_ARGS:-} "$@" &
# Background + wait: a signal ends the run at once (run.sh cleans up).
trap 'kill $! 2>/dev/null; wait; exit 130' INT TERM HUP
wait $!
