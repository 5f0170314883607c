#!/usr/bin/env python3
"""Make a kdump capture kernel ELF from an uncompressed x86-64 vmlinux.

Usage: mkcrashelf.py VMLINUX OUT --base ADDR

kexec-tools' x86-64 ELF loader ("kexec -p vmlinux --args-linux") puts every
PT_LOAD at its p_paddr and never relocates, and vmlinux asks for 16 MiB
(CONFIG_PHYSICAL_START), inside the crashed kernel's memory. The output is a
copy whose PT_LOADs and entry point are moved by one delta so that the
lowest segment starts at ADDR, the start of the crashkernel= region.
Nothing else needs patching: an x86-64 kernel finds out at startup_64 where
it runs physically (the load delta must be a multiple of 2 MiB, which
startup_64 checks; CONFIG_PHYSICAL_ALIGN) and keeps its virtual addresses.

The output holds only the ELF header, the PT_LOAD program headers and their
data, with trailing zero bytes of each segment left out (p_filesz <
p_memsz; the kernel's kexec_load zero-fills the rest): vmlinux stores .bss
and .brk as zeros, and every byte saved is one less to pack into the
initramfs and copy under emulation. No section headers.

Prints "base=0x... end=0x... delta=0x... entry=0x..." (end: the first byte
after the highest segment) so the caller can check it fits the region.
"""

import argparse
import os
import struct
import sys

PT_LOAD = 1
ET_EXEC = 2
EM_X86_64 = 62
ELFCLASS64 = 2
ELFDATA2LSB = 1
PAGE = 4096
# startup_64 refuses to run at an address that is not 2 MiB aligned.
KERNEL_ALIGN = 2 << 20
EHDR_FMT = "<16sHHIQQQIHHHHHH"      # Elf64_Ehdr
PHDR_FMT = "<IIQQQQQQ"              # Elf64_Phdr
EHDR_SIZE = struct.calcsize(EHDR_FMT)
PHDR_SIZE = struct.calcsize(PHDR_FMT)


class ElfError(Exception):
    pass


def parse_int(text):
    try:
        return int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number: %r" % text)


def read_loads(data):
    """Return (e_entry, [(p_flags, p_paddr, p_vaddr, memsz, body)])."""
    if len(data) < EHDR_SIZE or data[:4] != b"\x7fELF":
        raise ElfError("not an ELF file")
    if data[4] != ELFCLASS64 or data[5] != ELFDATA2LSB:
        raise ElfError("not a little-endian 64-bit ELF")
    (_, e_type, e_machine, _, e_entry, e_phoff, _, _, _, e_phentsize,
     e_phnum, _, _, _) = struct.unpack_from(EHDR_FMT, data, 0)
    if e_type != ET_EXEC or e_machine != EM_X86_64:
        raise ElfError("not an x86-64 executable (e_type %d, e_machine %d)"
                       % (e_type, e_machine))
    if e_phentsize != PHDR_SIZE or e_phoff + e_phnum * PHDR_SIZE > len(data):
        raise ElfError("bad program header table")
    loads = []
    for i in range(e_phnum):
        (p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz,
         _) = struct.unpack_from(PHDR_FMT, data, e_phoff + i * PHDR_SIZE)
        if p_type != PT_LOAD or not p_memsz:
            continue
        if p_offset + p_filesz > len(data) or p_filesz > p_memsz:
            raise ElfError("segment %d: bad file extent" % i)
        body = data[p_offset:p_offset + p_filesz].rstrip(b"\0")
        loads.append((p_flags, p_paddr, p_vaddr, p_memsz, body))
    if not loads:
        raise ElfError("no PT_LOAD segments")
    return e_entry, loads


def build(data, base):
    entry, loads = read_loads(data)
    low = min(paddr for _, paddr, _, _, _ in loads)
    delta = base - low
    if delta % KERNEL_ALIGN:
        raise ElfError("base 0x%x: the move (0x%x) is not a multiple of "
                       "2 MiB" % (base, delta))
    if not any(paddr <= entry < paddr + memsz
               for _, paddr, _, memsz, _ in loads):
        raise ElfError("entry point 0x%x is not in a PT_LOAD" % entry)
    loads.sort(key=lambda load: load[1])
    for a, b in zip(loads, loads[1:]):
        if a[1] + a[3] > b[1]:
            raise ElfError("segments at 0x%x and 0x%x overlap" % (a[1], b[1]))

    offset = -(-(EHDR_SIZE + PHDR_SIZE * len(loads)) // PAGE) * PAGE
    phdrs = []
    bodies = []
    for flags, paddr, vaddr, memsz, body in loads:
        phdrs.append(struct.pack(PHDR_FMT, PT_LOAD, flags, offset, vaddr,
                                 paddr + delta, len(body), memsz, PAGE))
        bodies.append((offset, body))
        offset = -(-(offset + len(body)) // PAGE) * PAGE
    ident = b"\x7fELF" + bytes([ELFCLASS64, ELFDATA2LSB, 1]) + bytes(9)
    ehdr = struct.pack(EHDR_FMT, ident, ET_EXEC, EM_X86_64, 1,
                       entry + delta, EHDR_SIZE, 0, 0, EHDR_SIZE, PHDR_SIZE,
                       len(phdrs), 0, 0, 0)
    out = bytearray(max(off + len(body) for off, body in bodies))
    out[0:EHDR_SIZE] = ehdr
    out[EHDR_SIZE:EHDR_SIZE + PHDR_SIZE * len(phdrs)] = b"".join(phdrs)
    for off, body in bodies:
        out[off:off + len(body)] = body
    end = max(paddr + memsz for _, paddr, _, memsz, _ in loads) + delta
    return bytes(out), delta, entry + delta, end


def main():
    ap = argparse.ArgumentParser(
        description="Move a vmlinux's load addresses into the crashkernel "
        "region for kexec -p.")
    ap.add_argument("vmlinux")
    ap.add_argument("out")
    ap.add_argument("--base", type=parse_int, required=True,
                    help="physical start of the crashkernel= region")
    args = ap.parse_args()
    try:
        with open(args.vmlinux, "rb") as f:
            data = f.read()
        out, delta, entry, end = build(data, args.base)
    except (OSError, ElfError) as err:
        sys.exit("mkcrashelf: %s: %s" % (args.vmlinux, err))
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, args.out)
    print("base=0x%x end=0x%x delta=0x%x entry=0x%x size=%d"
          % (args.base, end, delta, entry, len(out)))


if __name__ == "__main__":
    main()
