#!/usr/bin/env python3
"""Independent check of a kdump vmcore of the emulated host: KVM's VMCS pages.

Usage: check-vmcore.py --guests KVMGUEST_LINES VMCORE_ELF
                       [--kdump FILE]... [--vmcsinfo "PADDR SIZE"]
                       [--quiet-extra]

Knows nothing of the project's code: it reads the dumps with its own ELF
and kdump-compressed readers and finds the VMCS pages with the layout rule
of Bochs 2.7 read from Bochs' source (bochs/cpu/vmcs.cc,
VMCS_Mapping::init_generic_mapping, with VMCS_DATA_OFFSET 0x10 and the
encoding bit fields of bochs/cpu/vmx.h):

    offset(enc) = 0x10 + ((width * 4 + type) * 64 + (enc & 0x3ff)) * 4
    width = (enc >> 13) & 3,  type = (enc >> 10) & 3

16-bit fields use 2 bytes of their 4-byte slot, 32-bit ones 4, 64-bit and
natural-width ones 8. Revision 0x2b at offset 0, launch state at 8.

A VMCS page: a 4 KiB-aligned page whose first dword is 0x2b and whose VMCS
link pointer (0x2800) is all ones (KVM sets it so for every VMCS it uses).
Every vCPU of KVMGUEST_LINES (the "KVMGUEST ..." lines kvm-guest printed in
the crashed kernel) must have exactly one such page with its RIP, RSP,
RFLAGS, CR3, CS/SS selectors and CS base. With --kdump, the same must hold
for each kdump-compressed file whose pages are zlib-compressed (or stored
plain); a file with other compression (LZO: not in Python's library) must
have dumped the same set of pages as a checked one.

--vmcsinfo: what /sys/kernel/vmcsinfo said in the crashed kernel (hex
physical address and size of vmcsinfo.ko's VMCSINFO note). Then the note
must be in each dump at that address, parse with tests/notefmt/notefmt.py
(the project's second note reader, written from docs/note-format.md alone)
and record its own address, and the layout it describes must decode every
vCPU's VMCS page to the same values as the Bochs rule above.

Prints one "PASS name detail" or "FAIL name: reason" line per check and
exits 1 if any failed.
"""

import argparse
import mmap
import os
import re
import struct
import sys
import zlib

NOTEFMT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "..", "..", "notefmt")

PAGE = 4096
REVISION = 0x2B
PT_LOAD, PT_NOTE = 1, 4
NT_PRSTATUS = 1

# Encodings (Intel SDM Vol. 3 appendix B) of the fields checked or shown.
FIELDS = {
    "cs": (0x0802, 2),          # GUEST_CS_SELECTOR
    "ss": (0x0804, 2),          # GUEST_SS_SELECTOR
    "ds": (0x0806, 2),          # GUEST_DS_SELECTOR
    "link": (0x2800, 8),        # VMCS_LINK_POINTER
    "cr0": (0x6800, 8),         # GUEST_CR0
    "cr3": (0x6802, 8),         # GUEST_CR3
    "cr4": (0x6804, 8),         # GUEST_CR4
    "cs_base": (0x6808, 8),     # GUEST_CS_BASE
    "ss_base": (0x680a, 8),     # GUEST_SS_BASE
    "rsp": (0x681c, 8),         # GUEST_RSP
    "rip": (0x681e, 8),         # GUEST_RIP
    "rflags": (0x6820, 8),      # GUEST_RFLAGS
}
# Values kvm-guest printed that the VMCS holds unchanged.
MATCHED = ("rip", "rsp", "rflags", "cr3", "cs", "ss", "cs_base")
LAUNCH_STATE_OFFSET = 8


def bochs27_offset(enc):
    width = (enc >> 13) & 3
    ftype = (enc >> 10) & 3
    return 0x10 + ((width * 4 + ftype) * 64 + (enc & 0x3FF)) * 4


