#!/bin/bash
# Prepare the kernel the end-to-end tests boot under Bochs.
#
# Usage: setup-kernel.sh [CACHE_DIR]
#   CACHE_DIR  defaults to $E2E_CACHE, else tests/e2e/.cache
#   KVER       (environment) kernel release, e.g. 6.1.0-57-amd64; defaults to
#              the release of the installed /usr/src/linux-headers-*-amd64
#
# Result, in CACHE_DIR/KVER/:
#   root/       the unpacked linux-image-KVER-unsigned package, with a
#               modules.dep made by depmod so its modules can be modprobed
#   vmlinux     the uncompressed kernel ELF taken out of the bzImage; booting it
#               directly saves the ~45 s the XZ decompressor needs under Bochs
#   .complete   stamp: present only when everything above is in place
#
# Idempotent: does nothing when the stamp is present.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${1:-${E2E_CACHE:-$here/.cache}}

die() { echo "setup-kernel: $*" >&2; exit 1; }

need() {
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found; install the Debian package '$2'"
}

detect_kver() {
	local dirs=(/usr/src/linux-headers-*-amd64)
	[ -e "${dirs[0]}" ] ||
		die "no /usr/src/linux-headers-*-amd64; install linux-headers-amd64 or set KVER"
	# Several header packages may be installed: take the newest, as the
	# module build (which uses the same headers) would.
	basename "$(printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1)" |
		sed 's/^linux-headers-//'
}

kver=${KVER:-$(detect_kver)}
out=$cache/$kver
if [ -f "$out/.complete" ]; then
	exit 0
fi

need apt-get apt
need dpkg dpkg
need depmod kmod
need python3 python3

pkg=linux-image-$kver-unsigned
# Fetch the image built from the same source upload as the headers, so the
# module built against the headers loads in the booted kernel.
want_version=$(dpkg-query -W -f='${Version}' "linux-headers-$kver" 2>/dev/null || true)

mkdir -p "$out"
work=$(mktemp -d "$out/tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "setup-kernel: fetching $pkg${want_version:+ (= $want_version)} into $out" >&2
deb=$(find "$out" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n 1)
if [ -z "$deb" ]; then
	spec=$pkg${want_version:+=$want_version}
	# apt-get download writes to the current directory. As root it warns
	# that the download is unsandboxed; that is harmless here.
	if ! (cd "$work" && apt-get download -q "$spec" >&2); then
		echo "setup-kernel: retrying after apt-get update" >&2
		apt-get update -q >&2 || true
		(cd "$work" && apt-get download -q "$spec" >&2) ||
			die "cannot download $spec (is a Debian mirror reachable?)"
	fi
	mv "$work"/"${pkg}"_*.deb "$out"/
	deb=$(find "$out" -maxdepth 1 -name "${pkg}_*.deb" | sort | tail -n 1)
fi

rm -rf "$out/root"
dpkg -x "$deb" "$work/root"
[ -f "$work/root/boot/vmlinuz-$kver" ] || die "$deb has no /boot/vmlinuz-$kver"

# The .deb ships no modules.dep (the postinst would create it).
depmod -b "$work/root" "$kver"

python3 "$here/extract-vmlinux.py" "$work/root/boot/vmlinuz-$kver" "$work/vmlinux"

mv "$work/root" "$out/root"
mv "$work/vmlinux" "$out/vmlinux"
touch "$out/.complete"
echo "setup-kernel: ready: $out" >&2
