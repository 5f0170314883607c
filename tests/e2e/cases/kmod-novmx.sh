#!/bin/bash
# End-to-end: on an emulated CPU without VMX the module refuses to load
# with ENODEV and the one-line message, and leaves nothing behind.
set -u
. "$(dirname "$0")/kmod-lib/host.sh"
kmod_setup kmod-novmx

cat >"$work/init" <<'GUEST'
#!/bin/sh
. /lib/e2e/init-lib.sh
. /lib/e2e/kmod-guest.sh
e2e_setup 4
kmod_check cpu-lacks-vmx sh -c "! grep -qw vmx /proc/cpuinfo"
kmod_refused refused-no-vmx "No such device" "CPU has no VMX"
kmod_done
GUEST

kmod_boot "$work/init" p4_prescott_celeron_336 \
	--file "$kmod_lib/guest.sh:/lib/e2e/kmod-guest.sh"
kmod_judge
