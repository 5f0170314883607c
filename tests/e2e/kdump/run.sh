#!/bin/bash
# A real kdump vmcore of the emulated Intel VMX host (Bochs) with KVM guests
# running, from a clean checkout, checked independently.
#
# Usage: tests/e2e/kdump/run.sh [--with-module] [--out DIR] [options]
#
#   --with-module     build kmod/vmcsinfo.ko and load it while the guests run
#   --out DIR         results (default build/e2e/kdump)
#   --mode MODE       how the capture kernel writes the dump:
#                     filtered (default): makedumpfile -F -E -d 31, an
#                     ELF without zero/cache/user/free pages (flattened on
#                     the disk, makedumpfile -R here); raw: dd of the whole
#                     /proc/vmcore
#   --memory MB       first kernel's memory (default 384)
#   --crash-mb MB     crashkernel= size (default 128); the region is placed
#                     16 MiB below the top of memory, 16 MiB aligned
#   --vms N --vcpus M guests (default 2 x 2)
#   --live-cmd BIN    copy the program BIN (and its shared libraries) into the first kernel and
#                     run it while the guests run, as BIN $LIVE_ARGS; its
#                     output goes to DIR/live.txt
#   --live-args ARGS  (default "/proc/kcore")
#   --no-dump         stop after the live command: no kexec, no crash, no
#                     dump (a quick run for a live scanner)
#   --timeout S       whole Bochs run (default 480)
#   --prefix P        prefix every check's name with P (e.g. "kdump/")
#   --signed-modules  keep the kernel modules' signatures (verifying them
#                     costs ~8 s of emulated time; see kmods.py)
#   --keep            keep the work directory (initramfs, disk image)
#
# Steps: build kvm-guest (static), [the module], the capture kernel ELF
# (mkcrashelf.py), the two initramfs images, an empty disk image; boot the
# first kernel under Bochs (first-init.sh: KVM, guests, kexec -p, sysrq-c);
# the capture kernel (capture-init.sh) writes the vmcore to the disk; then,
# on this machine: extract DIR/vmcore (ELF), makedumpfile -c -d 31
# (DIR/vmcore.zlib) and -l -d 31 (DIR/vmcore.lzo), and check-vmcore.py on
# the ELF and the zlib dump (every vCPU's VMCS with the values kvm-guest
# printed; with the module, its VMCSINFO note decoding them too) and the
# lzo dump (the same pages as the zlib one).  See README.md.
#
# Prints each step's time, one "PASS name ..." / "FAIL name: ..." line per
# check, and "N passed, N failed"; exits 1 if anything failed, 2 on a usage
# error.
set -u
set -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
e2e=$(cd "$here/.." && pwd)
top=$(cd "$e2e/../.." && pwd)

with_module=0
out=$top/build/e2e/kdump
mode=filtered
memory=384
crash_mb=128
vms=2
vcpus=2
live_cmd=
live_args=/proc/kcore
timeout=480
keep=0
signed_modules=0
prefix=
no_dump=0

usage() {
	# The comment at the top, from "Usage:" to the line before "Steps:".
	sed -n '/^# Usage:/,/^# Steps:/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--with-module) with_module=1 ;;
	--out) out=${2:?}; shift ;;
	--mode) mode=${2:?}; shift ;;
	--memory) memory=${2:?}; shift ;;
	--crash-mb) crash_mb=${2:?}; shift ;;
	--vms) vms=${2:?}; shift ;;
	--vcpus) vcpus=${2:?}; shift ;;
	--live-cmd) live_cmd=${2:?}; shift ;;
	--live-args) live_args=${2?}; shift ;;
	--timeout) timeout=${2:?}; shift ;;
	--keep) keep=1 ;;
	--signed-modules) signed_modules=1 ;;
	--prefix) prefix=${2?}; shift ;;
	--no-dump) no_dump=1 ;;
	-h|--help) usage ;;
	*) echo "run.sh: unknown option $1" >&2; usage ;;
	esac
	shift
done
case $mode in raw|filtered) ;; *) echo "run.sh: --mode raw|filtered" >&2; exit 2 ;; esac
for n in "$memory" "$crash_mb" "$vms" "$vcpus" "$timeout"; do
	case $n in ''|*[!0-9]*) echo "run.sh: not a number: '$n'" >&2; exit 2 ;; esac
done
if [ -n "$live_cmd" ] && [ ! -x "$live_cmd" ]; then
	echo "run.sh: --live-cmd $live_cmd: not an executable" >&2
	exit 2
