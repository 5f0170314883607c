#!/usr/bin/env python3
"""Build the Multiboot ELF that ISOLINUX's mboot.c32 boots: shim + vmlinux.

Usage: mkbootelf.py SHIM_ELF VMLINUX OUT

The output is a 32-bit ELF (mboot.c32 accepts only ELFCLASS32) whose program
headers load the shim's segments and every PT_LOAD segment of the 64-bit
vmlinux at its physical address. Its entry point is the shim's; the shim's
pvh_entry word is patched with the kernel's PVH entry point, found in the
ELF note with owner "Xen" and type XEN_ELFNOTE_PHYS32_ENTRY (18).

Trailing zero bytes of each segment are left out of the file and zero-filled
by the loader instead (p_filesz < p_memsz): the kernel's .bss/.brk are stored
as zeros in vmlinux, and every byte saved is one Bochs need not read.
"""

import os
import struct
import sys

XEN_ELFNOTE_PHYS32_ENTRY = 18
PT_LOAD = 1
PT_NOTE = 4
EM_386 = 3
PAGE = 4096


class ElfError(Exception):
    pass


class Segment:
    def __init__(self, ptype, offset, vaddr, paddr, filesz, memsz, flags):
        self.ptype = ptype
        self.offset = offset
        self.vaddr = vaddr
        self.paddr = paddr
        self.filesz = filesz
        self.memsz = memsz
        self.flags = flags


def parse_elf(data, what):
    """Return (elf_class, entry, [Segment], sections) for a little-endian ELF."""
    if data[:4] != b"\x7fELF":
        raise ElfError(what + ": not an ELF file")
    if data[5] != 1:
        raise ElfError(what + ": not little-endian")
    elf_class = data[4]
    if elf_class == 1:
        (entry, phoff, shoff) = struct.unpack_from("<III", data, 24)
        (phentsize, phnum, shentsize, shnum, shstrndx) = struct.unpack_from(
            "<HHHHH", data, 42)
        phfmt, shfmt = "<IIIIIIII", "<IIIIIIIIII"
    elif elf_class == 2:
        (entry, phoff, shoff) = struct.unpack_from("<QQQ", data, 24)
        (phentsize, phnum, shentsize, shnum, shstrndx) = struct.unpack_from(
            "<HHHHH", data, 54)
        phfmt, shfmt = "<IIQQQQQQ", "<IIQQQQIIQQ"
    else:
        raise ElfError(what + ": unknown ELF class")

    segments = []
    for i in range(phnum):
        fields = struct.unpack_from(phfmt, data, phoff + i * phentsize)
        if elf_class == 1:
            ptype, offset, vaddr, paddr, filesz, memsz, flags, _ = fields
        else:
            ptype, flags, offset, vaddr, paddr, filesz, memsz, _ = fields
        if offset + filesz > len(data):
            raise ElfError("%s: segment %d extends past the end of the file"
                           % (what, i))
        segments.append(Segment(ptype, offset, vaddr, paddr, filesz, memsz,
                                flags))

    sections = []
    if shoff and shnum:
        for i in range(shnum):
            (name, stype, _flags, addr, offset, size, link, _info, _align,
             entsize) = struct.unpack_from(shfmt, data, shoff + i * shentsize)
            sections.append({"name": name, "type": stype, "addr": addr,
                             "offset": offset, "size": size, "link": link,
                             "entsize": entsize})
    return elf_class, entry, segments, sections


def iter_notes(blob):
    """Yield (name, type, desc) for the ELF notes in blob (4-byte aligned)."""
    pos = 0
    while pos + 12 <= len(blob):
        namesz, descsz, ntype = struct.unpack_from("<III", blob, pos)
        pos += 12
        name = blob[pos:pos + namesz].rstrip(b"\0")
        pos += (namesz + 3) & ~3
        desc = blob[pos:pos + descsz]
        pos += (descsz + 3) & ~3
        yield name, ntype, desc


def pvh_entry_of(data, segments):
    for seg in segments:
        if seg.ptype != PT_NOTE:
            continue
        blob = data[seg.offset:seg.offset + seg.filesz]
        for name, ntype, desc in iter_notes(blob):
            if name == b"Xen" and ntype == XEN_ELFNOTE_PHYS32_ENTRY:
                # 4 bytes on 32-bit kernels, 8 (_ASM_PTR) on 64-bit ones.
                if len(desc) == 4:
                    return struct.unpack("<I", desc)[0]
                if len(desc) == 8:
                    return struct.unpack("<Q", desc)[0]
                raise ElfError("vmlinux: PVH entry note has %d bytes"
                               % len(desc))
    raise ElfError("vmlinux: no Xen PHYS32_ENTRY note: kernel built "
                   "without CONFIG_PVH?")


