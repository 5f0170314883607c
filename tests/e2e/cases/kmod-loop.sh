#!/bin/bash
# End-to-end: load and unload vmcsinfo.ko 50 times on Bochs' Skylake-X
# model.  Every load must succeed, the kernel must log no warning, and the
# free pages, slab and vmalloc usage after the loop must be what they were
# before it (within a small tolerance, far below one page per iteration).
set -u
. "$(dirname "$0")/kmod-lib/host.sh"
kmod_setup kmod-loop

cat >"$work/init" <<'GUEST'
#!/bin/sh
. /lib/e2e/init-lib.sh
. /lib/e2e/kmod-guest.sh
e2e_setup
# counters that a leak would move, after caches are dropped
snap() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	free=$(awk '$1 == "nr_free_pages" { print $2 }' /proc/vmstat)
	slab=$(awk '$1 == "nr_slab_unreclaimable" { print $2 }' /proc/vmstat)
	vmal=$(awk '$1 == "VmallocUsed:" { print $2 }' /proc/meminfo)
}
# warm-up: the first load creates caches that outlive it
insmod /vmcsinfo.ko && rmmod vmcsinfo
snap
free0=$free slab0=$slab vmal0=$vmal
ok=0
i=0
while [ $i -lt 50 ]; do
	insmod /vmcsinfo.ko 2>/tmp/insmod.err && [ -s /sys/module/vmcsinfo/note ] &&
		rmmod vmcsinfo && ok=$((ok + 1))
	i=$((i + 1))
done
snap
echo "LOOP ok=$ok free=$free0->$free slab=$slab0->$slab vmalloc_kb=$vmal0->$vmal"
kmod_check loads-50 [ "$ok" = 50 ]
# a leak of one page per iteration would be 50 pages
kmod_check free-pages [ $((free0 - free)) -lt 24 ]
kmod_check slab-pages [ $((slab - slab0)) -lt 24 ]
kmod_check vmalloc [ $((vmal - vmal0)) -lt 96 ]
kmod_check log-lines [ "$(dmesg | grep -c 'vmcsinfo: VMCS revision')" = 51 ]
kmod_done
GUEST

kmod_boot "$work/init" corei7_skylake_x \
	--file "$kmod_lib/guest.sh:/lib/e2e/kmod-guest.sh"
grep '^LOOP ' "$work/serial.txt"
kmod_judge