fi
# The crash region: 16 MiB aligned, 16 MiB below the top of memory (Bochs'
# BIOS keeps ACPI tables at the very top; the first kernel's image and its
# initramfs sit low, from 16 MiB up).
crash_base_mb=$(((memory - crash_mb - 16) / 16 * 16))
if [ "$crash_base_mb" -lt 160 ]; then
	echo "run.sh: --memory $memory is too small for --crash-mb $crash_mb" \
		"(the first kernel, its initramfs and the region must fit)" >&2
	exit 2
fi
crashkernel="${crash_mb}M@${crash_base_mb}M"

# The capture kernel: the fast command line of bochs-boot plus the usual
# kdump options (one CPU, no device state assumed).
# rodata=off: no W+X page table walk (2.5 s of emulated time); nothing in
# the capture kernel needs read-only kernel data.
capture_append="console=ttyS0,115200 quiet cryptomgr.notests=1 mitigations=off tsc_early_khz=50000 rodata=off nr_cpus=1 irqpoll reset_devices"

passed=0
failed=0
pass() { echo "PASS $prefix$*"; passed=$((passed + 1)); }
fail() { local n=$1; shift; echo "FAIL $prefix$n: $*"; failed=$((failed + 1)); }
# relay FILE PREFIX: a checker's "PASS name ..." / "FAIL name: ..." lines in
# FILE become checks of ours, named PREFIX+name; its other output goes to
# stderr.  A checker that printed no result is a failure.
relay() {
	local file=$1 pre=$2 verdict rest
	grep -v '^\(PASS\|FAIL\) ' "$file" >&2
	while read -r verdict rest; do
		case $verdict in
		PASS) pass "$pre$rest" ;;
		FAIL) fail "$pre${rest%%:*}" "${rest#*: }" ;;
		esac
	done < <(grep '^\(PASS\|FAIL\) ' "$file")
	grep -q '^\(PASS\|FAIL\) ' "$file" ||
		fail "${pre}result" "$(basename "$file"): the checker printed no result"
}
# expect NAME PASS_DETAIL FAIL_REASON COMMAND...: one check.
expect() {
	local name=$1 good=$2 bad=$3
	shift 3
	if "$@"; then
		pass "$name" "$good"
	else
		fail "$name" "$bad"
	fi
}
note() { echo "run.sh: $*" >&2; }

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ] && exit 0
	exit 1
}

# Fatal setup problem: report it as a failed check and stop.
abort() {
	fail "$@"
	finish
}