def decode_vmcs(page):
    """Return the guest fields of a VMCS page, or None if it is not one."""
    if struct.unpack_from("<I", page, 0)[0] != REVISION:
        return None
    values = {}
    for name, (enc, size) in FIELDS.items():
        fmt = "<H" if size == 2 else "<Q"
        values[name] = struct.unpack_from(fmt, page, bochs27_offset(enc))[0]
    if values["link"] != 0xFFFFFFFFFFFFFFFF:
        return None
    values["launch"] = struct.unpack_from("<I", page, LAUNCH_STATE_OFFSET)[0]
    return values


class Results:
    def __init__(self):
        self.failed = 0

    def check(self, ok, name, detail):
        if ok:
            print("PASS %s %s" % (name, detail))
        else:
            print("FAIL %s: %s" % (name, detail))
            self.failed += 1


def parse_guests(path):
    guests = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("KVMGUEST "):
                continue
            fields = dict(kv.split("=", 1) for kv in line.split()[1:]
                          if "=" in kv)
            try:
                guests.append({k: int(v, 0) for k, v in fields.items()})
            except ValueError:
                raise SystemExit("check-vmcore: bad line in %s: %s"
                                 % (path, line))
    for g in guests:
        missing = [k for k in MATCHED + ("vm", "vcpu") if k not in g]
        if missing:
            raise SystemExit("check-vmcore: KVMGUEST line without %s"
                             % ", ".join(missing))
    return guests


def iter_notes(blob):
    pos = 0
    while pos + 12 <= len(blob):
        namesz, descsz, ntype = struct.unpack_from("<III", blob, pos)
        pos += 12
        name = bytes(blob[pos:pos + namesz]).rstrip(b"\0")
        pos += (namesz + 3) & ~3
        desc = bytes(blob[pos:pos + descsz])
        pos += (descsz + 3) & ~3
        yield name, ntype, desc


