#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Reader and writer of the VMCSINFO ELF note, version 1.

Written from docs/note-format.md, not translated from the C reader or
writer, so that tests/notefmt/test_notefmt.py can check that the
specification, the C encoder (core/note.c) and the C decoder
(tools/vmcsinfo-decode/lib/note_parse.c) agree.  Python 3 standard library
only.  Section and rule numbers (R1..R24, W1..W5) refer to the
specification.

    parse(buf)            -> Note, or raises NoteError (with .rule)
    encode(note)          -> bytes of a canonical note (section 7)
    fix_crc(buf)          -> buf with its crc32 field recomputed
    scan(image, base)     -> [(paddr, Note)] found by scanning page starts
    field_value(f, img)   -> what VMREAD of field f gives for a region image

Run as a program, it prints a note's header and fields:
    python3 notefmt.py [--json] NOTE
"""

import json
import struct
import sys
import zlib

# ---- constants (section 12) ----
NAME = b"VMCSINFO\0"
NAMESZ = 9
TYPE = 1
DESC_OFF = 24
MAGIC = 0x53434D56
VERSION = 1
HDR_SIZE = 288
MAX_DESC = 1 << 24
MAX_FIELDS = 16384
ENC_RESERVED = 0xFFFF9000
NO_OFFSET = 0xFFFFFFFF
RUN_CONST0 = 0xFFFF
RUN_CONST1 = 0xFFFE
FIRST_FIELD_BIT = 64
NR_MSRS = 20
MSR_FIRST = 0x480
PAGE = 4096

# Per-bit map values for constant bits (what vmcsinfo-decode --json prints).
MAP_CONST0 = -1
MAP_CONST1 = -2

SOURCES = {1: "module", 2: "simulator", 3: "database"}
METHOD_READ, METHOD_WRITE = 0x1, 0x2
LF_VMWRITE_ANY, LF_ENUM_EXCEEDED, LF_IN_VMX_OP = 0x01, 0x02, 0x04
LF_CPUS_AGREE, LF_CPUS_DIFFER = 0x08, 0x10
FF_READONLY, FF_UNKNOWN, FF_WCHECKED = 0x01, 0x02, 0x04
FF_MISMATCH, FF_HIGHDIFF = 0x08, 0x10

# Section 5: (desc offset, struct format, name) of every header field.
HEADER_FIELDS = [
    (0, "I", "magic"),
    (4, "H", "version"),
    (6, "H", "hdr_size"),
    (8, "I", "desc_size"),
    (12, "I", "crc32"),
    (16, "Q", "note_paddr"),
    (24, "I", "revision_id"),
    (28, "I", "region_size"),
    (32, "I", "cpuid_signature"),
    (36, "I", "microcode"),
    (40, "12s", "vendor"),
    (52, "I", "source"),
    (56, "I", "methods"),
    (60, "I", "mismatches"),
    (64, "I", "flags"),
    (68, "I", "launch_state_offset"),
    (72, "I", "launch_state_size"),
    (76, "I", "abort_offset"),
    (80, "I", "nr_cpus"),
    (84, "I", "vmptrld_count"),
    (88, "I", "vmclear_count"),
    (92, "I", "vmread_count"),
    (96, "I", "vmwrite_count"),
    (100, "I", "probe_usecs"),
    (104, "I", "msr_valid"),
    (108, "I", "reserved0"),
    (112, "20Q", "msrs"),
    (272, "I", "nfields"),
    (276, "I", "fields_offset"),
    (280, "I", "fields_size"),
    (284, "I", "reserved1"),
]
HEADER_OFFSET = {name: off for off, _, name in HEADER_FIELDS}


class NoteError(Exception):
    """A note that breaks rule `rule` of section 8."""

    def __init__(self, rule, message):
        super().__init__("%s: %s" % (rule, message))
        self.rule = rule
        self.message = message


def nbits_of(encoding):
    """VMREAD width of an encoding (section 1)."""
    width = (encoding >> 13) & 3
    if width == 0:
        return 16
    if width == 2:
        return 32
    return 32 if encoding & 1 else 64


def desc_crc(desc):
    """CRC-32 of a desc with its crc32 field taken as 0 (section 5.1)."""
    return zlib.crc32(desc[:12] + bytes(4) + desc[16:]) & 0xFFFFFFFF


class Field:
    """One field record: encoding, nbits, flags, reserved byte, runs and
    the per-bit map (region bit, MAP_CONST0 or MAP_CONST1 per VMREAD bit)."""

    def __init__(self, encoding, nbits, flags, bitmap, runs=None, reserved=0):
        self.encoding = encoding
        self.nbits = nbits
        self.flags = flags
        self.map = list(bitmap)
        self.runs = runs if runs is not None else runs_of_map(self.map)
        self.reserved = reserved

    def plain(self):
        """(offset, size) in bytes when the field is plain (section 6)."""
        base = self.map[0]
        if base < 0 or base % 8:
            return None
        n = 0
        while n < self.nbits and self.map[n] == base + n:
            n += 1
        if n % 8 or any(m != MAP_CONST0 for m in self.map[n:]):
            return None
        return base // 8, n // 8


def runs_of_map(bitmap):
    """Maximal runs (rule W3) of a per-bit map, as (first, nbits, target)."""
    runs = []
    for i, m in enumerate(bitmap):
        target = {MAP_CONST0: RUN_CONST0, MAP_CONST1: RUN_CONST1}.get(m, m)
        if runs:
            first, n, t = runs[-1]
            if t in (RUN_CONST0, RUN_CONST1):
                follows = target == t
            else:
                follows = target == t + n
            if follows:
                runs[-1] = (first, n + 1, t)
                continue
        runs.append((i, 1, target))
    return runs


class Note:
    """A parsed note: header values by the names of section 5, the fields,
    the header extension bytes (hdr_size > 288) and the note's size."""

    def __init__(self, header, fields, extension=b"", size=0):
        self.header = header
        self.fields = fields
        self.extension = extension
        self.size = size

    def field(self, encoding):
        for f in self.fields:
            if f.encoding == encoding:
                return f
        return None

    def vendor_text(self):
        return self.header["vendor"].split(b"\0", 1)[0].decode("ascii", "replace")


