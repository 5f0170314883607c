#!/usr/bin/env python3
"""Build a gzip'd newc cpio initramfs for the Bochs end-to-end tests.

Usage:
  mkinitramfs.py -o OUT.gz --init SCRIPT [--file SRC[:DEST]]...
                 [--kmod NAME]... [--kernel-root DIR] [--kver KVER]
                 [--no-compress]

Contents:
  /bin/busybox (static, from busybox-static) and a link per applet;
  /dev/console (c 5 1) and /dev/null (c 1 3): the kernel opens
  /dev/console for init before anything could mount devtmpfs;
  /init: SCRIPT;
  /lib/e2e/init-lib.sh: helpers for SCRIPT (see that file);
  each --file SRC at DEST (default: /SRC's base name), mode kept;
  each --kmod NAME (e.g. kvm_intel) from the unpacked kernel package, with
  the modules it depends on and a modules.dep covering them, so that
  "modprobe NAME" works (needs the tree prepared by setup-kernel.sh).

The archive is written directly (no cpio(1), mknod or root needed); every
entry is owned by root.
"""

import argparse
import gzip
import os
import stat
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUSYBOX = "/bin/busybox"


class Cpio:
    """Writer of the "newc" (070701) cpio format the kernel unpacks."""

    def __init__(self):
        self.chunks = []
        self.ino = 1
        self.seen = set()

    def _entry(self, name, mode, data=b"", rdev=(0, 0)):
        name = name.lstrip("/")
        if name in self.seen:
            raise SystemExit("mkinitramfs: %s added twice" % name)
        self.seen.add(name)
        encoded = name.encode() + b"\0"
        fields = (self.ino, mode, 0, 0, 1, 0, len(data), 0, 0,
                  rdev[0], rdev[1], len(encoded), 0)
        self.ino += 1
        header = b"070701" + b"".join(b"%08X" % f for f in fields)
        self.chunks.append(header + encoded)
        self.chunks.append(b"\0" * (-(len(header) + len(encoded)) % 4))
        self.chunks.append(data)
        self.chunks.append(b"\0" * (-len(data) % 4))

    def directory(self, name):
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name, data, mode=0o644):
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, mode=0o600):
        self._entry(name, stat.S_IFCHR | mode, rdev=(major, minor))

    def finish(self):
        # The trailer must not count as a duplicate of anything.
        encoded = b"TRAILER!!!\0"
        header = b"070701" + b"".join(
            b"%08X" % f for f in (0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                                  len(encoded), 0))
        self.chunks.append(header + encoded)
        self.chunks.append(b"\0" * (-(len(header) + len(encoded)) % 4))
        data = b"".join(self.chunks)
        return data + b"\0" * (-len(data) % 512)


def elf_interpreter(data):
    """Return True if data is an ELF with a PT_INTERP (dynamically linked)."""
    if data[:4] != b"\x7fELF" or data[5] != 1:
        return False
    if data[4] == 2:
        phoff, = struct.unpack_from("<Q", data, 32)
        phentsize, phnum = struct.unpack_from("<HH", data, 54)
    else:
        phoff, = struct.unpack_from("<I", data, 28)
        phentsize, phnum = struct.unpack_from("<HH", data, 42)
    for i in range(phnum):
        ptype, = struct.unpack_from("<I", data, phoff + i * phentsize)
        if ptype == 3:  # PT_INTERP
            return True
    return False


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as err:
        raise SystemExit("mkinitramfs: %s" % err)


def default_kver():
    env = os.environ.get("KVER")
    if env:
        return env
    heads = sorted(d for d in os.listdir("/usr/src")
                   if d.startswith("linux-headers-") and d.endswith("-amd64"))
    if not heads:
        raise SystemExit("mkinitramfs: no /usr/src/linux-headers-*-amd64; "
                         "set KVER or pass --kver")
    return heads[-1][len("linux-headers-"):]


