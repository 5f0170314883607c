#!/usr/bin/env python3
"""Extract the uncompressed vmlinux ELF from an x86 bzImage with an XZ payload.

Usage: extract-vmlinux.py BZIMAGE OUT

Booting the uncompressed kernel directly (through the PVH shim) skips the
~45 s the kernel's own XZ decompressor needs under Bochs' emulation.
"""

import lzma
import struct
import sys

XZ_MAGIC = b"\xfd7zXZ\x00"


def payload_bounds(image):
    """Return (offset, length) of the compressed payload from the boot header.

    Boot protocol 2.08+ records it (Documentation/arch/x86/boot.rst):
    setup_sects at 0x1f1, "HdrS" at 0x202, version at 0x206, payload_offset
    and payload_length at 0x248/0x24c, relative to the protected-mode code
    that follows the (setup_sects + 1) real-mode sectors.
    """
    if len(image) < 0x250 or image[0x202:0x206] != b"HdrS":
        return None
    version = struct.unpack_from("<H", image, 0x206)[0]
    if version < 0x0208:
        return None
    setup_sects = image[0x1F1] or 4
    offset, length = struct.unpack_from("<II", image, 0x248)
    start = (setup_sects + 1) * 512 + offset
    if start + length > len(image):
        return None
    return start, length


def decompress_at(image, start):
    decomp = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
    try:
        data = decomp.decompress(image[start:])
    except lzma.LZMAError:
        return None
    return data if data.startswith(b"\x7fELF") else None


def extract(image):
    bounds = payload_bounds(image)
    if bounds and image[bounds[0]:bounds[0] + 6] == XZ_MAGIC:
        data = decompress_at(image, bounds[0])
        if data:
            return data
    # Fall back to scanning for the XZ stream header.
    pos = image.find(XZ_MAGIC)
    while pos >= 0:
        data = decompress_at(image, pos)
        if data:
            return data
        pos = image.find(XZ_MAGIC, pos + 1)
    return None


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract-vmlinux.py BZIMAGE OUT")
    with open(sys.argv[1], "rb") as f:
        image = f.read()
    data = extract(image)
    if data is None:
        sys.exit("extract-vmlinux: no XZ-compressed ELF found in " + sys.argv[1])
    # The payload is vmlinux.bin followed by the relocation table used by
    # the decompressor; the ELF loader ignores the bytes past its segments.
    with open(sys.argv[2], "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