def _u16(b, off):
    return struct.unpack_from("<H", b, off)[0]


def _u32(b, off):
    return struct.unpack_from("<I", b, off)[0]


def parse(buf):
    """Parse the note at the start of buf (rules R1-R24, in their order)."""
    buf = bytes(buf)
    n = len(buf)
    if n < DESC_OFF:
        raise NoteError("R1", "%d bytes cannot hold a note header" % n)
    namesz, descsz, ntype = struct.unpack_from("<III", buf, 0)
    if namesz != NAMESZ or buf[12:21] != NAME:
        raise NoteError("R2", "note name is not VMCSINFO")
    if ntype != TYPE:
        raise NoteError("R3", "note type %d is not 1" % ntype)
    if descsz > n - DESC_OFF:
        raise NoteError("R4", "truncated: n_descsz %d, %d bytes present"
                        % (descsz, n - DESC_OFF))
    if descsz > MAX_DESC:
        raise NoteError("R5", "n_descsz %d exceeds 2^24" % descsz)
    if descsz < 8:
        raise NoteError("R6", "n_descsz %d is below 8" % descsz)
    d = buf[DESC_OFF:DESC_OFF + descsz]
    if _u32(d, 0) != MAGIC:
        raise NoteError("R7", "magic 0x%08x" % _u32(d, 0))
    if _u16(d, 4) != VERSION:
        raise NoteError("R8", "version %d is not 1" % _u16(d, 4))
    hdr_size = _u16(d, 6)
    if hdr_size < HDR_SIZE or hdr_size > descsz:
        raise NoteError("R9", "hdr_size %d outside %d..%d"
                        % (hdr_size, HDR_SIZE, descsz))
    if _u32(d, 8) != descsz:
        raise NoteError("R10", "desc_size %d differs from n_descsz %d"
                        % (_u32(d, 8), descsz))
    if _u32(d, 12) != desc_crc(d):
        raise NoteError("R11", "crc32 stored 0x%08x, computed 0x%08x"
                        % (_u32(d, 12), desc_crc(d)))
    header = {}
    for off, fmt, name in HEADER_FIELDS:
        v = struct.unpack_from("<" + fmt, d, off)
        header[name] = list(v) if name == "msrs" else v[0]
    region_bits = 8 * header["region_size"]
    if not 16 <= header["region_size"] <= 4096:
        raise NoteError("R12", "region_size %d outside 16..4096"
                        % header["region_size"])
    rs, lo, ls = (header["region_size"], header["launch_state_offset"],
                  header["launch_state_size"])
    if lo != 0xFFFFFFFF and not (8 <= lo and 0 < ls and lo + ls <= rs):
        raise NoteError("R12a", "launch state %d+%d outside the %d-byte region"
                        % (lo, ls, rs))
    if header["abort_offset"] + 4 > rs:
        raise NoteError("R12b", "abort indicator offset %d outside the region"
                        % header["abort_offset"])
    foff, fsize = header["fields_offset"], header["fields_size"]
    if foff < hdr_size or foff > descsz or fsize > descsz - foff:
        raise NoteError("R13", "records at %d+%d outside the %d-byte desc"
                        % (foff, fsize, descsz))
    nfields = header["nfields"]
    if nfields > MAX_FIELDS or nfields > fsize // 8:
        raise NoteError("R14", "nfields %d in %d bytes" % (nfields, fsize))
    end = foff + fsize
    pos = foff
    fields = []
    for i in range(nfields):
        if end - pos < 8:
            raise NoteError("R15", "record %d: head truncated" % i)
        enc, nbits, flags, nruns, reserved = struct.unpack_from("<IBBBB", d, pos)
        pos += 8
        if enc & ENC_RESERVED:
            raise NoteError("R16", "encoding 0x%x: reserved bits" % enc)
        if nbits != nbits_of(enc):
            raise NoteError("R17", "encoding 0x%x: nbits %d, expected %d"
                            % (enc, nbits, nbits_of(enc)))
        if nruns == 0 or nruns > nbits:
            raise NoteError("R18", "encoding 0x%x: %d runs for %d bits"
                            % (enc, nruns, nbits))
        if end - pos < 4 * nruns:
            raise NoteError("R19", "encoding 0x%x: runs truncated" % enc)
        bitmap = []
        runs = []
        for j in range(nruns):
            first, n_, target = struct.unpack_from("<BBH", d, pos)
            pos += 4
            if first != len(bitmap) or n_ == 0 or first + n_ > nbits:
                raise NoteError("R20", "encoding 0x%x: run %d is bits %d+%d, "
                                "expected to start at %d within %d"
                                % (enc, j, first, n_, len(bitmap), nbits))
            if target == RUN_CONST0:
                bitmap += [MAP_CONST0] * n_
            elif target == RUN_CONST1:
                bitmap += [MAP_CONST1] * n_
            elif target < FIRST_FIELD_BIT or target + n_ > region_bits:
                raise NoteError("R21", "encoding 0x%x: run %d at region bits "
                                "%d+%d" % (enc, j, target, n_))
            else:
                bitmap += [target + k for k in range(n_)]
            runs.append((first, n_, target))
        if len(bitmap) != nbits:
            raise NoteError("R22", "encoding 0x%x: runs cover %d of %d bits"
                            % (enc, len(bitmap), nbits))
        if fields and enc <= fields[-1].encoding:
            raise NoteError("R23", "encoding 0x%x after 0x%x"
                            % (enc, fields[-1].encoding))
        fields.append(Field(enc, nbits, flags, bitmap, runs, reserved))
    if pos != end:
        raise NoteError("R24", "%d bytes left after the records" % (end - pos))
    return Note(header, fields, d[HDR_SIZE:hdr_size], DESC_OFF + descsz)


