#!/usr/bin/env python3
"""Copy kernel modules and their dependencies, without their signatures.

Usage: kmods.py --root DIR --kver KVER --out DIR NAME...

Like mkinitramfs.py --kmod, but each module's appended signature is cut
off: verifying Debian's module signatures is the largest part of loading a
module under Bochs (kvm.ko + kvm-intel.ko: 12.7 s of emulated time signed,
5 s unsigned, measured). The kernel (CONFIG_MODULE_SIG without
MODULE_SIG_FORCE) loads an unsigned module and only taints itself ('E'),
which changes nothing that the tests look at.

Writes OUT/lib/modules/KVER/<path> for every module NAME and everything it
depends on (from ROOT/lib/modules/KVER/modules.dep, made by
setup-kernel.sh), and a modules.dep for them, and prints one line
"SRC:DEST" per file, for mkinitramfs.py --file.
"""

import argparse
import os
import struct
import sys

SIG_MAGIC = b"~Module signature appended~\n"
# struct module_signature: algo, hash, id_type, signer_len, key_id_len,
# __pad[3], __be32 sig_len.
SIG_INFO = struct.Struct(">BBBBB3xI")


def strip_signature(data):
    if not data.endswith(SIG_MAGIC):
        return data
    end = len(data) - len(SIG_MAGIC) - SIG_INFO.size
    if end < 0:
        raise ValueError("truncated signature")
    sig_len = SIG_INFO.unpack_from(data, end)[-1]
    if sig_len > end:
        raise ValueError("signature longer than the module")
    body = data[:end - sig_len]
    if body[:4] != b"\x7fELF":
        raise ValueError("not an ELF file once the signature is cut off")
    return body


def base_name(path):
    name = os.path.basename(path)
    for suffix in (".ko", ".ko.xz", ".ko.gz", ".ko.zst"):
        if name.endswith(suffix):
            name = name[:-len(suffix)]
    return name.replace("-", "_")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--kver", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("names", nargs="+")
    args = ap.parse_args()

    moddir = os.path.join(args.root, "lib", "modules", args.kver)
    deps, by_name = {}, {}
    try:
        with open(os.path.join(moddir, "modules.dep")) as f:
            for line in f:
                path, _, rest = line.partition(":")
                deps[path] = rest.split()
                by_name[base_name(path)] = path
    except OSError as err:
        sys.exit("kmods: %s (run setup-kernel.sh)" % err)
    wanted = {}
    for name in args.names:
        path = by_name.get(name.replace("-", "_"))
        if path is None:
            sys.exit("kmods: no module %s in %s" % (name, moddir))
        for p in [path] + deps[path]:
            wanted[p] = deps[p]

    dest_dir = "lib/modules/%s" % args.kver
    lines = []
    for path in sorted(wanted):
        src = os.path.join(moddir, path)
        dst = os.path.join(args.out, dest_dir, path)
        try:
            with open(src, "rb") as f:
                data = strip_signature(f.read())
        except (OSError, ValueError) as err:
            sys.exit("kmods: %s: %s" % (src, err))
        if path.endswith((".xz", ".gz", ".zst")):
            sys.exit("kmods: %s: compressed modules are not handled" % src)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "wb") as f:
            f.write(data)
        print("%s:/%s/%s" % (os.path.abspath(dst), dest_dir, path))
        lines.append("%s: %s" % (path, " ".join(wanted[path])))
    dep = os.path.join(args.out, dest_dir, "modules.dep")
    with open(dep, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("%s:/%s/modules.dep" % (os.path.abspath(dep), dest_dir))


if __name__ == "__main__":
    main()