def symbol_value(data, sections, wanted):
    """Value of a symbol in a 32-bit ELF's .symtab."""
    for sec in sections:
        if sec["type"] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[sec["link"]]
        for off in range(sec["offset"], sec["offset"] + sec["size"], 16):
            name_off, value = struct.unpack_from("<II", data, off)
            start = strtab["offset"] + name_off
            end = data.index(b"\0", start)
            if data[start:end] == wanted:
                return value
    raise ElfError("shim: symbol %s not found" % wanted.decode())


def build(shim_data, vmlinux_data):
    shim_class, shim_entry, shim_segs, shim_secs = parse_elf(shim_data, "shim")
    if shim_class != 1:
        raise ElfError("shim: must be a 32-bit ELF")
    vm_class, _, vm_segs, _ = parse_elf(vmlinux_data, "vmlinux")
    if vm_class != 2:
        raise ElfError("vmlinux: expected a 64-bit ELF")

    entry = pvh_entry_of(vmlinux_data, vm_segs)
    if entry >= 1 << 32:
        raise ElfError("vmlinux: PVH entry 0x%x is above 4 GiB" % entry)
    slot = symbol_value(shim_data, shim_secs, b"pvh_entry")

    # (paddr, memsz, bytes, flags) of every segment to load
    shim_loads = []
    for seg in shim_segs:
        if seg.ptype != PT_LOAD:
            continue
        body = bytearray(shim_data[seg.offset:seg.offset + seg.filesz])
        if seg.vaddr <= slot < seg.vaddr + seg.filesz:
            struct.pack_into("<I", body, slot - seg.vaddr, entry)
            slot = None
        shim_loads.append((seg.paddr, seg.memsz, bytes(body), seg.flags))
    if slot is not None:
        raise ElfError("shim: pvh_entry is not in a loaded segment")
    kernel_loads = []
    for seg in vm_segs:
        if seg.ptype != PT_LOAD or not seg.memsz:
            continue
        body = vmlinux_data[seg.offset:seg.offset + seg.filesz].rstrip(b"\0")
        if seg.paddr + seg.memsz > 1 << 32:
            raise ElfError("vmlinux: segment at 0x%x is above 4 GiB"
                           % seg.paddr)
        kernel_loads.append((seg.paddr, seg.memsz, body, seg.flags))

    by_address = sorted(shim_loads + kernel_loads, key=lambda load: load[0])
    for (a, a_size, _, _), (b, _, _, _) in zip(by_address, by_address[1:]):
        if a + a_size > b:
            raise ElfError("segments overlap: 0x%x+0x%x and 0x%x"
                           % (a, a_size, b))

    # The shim comes first in the file so that its Multiboot header lies in
    # the first 8 KiB, where mboot.c32 searches for it.
    loads = shim_loads + kernel_loads

    ehdr_size, phdr_size = 52, 32
    offset = -(-(ehdr_size + phdr_size * len(loads)) // PAGE) * PAGE
    phdrs = b""
    bodies = []
    for paddr, memsz, body, flags in loads:
        # Keep p_offset congruent to p_vaddr modulo the page size.
        offset += (paddr - offset) % PAGE
        phdrs += struct.pack("<IIIIIIII", PT_LOAD, offset, paddr, paddr,
                             len(body), memsz, flags, PAGE)
        bodies.append((offset, body))
        offset += len(body)

    ident = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    ehdr = ident + struct.pack("<HHIIIIIHHHHHH", 2, EM_386, 1, shim_entry,
                               ehdr_size, 0, 0, ehdr_size, phdr_size,
                               len(loads), 40, 0, 0)
    out = bytearray(offset)
    out[0:len(ehdr)] = ehdr
    out[ehdr_size:ehdr_size + len(phdrs)] = phdrs
    for off, body in bodies:
        out[off:off + len(body)] = body
    if out.find(struct.pack("<I", 0x1BADB002), 0, 8192) < 0:
        raise ElfError("shim: Multiboot header not within the first 8 KiB")
    return bytes(out), entry


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: mkbootelf.py SHIM_ELF VMLINUX OUT")
    with open(sys.argv[1], "rb") as f:
        shim = f.read()
    with open(sys.argv[2], "rb") as f:
        vmlinux = f.read()
    try:
        image, entry = build(shim, vmlinux)
    except ElfError as err:
        sys.exit("mkbootelf: %s" % err)
    tmp = sys.argv[3] + ".tmp"
    with open(tmp, "wb") as f:
        f.write(image)
    os.replace(tmp, sys.argv[3])
    print("mkbootelf: %s: %d bytes, PVH entry 0x%x"
          % (sys.argv[3], len(image), entry), file=sys.stderr)


if __name__ == "__main__":
    main()
