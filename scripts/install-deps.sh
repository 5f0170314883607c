#!/bin/sh
# Install the Debian 12 packages vmcsinfo needs to build and test, only
# those that are missing.  Run as root (or through sudo).
set -eu

PKGS="gcc make pkg-config python3 clang libclang-rt-14-dev cppcheck
      libcmocka-dev zlib1g-dev libelf-dev libkdumpfile-dev liblzo2-dev
      linux-headers-amd64 sparse dkms
      bochs bochsbios vgabios busybox-static cpio
      isolinux syslinux-common xorriso
      makedumpfile kexec-tools crash"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing:$missing; run as root (sudo make deps)" >&2
	exit 1
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