class ElfCore:
    """Physical pages and notes of an ELF core file (vmcore)."""

    def __init__(self, path):
        self.file = open(path, "rb")
        self.map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        m = self.map
        if m[:4] != b"\x7fELF" or m[4] != 2 or m[5] != 1:
            raise ValueError("not a little-endian ELF64 file")
        e_type, e_machine = struct.unpack_from("<HH", m, 16)
        if e_type != 4 or e_machine != 62:
            raise ValueError("not an x86-64 core file")
        phoff, = struct.unpack_from("<Q", m, 32)
        phentsize, phnum = struct.unpack_from("<HH", m, 54)
        self.loads, self.notes = [], []
        for i in range(phnum):
            (p_type, _, p_offset, _, p_paddr, p_filesz, _,
             _) = struct.unpack_from("<IIQQQQQQ", m, phoff + i * phentsize)
            if p_offset + p_filesz > len(m):
                raise ValueError("segment %d beyond the end of the file" % i)
            if p_type == PT_LOAD:
                self.loads.append((p_paddr, p_offset, p_filesz))
            elif p_type == PT_NOTE:
                self.notes.extend(iter_notes(
                    m[p_offset:p_offset + p_filesz]))

    def pages(self):
        """Yield (physical address, 4 KiB page) once per physical page."""
        seen = set()
        for paddr, offset, filesz in self.loads:
            first = -(-paddr // PAGE) * PAGE
            for addr in range(first, paddr + filesz - PAGE + 1, PAGE):
                if addr in seen:
                    continue
                seen.add(addr)
                off = offset + addr - paddr
                yield addr, self.map[off:off + PAGE]

    def close(self):
        self.map.close()
        self.file.close()


class KdumpCompressed:
    """makedumpfile's kdump-compressed format (diskdump_mod.h)."""

    FLAG_ZLIB = 0x1

    def __init__(self, path):
        self.file = open(path, "rb")
        self.map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        m = self.map
        if m[:8] != b"KDUMP   ":
            raise ValueError("no KDUMP signature (flattened? run "
                             "makedumpfile -R first)")
        self.version, = struct.unpack_from("<i", m, 8)
        # struct disk_dump_header: signature[8], header_version, utsname
        # (6 x 65 bytes), then struct timeval aligned to 8: offset 408.
        self.release = bytes(m[12 + 2 * 65:12 + 3 * 65]).split(b"\0")[0]
        (_, block_size, sub_hdr_size, bitmap_blocks,
         max_mapnr) = struct.unpack_from("<IiiII", m, 424)
        if block_size != PAGE:
            raise ValueError("block size %d, want %d" % (block_size, PAGE))
        # struct kdump_sub_header, in the block after the header (all
        # fields 8 bytes but dump_level and split): offset_note at 48,
        # size_note at 56, max_mapnr_64 (header version 6 on) at 96.
        sub = block_size
        if self.version >= 6:
            max_mapnr = struct.unpack_from("<Q", m, sub + 96)[0]
        offset_note, size_note = struct.unpack_from("<QQ", m, sub + 48)
        self.notes = list(iter_notes(
            m[offset_note:offset_note + size_note]))
        bitmap = (1 + sub_hdr_size) * block_size
        half = bitmap_blocks * block_size // 2
        self.dumped = memoryview(m)[bitmap + half:bitmap + 2 * half]
        self.max_mapnr = max_mapnr
        self.desc_start = (1 + sub_hdr_size + bitmap_blocks) * block_size

    def dumped_pfns(self):
        bits = self.dumped
        for byte_index in range(min(len(bits), -(-self.max_mapnr // 8))):
            byte = bits[byte_index]
            if not byte:
                continue
            for bit in range(8):
                if byte & (1 << bit):
                    yield byte_index * 8 + bit

    def pages(self, counts):
        """Yield (physical address, page) of dumped pages it can inflate."""
        m = self.map
        for index, pfn in enumerate(self.dumped_pfns()):
            offset, size, flags, _ = struct.unpack_from(
                "<qIIQ", m, self.desc_start + index * 24)
            counts["dumped"] += 1
            data = m[offset:offset + size]
            if flags & self.FLAG_ZLIB:
                data = zlib.decompress(data)
            elif flags or size != PAGE:
                counts["not-inflated"] += 1
                continue
            if len(data) != PAGE:
                raise ValueError("pfn 0x%x: %d bytes" % (pfn, len(data)))
            yield pfn * PAGE, data

    def close(self):
        self.dumped.release()
        self.map.close()
        self.file.close()


def find_vmcs(pages, keep=()):
    """VMCS pages among pages, and the pages at the addresses in keep."""
    found, kept = [], {}
    for addr, page in pages:
        if addr in keep:
            kept[addr] = bytes(page)
        # Fast reject before decoding: the revision dword.
        if page[0] != REVISION or page[1:4] != b"\0\0\0":
            continue
        values = decode_vmcs(page)
        if values is not None:
            values["paddr"] = addr
            values["page"] = bytes(page)
            found.append(values)
    return found, kept


def note_pages(vmcsinfo):
    if vmcsinfo is None:
        return ()
    paddr, size = vmcsinfo
    return set(range(paddr // PAGE * PAGE, paddr + size, PAGE))


def check_note(res, label, vmcsinfo, kept, vmcss, guests):
    """The module's note: in the dump where it said, decoding KVM's VMCS."""
    sys.path.insert(0, NOTEFMT_DIR)
    # No __pycache__ in another part of the tree.
    sys.dont_write_bytecode = True
    try:
        import notefmt
    except ImportError as err:
        res.check(False, "%s/vmcsinfo-note" % label, "notefmt.py: %s" % err)
        return
    paddr, size = vmcsinfo
    missing = [a for a in sorted(note_pages(vmcsinfo)) if a not in kept]
    if missing:
        res.check(False, "%s/vmcsinfo-note" % label,
                  "page 0x%x of the note at 0x%x is not in the dump"
                  % (missing[0], paddr))
        return
    image = b"".join(kept[a] for a in sorted(note_pages(vmcsinfo)))
    start = paddr % PAGE
    try:
        note = notefmt.parse(image[start:start + size])
    except notefmt.NoteError as err:
        res.check(False, "%s/vmcsinfo-note" % label,
                  "at 0x%x: rule %s: %s" % (paddr, err.rule, err.message))
        return
    own = note.header["note_paddr"]
    res.check(own == paddr, "%s/vmcsinfo-note" % label,
              "VMCSINFO note at 0x%x, %d bytes, %d fields, vendor %s, "
              "note_paddr 0x%x" % (paddr, size, len(note.fields),
                                   note.vendor_text(), own))
    for g in guests:
        name = "%s/vmcsinfo-decode-vm%d-vcpu%d" % (label, g["vm"], g["vcpu"])
        matches = [v for v in vmcss if all(v[k] == g[k] for k in MATCHED)]
        if len(matches) != 1:
            res.check(False, name, "no single VMCS page to decode")
            continue
        wrong = []
        for key in MATCHED:
            field = note.field(FIELDS[key][0])
            if field is None:
                wrong.append("%s: not in the note" % key)
                continue
            got = notefmt.field_value(field, matches[0]["page"])
            if got != g[key]:
                wrong.append("%s=0x%x, want 0x%x" % (key, got, g[key]))
        res.check(not wrong, name,
                  "; ".join(wrong) if wrong else
                  "the note's layout decodes the VMCS at 0x%x to the "
                  "guest's %s" % (matches[0]["paddr"], ", ".join(MATCHED)))


def check_guests(res, label, vmcss, guests, quiet_extra):
    res.check(len(vmcss) >= len(guests), "%s/vmcs-pages" % label,
              "%d VMCS pages (revision 0x2b, link pointer ~0) for %d vCPUs"
              % (len(vmcss), len(guests)))
    used = set()
    for g in guests:
        name = "%s/vm%d-vcpu%d" % (label, g["vm"], g["vcpu"])
        matches = [v for v in vmcss
                   if all(v[k] == g[k] for k in MATCHED)]
        if len(matches) == 1:
            v = matches[0]
            used.add(v["paddr"])
            res.check(True, name,
                      "VMCS at 0x%x: rip=0x%x rsp=0x%x rflags=0x%x cr3=0x%x "
                      "cs=0x%x ss=0x%x cs_base=0x%x (cr0=0x%x cr4=0x%x "
                      "launch=%d)" % (v["paddr"], v["rip"], v["rsp"],
                                      v["rflags"], v["cr3"], v["cs"],
                                      v["ss"], v["cs_base"], v["cr0"],
                                      v["cr4"], v["launch"]))
        elif not matches:
            near = [v for v in vmcss if v["rip"] == g["rip"]]
            res.check(False, name,
                      "no VMCS with rip=0x%x rsp=0x%x %s"
                      % (g["rip"], g["rsp"],
                         ("(same rip: %s)" % near) if near else ""))
        else:
            res.check(False, name, "%d VMCS pages match: %s" % (
                len(matches), ", ".join("0x%x" % v["paddr"]
                                        for v in matches)))
    if not quiet_extra:
        for v in vmcss:
            if v["paddr"] not in used:
                print("INFO %s: other VMCS-like page at 0x%x rip=0x%x "
                      "rsp=0x%x" % (label, v["paddr"], v["rip"], v["rsp"]))


def note_names(notes):
    return [(name.decode(errors="replace"), ntype) for name, ntype, _ in notes]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--guests", required=True)
    ap.add_argument("--kdump", action="append", default=[])
    ap.add_argument("--quiet-extra", action="store_true")
    ap.add_argument("--vmcsinfo", metavar="'PADDR SIZE'",
                    help="contents of /sys/kernel/vmcsinfo (hex)")
    ap.add_argument("vmcore")
    args = ap.parse_args()
    # The rule must give what Bochs' source says for two fields.
    assert bochs27_offset(0x2800) == 0x610
    assert bochs27_offset(0x681E) == 0xE88

    vmcsinfo = None
    if args.vmcsinfo:
        try:
            paddr, size = (int(x, 16) for x in args.vmcsinfo.split())
        except ValueError:
            ap.error("--vmcsinfo: want two hex numbers, not %r"
                     % args.vmcsinfo)
        vmcsinfo = (paddr, size)
    keep = note_pages(vmcsinfo)

    res = Results()
    guests = parse_guests(args.guests)
    res.check(bool(guests), "guests", "%d vCPUs expected" % len(guests))

    try:
        core = ElfCore(args.vmcore)
    except (OSError, ValueError) as err:
        res.check(False, "elf", "%s: %s" % (args.vmcore, err))
        return 1
    names = note_names(core.notes)
    vmcoreinfo = [desc for name, ntype, desc in core.notes
                  if name == b"VMCOREINFO"]
    release = re.search(rb"OSRELEASE=(\S+)", vmcoreinfo[0]) if vmcoreinfo \
        else None
    res.check(bool(vmcoreinfo) and release is not None, "elf/vmcoreinfo",
              "OSRELEASE=%s" % (release.group(1).decode() if release
                                else "?"))
    prstatus = names.count(("CORE", NT_PRSTATUS))
    res.check(prstatus >= 1, "elf/prstatus", "%d NT_PRSTATUS notes"
              % prstatus)
    total = sum(filesz for _, _, filesz in core.loads)
    res.check(bool(core.loads), "elf/loads", "%d PT_LOADs, %d bytes"
              % (len(core.loads), total))
    vmcss, kept = find_vmcs(core.pages(), keep)
    check_guests(res, "elf", vmcss, guests, args.quiet_extra)
    if vmcsinfo:
        check_note(res, "elf", vmcsinfo, kept, vmcss, guests)
    core.close()

    checked = {}
    for path in args.kdump:
        label = path.rsplit("/", 1)[-1]
        try:
            dump = KdumpCompressed(path)
        except (OSError, ValueError, struct.error) as err:
            res.check(False, label, "%s: %s" % (path, err))
            continue
        has_info = any(name == b"VMCOREINFO" for name, _, _ in dump.notes)
        res.check(has_info, "%s/notes" % label, "%d notes, VMCOREINFO %s, "
                  "release %s" % (len(dump.notes),
                                  "kept" if has_info else "missing",
                                  dump.release.decode(errors="replace")))
        counts = {"dumped": 0, "not-inflated": 0}
        try:
            vmcss, kept = find_vmcs(dump.pages(counts), keep)
            pfns = set(dump.dumped_pfns())
        except (ValueError, zlib.error, struct.error) as err:
            res.check(False, "%s/pages" % label, str(err))
            dump.close()
            continue
        dump.close()
        if not counts["not-inflated"]:
            check_guests(res, label, vmcss, guests, args.quiet_extra)
            if vmcsinfo:
                check_note(res, label, vmcsinfo, kept, vmcss, guests)
            checked.setdefault("pfns", (label, pfns))
        elif "pfns" in checked:
            # LZO (not in Python's library): the same filter must have
            # kept the same pages as a dump whose contents were checked.
            other, other_pfns = checked["pfns"]
            res.check(pfns == other_pfns, "%s/pages" % label,
                      "%d pages dumped, %s as in %s (contents not read: "
                      "%d pages not zlib)" % (
                          len(pfns), "the same" if pfns == other_pfns
                          else "NOT the same", other,
                          counts["not-inflated"]))
        else:
            print("INFO %s: %d pages, %d not zlib: contents not checked"
                  % (label, counts["dumped"], counts["not-inflated"]))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