def encode(note, runs_from_map=True, check=True):
    """The bytes of a note (section 7).  desc_size, crc32, hdr_size,
    nfields, fields_offset and fields_size are computed; everything else
    comes from note.header.  runs_from_map=False keeps each field's runs as
    they are (tests use it to write non-maximal runs); check=False writes
    the fields in the order given (tests use it to break rule R23)."""
    fields = note.fields if not check else sorted(note.fields,
                                                  key=lambda f: f.encoding)
    if check:
        for a, b in zip(fields, fields[1:]):
            if a.encoding == b.encoding:
                raise ValueError("encoding 0x%x twice" % a.encoding)
    records = bytearray()
    for f in fields:
        runs = runs_of_map(f.map[:f.nbits]) if runs_from_map else f.runs
        records += struct.pack("<IBBBB", f.encoding, f.nbits, f.flags,
                               len(runs), f.reserved)
        for first, n_, target in runs:
            records += struct.pack("<BBH", first, n_, target)
    hdr_size = HDR_SIZE + len(note.extension)
    descsz = hdr_size + len(records)
    values = dict(note.header)
    values.update(magic=MAGIC, version=values.get("version", VERSION),
                  hdr_size=hdr_size, desc_size=descsz, crc32=0,
                  nfields=len(fields), fields_offset=hdr_size,
                  fields_size=len(records))
    desc = bytearray(hdr_size)
    for off, fmt, name in HEADER_FIELDS:
        v = values.get(name, 0)
        if name == "msrs":
            struct.pack_into("<20Q", desc, off, *(list(v) + [0] * NR_MSRS)[:NR_MSRS])
        elif name == "vendor":
            struct.pack_into("<12s", desc, off, bytes(v))
        else:
            struct.pack_into("<" + fmt, desc, off, v)
    desc[HDR_SIZE:hdr_size] = note.extension
    desc += records
    struct.pack_into("<I", desc, 12, desc_crc(bytes(desc)))
    return struct.pack("<III", NAMESZ, descsz, TYPE) + NAME + bytes(3) + bytes(desc)