def module_closure(moddir, names):
    """Map each wanted module name to its path and its dependencies' paths.

    Returns {relative path: [relative dependency paths]} from modules.dep.
    """
    depfile = os.path.join(moddir, "modules.dep")
    if not os.path.exists(depfile):
        raise SystemExit("mkinitramfs: %s missing: run setup-kernel.sh"
                         % depfile)
    deps = {}
    by_name = {}
    with open(depfile) as f:
        for line in f:
            path, _, rest = line.partition(":")
            deps[path] = rest.split()
            base = os.path.basename(path)
            for suffix in (".ko", ".ko.xz", ".ko.gz", ".ko.zst"):
                if base.endswith(suffix):
                    base = base[:-len(suffix)]
            by_name[base.replace("-", "_")] = path
    wanted = {}
    for name in names:
        path = by_name.get(name.replace("-", "_"))
        if path is None:
            raise SystemExit("mkinitramfs: module %s not in %s"
                             % (name, depfile))
        for p in [path] + deps[path]:
            wanted[p] = deps[p]
    return wanted


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--init", required=True, help="script to run as /init")
    ap.add_argument("--file", action="append", default=[],
                    metavar="SRC[:DEST]", help="extra file")
    ap.add_argument("--kmod", action="append", default=[], metavar="NAME",
                    help="kernel module from the kernel package, with deps")
    ap.add_argument("--kernel-root",
                    help="unpacked kernel package (default: "
                    "$E2E_CACHE/KVER/root, E2E_CACHE=tests/e2e/.cache)")
    ap.add_argument("--kver", help="kernel release (default: the installed "
                    "linux-headers-*-amd64)")
    ap.add_argument("--no-compress", action="store_true",
                    help="write a plain cpio instead of gzip")
    args = ap.parse_args()

    busybox = read(BUSYBOX)
    if elf_interpreter(busybox):
        raise SystemExit("mkinitramfs: %s is dynamically linked; install "
                         "busybox-static" % BUSYBOX)

    cpio = Cpio()
    dirs = ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc",
            "sys", "tmp", "run", "etc", "root", "lib", "lib/e2e", "mnt"]
    made = set(dirs)

    def ensure_dirs(path):
        parts = path.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in made:
                made.add(d)
                dirs.append(d)

    # Extra files first, so that their directories are known up front.
    extras = []
    for spec in args.file:
        src, _, dest = spec.partition(":")
        dest = dest or "/" + os.path.basename(src)
        data = read(src)
        if elf_interpreter(data):
            print("mkinitramfs: warning: %s is dynamically linked; the "
                  "initramfs has no shared libraries" % src, file=sys.stderr)
        mode = stat.S_IMODE(os.stat(src).st_mode)
        extras.append((dest, data, mode))
        ensure_dirs(dest)

    modules = []
    kver = None
    if args.kmod:
        kver = args.kver or default_kver()
        root = args.kernel_root or os.path.join(
            os.environ.get("E2E_CACHE", os.path.join(HERE, ".cache")),
            kver, "root")
        moddir = os.path.join(root, "lib", "modules", kver)
        wanted = module_closure(moddir, args.kmod)
        dep_lines = []
        for path in sorted(wanted):
            dest = "lib/modules/%s/%s" % (kver, path)
            modules.append((dest, read(os.path.join(moddir, path))))
            ensure_dirs(dest)
            dep_lines.append("%s: %s" % (path, " ".join(wanted[path])))
        dest = "lib/modules/%s/modules.dep" % kver
        modules.append((dest, ("\n".join(dep_lines) + "\n").encode()))
        ensure_dirs(dest)

    for d in dirs:
        cpio.directory(d)
    cpio.chardev("dev/console", 5, 1)
    cpio.chardev("dev/null", 1, 3, 0o666)
    cpio.file("bin/busybox", busybox, 0o755)
    applets = subprocess.run([BUSYBOX, "--list-full"], check=True,
                             stdout=subprocess.PIPE,
                             text=True).stdout.split()
    # A caller's file (say a real modprobe) wins over the applet link.
    provided = {dest.strip("/") for dest, _, _ in extras}
    for applet in applets:
        if (applet != "bin/busybox" and applet not in provided and
                applet.split("/")[0] in ("bin", "sbin", "usr")):
            cpio.symlink(applet, "/bin/busybox")
    if "bin/sh" not in applets and "bin/sh" not in provided:
        cpio.symlink("bin/sh", "/bin/busybox")
    cpio.file("init", read(args.init), 0o755)
    cpio.file("lib/e2e/init-lib.sh",
              read(os.path.join(HERE, "init-lib.sh")), 0o644)
    for dest, data, mode in extras:
        cpio.file(dest, data, mode)
    for dest, data in modules:
        cpio.file(dest, data, 0o644)

    archive = cpio.finish()
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        if args.no_compress:
            f.write(archive)
        else:
            # mtime=0: the same inputs give the same bytes.
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0,
                               compresslevel=6) as gz:
                gz.write(archive)
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
