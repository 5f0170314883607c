#!/bin/bash
# The kernel's vmlinux with debuginfo, which crash needs to open a vmcore:
# Debian's linux-image-KVER-dbg, downloaded once and only the vmlinux
# extracted (about 1 minute).  Prints the vmlinux's path.
#   setup-dbg.sh KVER [CACHE]
set -eu
kver=$1
cache=${2:-$(cd "$(dirname "$0")/.." && pwd)/.cache}/dbg
vmlinux=$cache/usr/lib/debug/boot/vmlinux-$kver
if [ ! -s "$vmlinux" ]; then
	mkdir -p "$cache"
	cd "$cache"
	apt-get download -q "linux-image-$kver-dbg" >&2
	deb=$(ls linux-image-"$kver"-dbg_*.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -x --wildcards "./usr/lib/debug/boot/vmlinux-$kver"
	rm -f "$deb"
fi
echo "$vmlinux"