def fix_crc(buf):
    """buf with the crc32 of the desc its n_descsz names recomputed."""
    b = bytearray(buf)
    descsz = _u32(b, 4)
    d = bytes(b[DESC_OFF:DESC_OFF + descsz])
    struct.pack_into("<I", b, DESC_OFF + 12, desc_crc(d))
    return bytes(b)


def scan(image, base_paddr=0):
    """Notes found by scanning page starts of a physical memory image
    whose first byte is at physical address base_paddr (section 9)."""
    found = []
    first = (-base_paddr) % PAGE
    for off in range(first, len(image) - 27, PAGE):
        head = image[off:off + 28]
        descsz = _u32(head, 4)
        if (head[0:4] != b"\x09\0\0\0" or head[8:12] != b"\x01\0\0\0"
                or head[12:21] != NAME or _u32(head, 24) != MAGIC
                or not HDR_SIZE <= descsz <= MAX_DESC):
            continue
        try:
            note = parse(image[off:off + DESC_OFF + descsz])
        except NoteError:
            continue
        if note.header["note_paddr"] == base_paddr + off:
            found.append((base_paddr + off, note))
    return found


def field_value(f, region):
    """VMREAD value of field f for a region image (section 6)."""
    v = 0
    for i, m in enumerate(f.map[:f.nbits]):
        if m == MAP_CONST1 or (m >= 0 and (region[m // 8] >> (m % 8)) & 1):
            v |= 1 << i
    return v


def as_dict(note):
    """Everything in a note as plain Python values."""
    h = dict(note.header)
    h["vendor"] = h["vendor"].hex()
    fields = []
    for f in note.fields:
        e = {"encoding": f.encoding, "nbits": f.nbits, "flags": f.flags,
             "runs": [list(r) for r in f.runs], "map": f.map}
        p = f.plain()
        if p:
            e["offset"], e["size"] = p
        fields.append(e)
    return {"header": h, "extension": note.extension.hex(), "fields": fields}


def main(argv):
    args = [a for a in argv[1:] if a != "--json"]
    if len(args) != 1:
        print("usage: notefmt.py [--json] NOTE|-", file=sys.stderr)
        return 2
    data = sys.stdin.buffer.read() if args[0] == "-" else open(args[0], "rb").read()
    try:
        note = parse(data)
    except NoteError as e:
        print("notefmt: %s: %s" % (args[0], e), file=sys.stderr)
        return 1
    if "--json" in argv:
        print(json.dumps(as_dict(note)))
        return 0
    h = note.header
    print("version %d, source %s, revision 0x%x, region %d bytes, vendor %s"
          % (h["version"], SOURCES.get(h["source"], "unknown"),
             h["revision_id"], h["region_size"], note.vendor_text()))
    for f in note.fields:
        p = f.plain()
        where = ("offset 0x%x size %d" % p) if p else " ".join(
            "%d+%d:%s" % (a, n, {RUN_CONST0: "0", RUN_CONST1: "1"}.get(t, str(t)))
            for a, n, t in f.runs)
        print("0x%08x %2d flags 0x%02x %s" % (f.encoding, f.nbits, f.flags, where))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