work=$(mktemp -d "${TMPDIR:-/tmp}/kdump-run.XXXXXX") || exit 2
cleanup() {
	local jobs
	jobs=$(jobs -p)
	if [ -n "$jobs" ]; then
		# shellcheck disable=SC2086
		kill $jobs 2>/dev/null
		wait 2>/dev/null
	fi
	if [ "$keep" = 1 ]; then
		note "work directory kept: $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)
rm -f "$out"/{serial.log,times.txt,kvmguest.txt,vmcore,vmcore.zlib,vmcore.lzo,check.txt,live.txt,makedumpfile.log,timings.txt}

# Step timer: "TIME name seconds" lines, also collected in timings.txt.
step_t0=
step_begin() { step_t0=$EPOCHREALTIME; }
step_end() {
	local t
	t=$(awk -v a="$step_t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	echo "TIME $1 ${t} s"
	echo "$1 $t" >>"$out/timings.txt"
}
run_t0=$EPOCHREALTIME

need() {
	command -v "$1" >/dev/null 2>&1 ||
		abort setup "'$1' not found; install the Debian package '$2'"
}
need gcc gcc
need make make
need python3 python3
need ldd libc-bin
need kexec kexec-tools
need makedumpfile makedumpfile
need flock util-linux
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] ||
	abort setup "no static libc: install the Debian package 'libc6-dev'"

kver=${KVER:-$(printf '%s\n' /usr/src/linux-headers-*-amd64 | sort -V |
	tail -n 1 | sed 's|^/usr/src/linux-headers-||')}
[ -d "/usr/src/linux-headers-$kver" ] ||
	abort setup "no /usr/src/linux-headers-*-amd64: install linux-headers-amd64"
cache=${E2E_CACHE:-$e2e/.cache}
export E2E_CACHE=$cache KVER=$kver

# --- 1. build -----------------------------------------------------------
step_begin
# Same lock as bochs-boot's (fcntl/flock on .cache/.lock).
mkdir -p "$cache"
flock "$cache/.lock" "$e2e/setup-kernel.sh" "$cache" >"$work/setup.log" 2>&1 || {
	cat "$work/setup.log" >&2
	abort setup "setup-kernel.sh failed"
}
vmlinux=$cache/$kver/vmlinux
make -s -C "$top/tests/kvm-guest" O="$work/kvm-guest" >"$work/build.log" 2>&1 || {
	cat "$work/build.log" >&2
	abort build/kvm-guest "make -C tests/kvm-guest failed"
}
pass build/kvm-guest "static $(stat -c %s "$work/kvm-guest/kvm-guest") bytes"
if [ "$with_module" = 1 ]; then
	# Other cases build kmod/ too: one build at a time (as kmod-lib does).
	flock /tmp/vmcsinfo-kmod-build.lock make -s -C "$top/kmod" \
		KDIR="${KDIR:-/usr/src/linux-headers-$kver}" >"$work/kmod.log" 2>&1 || {
		cat "$work/kmod.log" >&2
		abort build/module "make -C kmod failed"
	}
	pass build/module "kmod/vmcsinfo.ko"
fi
if [ "$no_dump" = 0 ]; then
	python3 "$here/mkcrashelf.py" "$vmlinux" "$work/vmlinux-crash.elf" \
		--base $((crash_base_mb << 20)) >"$work/mkcrashelf.out" ||
		abort build/crash-kernel "mkcrashelf.py failed"
	crash_end=$(sed -n 's/.* end=\(0x[0-9a-f]*\).*/\1/p' "$work/mkcrashelf.out")
	if [ $((crash_end)) -gt $(((crash_base_mb + crash_mb) << 20)) ]; then
		abort build/crash-kernel "the capture kernel ends at $crash_end, beyond crashkernel=$crashkernel"
	fi
	pass build/crash-kernel "$(cat "$work/mkcrashelf.out")"
fi

# kmod_files NAME...: mkinitramfs arguments for kernel modules NAME and
# their dependencies, with modules.dep; unsigned copies unless
# --signed-modules.
kmod_files() {
	local name spec
	if [ "$signed_modules" = 1 ]; then
		for name in "$@"; do
			printf -- '--kmod\n%s\n' "$name"
		done
		return
	fi
	python3 "$here/kmods.py" --root "$cache/$kver/root" --kver "$kver" \
		--out "$work/kmods-$1" "$@" | while read -r spec; do
		printf -- '--file\n%s\n' "$spec"
	done
}

# dyn_files BIN DEST: mkinitramfs --file arguments for a dynamically linked
# program and the shared libraries ldd finds for it, at the same paths.
dyn_files() {
	local bin=$1 dest=$2 lib
	printf -- '--file\n%s:%s\n' "$bin" "$dest"
	ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' | sort -u | while read -r lib; do
		printf -- '--file\n%s:%s\n' "$lib" "$lib"
	done
}

# The capture kernel's initramfs; plain cpio: kexec hands it to the kernel
# as it is, and the kernel would inflate a gzip'd one under emulation.
build_capture_initramfs() {
	echo "KDUMP_MODE=$mode" >"$work/capture.conf"
	capture_files=(--file "$work/capture.conf:/capture.conf")
	if [ "$mode" = filtered ]; then
		mapfile -t extra < <(dyn_files "$(command -v makedumpfile)" /usr/bin/makedumpfile)
		capture_files+=("${extra[@]}")
	fi
	mapfile -t extra < <(kmod_files ata_piix sd_mod)
	[ ${#extra[@]} -gt 0 ] || abort build/initramfs "kmods.py failed"
	capture_files+=("${extra[@]}")
	python3 "$e2e/mkinitramfs.py" -o "$work/capture.cpio" --no-compress \
		--init "$here/capture-init.sh" "${capture_files[@]}" \
		2>>"$work/mkinitramfs.log" || {
		cat "$work/mkinitramfs.log" >&2
		abort build/initramfs "capture initramfs"
	}
}
[ "$no_dump" = 0 ] && build_capture_initramfs

cat >"$work/kdump.conf" <<EOF
KDUMP_VMS=$vms
KDUMP_VCPUS=$vcpus
KDUMP_MODULE=$with_module
KDUMP_LIVE_CMD=$([ -n "$live_cmd" ] && echo 1 || echo 0)
KDUMP_LIVE_ARGS='$live_args'
KDUMP_NO_DUMP=$no_dump
KDUMP_CAPTURE_APPEND='$capture_append'
EOF
first_files=(--file "$work/kdump.conf:/kdump.conf"
	--file "$work/kvm-guest/kvm-guest:/kvm-guest")
if [ "$no_dump" = 0 ]; then
	first_files+=(--file "$work/vmlinux-crash.elf:/vmlinux-crash.elf"
		--file "$work/capture.cpio:/capture.cpio")
	mapfile -t extra < <(dyn_files "$(command -v kexec)" /sbin/kexec)
	first_files+=("${extra[@]}")
fi
mapfile -t extra < <(kmod_files kvm_intel)
[ ${#extra[@]} -gt 0 ] || abort build/initramfs "kmods.py failed"
first_files+=("${extra[@]}")
[ "$with_module" = 1 ] && first_files+=(--file "$top/kmod/vmcsinfo.ko:/vmcsinfo.ko")
if [ -n "$live_cmd" ]; then
	# a dynamically linked command comes with its libraries
	mapfile -t extra < <(dyn_files "$live_cmd" /live-cmd)
	first_files+=("${extra[@]}")
fi
python3 "$e2e/mkinitramfs.py" -o "$work/first.cpio" --no-compress \
	--init "$here/first-init.sh" "${first_files[@]}" \
	2>>"$work/mkinitramfs.log" || {
	cat "$work/mkinitramfs.log" >&2
	abort build/initramfs "first initramfs"
}
boot_args=(--initrd "$work/first.cpio" --memory "$memory" --timeout "$timeout")
if [ "$no_dump" = 0 ]; then
	pass build/initramfs "first $(stat -c %s "$work/first.cpio") bytes, capture $(stat -c %s "$work/capture.cpio") bytes"
	# A new sparse disk per run, big enough for an unfiltered dump;
	# bochs-boot wants whole cylinders of 16 heads x 63 sectors.
	cyl=516096
	truncate -s $(((((memory + 2) << 20) + cyl - 1) / cyl * cyl)) "$work/dump.img"
	boot_args+=(--disk "$work/dump.img" --append "crashkernel=$crashkernel")
else
	pass build/initramfs "$(stat -c %s "$work/first.cpio") bytes"
fi
step_end build

# --- 2. Bochs: first kernel, crash, capture kernel ----------------------
step_begin
if [ "$no_dump" = 0 ]; then
	note "booting: ${memory} MB, crashkernel=$crashkernel, ${vms}x${vcpus} vCPUs, mode $mode"
else
	note "booting: ${memory} MB, ${vms}x${vcpus} vCPUs, no dump"
fi
python3 "$here/boot-watch.py" --log "$out/serial.log" --times "$out/times.txt" \
	--stall 150 --stall-after KDUMP-CRASH=90 \
	--stall-after "KDUMP-STEP disk-ready=300" \
	-- "${boot_args[@]}" 2>"$work/boot.err" &
# In the background so that a signal to this script is handled at once
# (bash runs traps only between foreground commands): cleanup then stops
# boot-watch, which stops bochs-boot and its Bochs.
wait $!
boot_status=$?
step_end bochs
cat "$work/boot.err" >&2
# Per step: wall seconds since the previous progress line, and emulated
# seconds (the guest's uptime; it restarts with the capture kernel).
awk '$2 == "KDUMP-STEP" || $2 == "KDUMP-CRASH" || $2 == "STALL" {
	wall = $1 - prev_wall; prev_wall = $1
	if ($2 == "KDUMP-STEP") {
		up = $4; emu = up < prev_up ? up : up - prev_up; prev_up = up
		printf "TIME bochs/%s %.1f s (emulated %.2f s, uptime %s)\n", $3, wall, emu, up
	} else if ($2 == "KDUMP-CRASH") {
		printf "TIME bochs/crash %.1f s\n", wall
	} else {
		print "TIME bochs/" $0
	}
}' "$out/times.txt"

log() { tr -d '\r' <"$out/serial.log"; }
value() { log | sed -n "s/^$1 //p" | tail -n 1; }
has_step() { log | grep -q "^KDUMP-STEP $1 "; }

log | grep '^KVMGUEST ' >"$out/kvmguest.txt"
if log | grep -q '^KDUMP-FAIL'; then
	fail bochs/guest "$(log | grep '^KDUMP-FAIL' | head -n 1)"
fi
if log | grep -q 'Initramfs unpacking failed'; then
	fail bochs/initramfs "the first kernel could not unpack its initramfs" \
		"($(stat -c %s "$work/first.cpio") bytes): give it more --memory"
fi
if [ "$boot_status" != 0 ]; then
	fail bochs/run "$(grep -E 'bochs-boot: (FAIL|error)|boot-watch:' "$work/boot.err" | tail -n 1)"
	log | tail -n 30 >&2
fi

# First kernel.
expect first/kvm "modprobe kvm_intel, /dev/kvm" "KVM not loaded" \
	has_step kvm-loaded
n=$(wc -l <"$out/kvmguest.txt")
expect first/guests "$n vCPUs started (KVMGUEST lines in kvmguest.txt)" \
	"$n KVMGUEST lines, want $((vms * vcpus))" [ "$n" = $((vms * vcpus)) ]

# kicks TAG: "vm/vcpu kicks bad stopped" per vCPU at status TAG.
kicks() {
	log | sed -n "s/^KVMSTATUS-$1 vm=\([0-9]*\) vcpu=\([0-9]*\) kicks=\([0-9]*\) bad=\([0-9]*\) other=[0-9]* stopped=\([0-9]*\).*/\1\/\2 \3 \4 \5/p"
}
# running A B NAME: every vCPU kicked more at B than at A, none bad/stopped.
running() {
	local a b problems
	a=$(kicks "$1")
	b=$(kicks "$2")
	if [ -z "$a" ] || [ -z "$b" ]; then
		fail "$3" "no KVMSTATUS-$1/$2 lines"
		return
	fi
	problems=$(join <(echo "$a" | sort) <(echo "$b" | sort) | awk -v want=$((vms * vcpus)) '
		{ n++ }
		# key, then kicks bad stopped at A, then at B
		$5 <= $2 { printf "%s kicks %d -> %d; ", $1, $2, $5 }
		$3 + $4 + $6 + $7 != 0 { printf "%s bad=%d stopped=%d; ", $1, $6, $7 }
		END { if (n != want) printf "%d vCPUs in the status, want %d", n, want }')
	if [ -z "$problems" ]; then
		pass "$3" "kicks $(echo "$a" | awk '{ printf "%s ", $2 }')-> $(echo "$b" | awk '{ printf "%s ", $2 }')bad=0"
	else
		fail "$3" "$problems"
	fi
}
running a b first/guests-run
vmcsinfo=
if [ "$with_module" = 1 ]; then
	rc=$(value KDUMP-MODULE)
	vmcsinfo=$(value KDUMP-VMCSINFO)
	expect first/module "insmod vmcsinfo.ko with the guests running" \
		"insmod: ${rc:-no result}" [ "$rc" = "rc=0" ]
	expect first/vmcsinfo "/sys/kernel/vmcsinfo: $vmcsinfo" \
		"no /sys/kernel/vmcsinfo" [ -n "$vmcsinfo" ]
fi
if [ -n "$live_cmd" ]; then
	log | sed -n '/^KDUMP-LIVE-BEGIN/,/^KDUMP-LIVE-END/p' | sed '1d;$d' >"$out/live.txt"
	rc=$(value KDUMP-LIVE-END)
	expect first/live-cmd "$(wc -l <"$out/live.txt") lines in live.txt" \
		"$live_cmd: ${rc:-did not finish}" [ "$rc" = "rc=0" ]
fi
if [ "$no_dump" = 1 ]; then
	expect first/done "stopped before kexec (--no-dump)" "did not finish" \
		has_step live-done
	finish
fi
expect first/kexec "kexec -i -p vmlinux-crash.elf, crashkernel=$crashkernel" \
	"capture kernel not loaded" has_step kexec-loaded
running b c first/guests-run-after-kexec
expect first/crash "sysrq-c" "no crash" grep -q '^KDUMP-CRASH' <(log)

# Capture kernel.
capture_panic=$(log | sed -n '/^KDUMP-CRASH/,$p' | grep -m 1 'Kernel panic')
expect capture/boot "capture kernel ran its /init" \
	"capture kernel did not come up${capture_panic:+: $capture_panic (out of memory? more --crash-mb)}" \
	has_step capture-up
vmcore_size=$(value KDUMP-VMCORE-SIZE)
written=$(value KDUMP-WRITTEN)
if [ "$written" = "mode=$mode rc=0" ]; then
	pass capture/write "/proc/vmcore ($vmcore_size bytes) to /dev/sda, $mode"
else
	fail capture/write "${written:-not written}"
	finish
fi

# --- 3. on this machine -------------------------------------------------
step_begin
expect=()
[ "$mode" = raw ] && expect=(--expect-size "$vmcore_size")
if extracted=$(python3 "$here/extract-vmcore.py" "$work/dump.img" "$out/vmcore" "${expect[@]}"); then
	pass host/extract "vmcore: $extracted"
else
	fail host/extract "see above"
	finish
fi
rm -f "$work/dump.img"
step_end extract

step_begin
# makedumpfile warns that 6.1 is newer than the kernels it knows.
for fmt in zlib:-c lzo:-l; do
	ext=${fmt%%:*}
	if makedumpfile "${fmt#*:}" -d 31 "$out/vmcore" "$out/vmcore.$ext" \
		>>"$out/makedumpfile.log" 2>&1; then
		pass "host/makedumpfile-$ext" "vmcore.$ext $(stat -c %s "$out/vmcore.$ext") bytes"
	else
		fail "host/makedumpfile-$ext" "see $out/makedumpfile.log"
	fi
done
step_end makedumpfile

step_begin
kdumps=()
[ -s "$out/vmcore.zlib" ] && kdumps+=(--kdump "$out/vmcore.zlib")
[ -s "$out/vmcore.lzo" ] && kdumps+=(--kdump "$out/vmcore.lzo")
[ -n "$vmcsinfo" ] && kdumps+=(--vmcsinfo "$vmcsinfo")
python3 "$here/check-vmcore.py" --guests "$out/kvmguest.txt" "${kdumps[@]}" \
	"$out/vmcore" >"$out/check.txt" 2>&1
relay "$out/check.txt" "check/"
step_end check

# The project's own decoder on the same dumps (tests/e2e/kdump/check-scan.py).
step_begin
decode=$top/build/vmcsinfo-decode
if [ -x "$decode" ] || make -s -C "$top" tools >"$out/tools.log" 2>&1; then
	scan_args=(--decode "$decode" --guests "$out/kvmguest.txt")
	if [ -n "$vmcsinfo" ]; then
		scan_args+=(--with-module --note-paddr "${vmcsinfo%% *}")
	fi
	dumps=("$out/vmcore")
	[ -s "$out/vmcore.zlib" ] && dumps+=("$out/vmcore.zlib")
	[ -s "$out/vmcore.lzo" ] && dumps+=("$out/vmcore.lzo")
	python3 "$here/check-scan.py" "${scan_args[@]}" "${dumps[@]}" \
		>"$out/check-scan.txt" 2>&1
	relay "$out/check-scan.txt" ""
else
	fail scan "cannot build vmcsinfo-decode (see $out/tools.log)"
fi
step_end scan

# The crash extension on the compressed dump, with Debian's debuginfo
# vmlinux (tests/e2e/kdump/check-crash.py); needs the module's note.
if [ -n "$vmcsinfo" ] && [ "${KDUMP_CRASH:-1}" = 1 ]; then
	step_begin
	vmcs0=$(sed -n 's|^PASS scan/vmcore/vm0-vcpu0 VMCS at \(0x[0-9a-f]*\):.*|\1|p' "$out/check-scan.txt")
	if ! dbg=$("$here/setup-dbg.sh" "$kver" "$cache" 2>"$out/dbg.log"); then
		fail crash/setup "cannot fetch the debuginfo vmlinux (see $out/dbg.log)"
	elif [ -z "$vmcs0" ]; then
		fail crash/setup "no VMCS address for vm0-vcpu0 from the scan"
	elif ! make -s -C "$top" crash-ext >"$out/crash-build.log" 2>&1 ||
	     [ ! -s "$top/build/vmcsinfo.so" ]; then
		fail crash/build "cannot build the crash extension (see $out/crash-build.log)"
	else
		python3 "$here/check-crash.py" --vmlinux "$dbg" \
			--ext "$top/build/vmcsinfo.so" --guests "$out/kvmguest.txt" \
			--note-paddr "${vmcsinfo%% *}" --vmcs "$vmcs0" \
			"$out/vmcore.zlib" >"$out/check-crash.txt" 2>&1
		relay "$out/check-crash.txt" ""
	fi
	step_end crash
fi

echo "SIZE vmcore $(stat -c %s "$out/vmcore") vmcore.zlib $(stat -c %s "$out/vmcore.zlib" 2>/dev/null) vmcore.lzo $(stat -c %s "$out/vmcore.lzo" 2>/dev/null) (/proc/vmcore $vmcore_size)"
awk -v a="$run_t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "TIME total %.1f s\n", b - a }'
finish
