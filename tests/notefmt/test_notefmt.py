#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Conformance test of the VMCSINFO note (docs/note-format.md).

For every model: run vmcsinfo-sim, read its note with notefmt.py (an
independent reader written from the specification) and check that

- the CRC is right (zlib.crc32 directly) and notefmt.py accepts the note;
- notefmt.py's writer gives back the same bytes (the C encoder writes the
  canonical form of section 7);
- every header value and field map equals what `vmcsinfo-decode layout
  --json -` prints;
- the header agrees with the model file and the probe counts follow the
  formulas of docs/probe.md;
- corrupted copies are rejected by notefmt.py (by the rule expected) and by
  vmcsinfo-decode (non-zero exit, one line on stderr, same rule), and
  compatible variants (section 8's "MUST NOT reject") are accepted by both;
- a page scan (section 9) finds the note only at its own address.

The models given on the command line are tested, plus tests/notefmt/models/
(unless --no-fixtures).  One line per case, then "N passed, N failed".

Usage: test_notefmt.py --sim build/vmcsinfo-sim --decode build/vmcsinfo-decode
                       models/*.model
"""

import argparse
import glob
import json
import os
import re
import struct
import subprocess
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import notefmt as nf  # noqa: E402

DOCS = os.path.join(HERE, "..", "..", "docs", "note-format.md")
EXAMPLE_MODEL = "bochs-2.7-corei7_skylake_x"

# vmcsinfo-decode's messages (note_parse.c), mapped to the rules of
# section 8, so that a rejection can be checked to be for the same reason.
DECODER_RULES = [
    ("R1", r"is too short for a VMCSINFO note"),
    ("R2", r"wrong note name"),
    ("R3", r"of unknown type"),
    ("R4", r"note is truncated"),
    ("R5", r"exceeds the limit"),
    ("R6", r"note desc of \d+ bytes is too short"),
    ("R7", r"bad magic"),
    ("R8", r"version \d+ is not supported"),
    ("R9", r"header size \d+ is invalid"),
    ("R10", r"disagrees with its ELF header"),
    ("R11", r"checksum mismatch"),
    ("R12", r"region size \d+ is outside"),
    ("R12a", r"launch state at .* lies outside"),
    ("R12b", r"abort indicator offset \d+ lies outside"),
    ("R13", r"field records at .* lie outside"),
    ("R14", r"field count \d+ does not fit"),
    ("R15", r"field record \d+ is truncated"),
    ("R16", r"has reserved bits set"),
    ("R17", r"width \d+ bits, its encoding says"),
    ("R18", r"\d+ runs for \d+ bits"),
    ("R19", r"runs extend past the note"),
    ("R20", r"run \d+ covers bits|run \d+ is empty"),
    ("R21", r"points at region bits"),
    ("R22", r"runs cover \d+ of \d+ bits"),
    ("R23", r"is out of order"),
    ("R24", r"stray bytes after the last field record"),
]


class Failure(Exception):
    pass


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def case(self, name, fn):
        try:
            detail = fn()
        except Failure as e:
            self.failed += 1
            print("FAIL %s: %s" % (name, e))
        except Exception as e:  # a bug in the test or a crash: still report
            self.failed += 1
            print("FAIL %s: %s: %s" % (name, type(e).__name__, e))
        else:
            self.passed += 1
            print("PASS %s%s" % (name, " (%s)" % detail if detail else ""))


def check(cond, msg):
    if not cond:
        raise Failure(msg)


# ---- byte surgery ----

def flip(buf, off):
    b = bytearray(buf)
    b[off] ^= 0xFF
    return bytes(b)


def put(buf, off, fmt, value):
    b = bytearray(buf)
    struct.pack_into("<" + fmt, b, off, value)
    return bytes(b)


def hdr(name):
    """Note offset of a desc header field."""
    return nf.DESC_OFF + nf.HEADER_OFFSET[name]


def record_offsets(note):
    """Note offsets of every field record, in order."""
    pos = nf.DESC_OFF + note.header["fields_offset"]
    offs = []
    for f in note.fields:
        offs.append(pos)
        pos += 8 + 4 * len(f.runs)
    return offs


def region_run_offset(note):
    """Note offset of the region_bit of the first run that names region
    bits and whose low byte is not 0xfe/0xff (so that changing its high
    byte can never make it CONST0/CONST1), or None."""
    for off, f in zip(record_offsets(note), note.fields):
        for j, (_, _, t) in enumerate(f.runs):
            if t not in (nf.RUN_CONST0, nf.RUN_CONST1) and (t & 0xFF) < 0xFE:
                return off + 8 + 4 * j + 2
    return None


# ---- the C decoder ----

def run_decoder(decode, data):
    p = subprocess.run([decode, "layout", "--json", "-"], input=data,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), \
        p.stderr.decode("utf-8", "replace")


def decoder_rule(msg):
    for rule, pattern in DECODER_RULES:
        if re.search(pattern, msg):
            return rule
    return None


def c_vendor(raw):
    """The vendor string as vmcsinfo-decode shows it."""
    out = []
    for b in raw:
        if b == 0:
            break
        out.append(chr(b) if 0x20 <= b <= 0x7E else "?")
    return "".join(out)


def expected_json(note):
    """What vmcsinfo-decode layout --json must print for a note, from
    notefmt.py's reading of it (field names, which come from the field
    table and not from the note, are left out)."""
    h = note.header
    fields = []
    for f in note.fields:
        e = {"encoding": f.encoding, "width": f.nbits}
        p = f.plain()
        if p:
            e["offset"], e["size"] = p
        e.update(readonly=bool(f.flags & nf.FF_READONLY),
                 known=not f.flags & nf.FF_UNKNOWN,
                 write_checked=bool(f.flags & nf.FF_WCHECKED),
                 mismatch=bool(f.flags & (nf.FF_MISMATCH | nf.FF_HIGHDIFF)),
                 map=f.map)
        fields.append(e)
    return {
        "version": h["version"],
        "revision_id": h["revision_id"],
        "region_size": h["region_size"],
        "launch_state_offset": None if h["launch_state_offset"] == nf.NO_OFFSET
        else h["launch_state_offset"],
        "launch_state_size": h["launch_state_size"],
        "abort_offset": h["abort_offset"],
        "source": nf.SOURCES.get(h["source"], "unknown"),
        "vendor": c_vendor(h["vendor"]),
        "cpuid_signature": h["cpuid_signature"],
        "microcode": h["microcode"],
        "note_paddr": h["note_paddr"],
        "read_method": bool(h["methods"] & nf.METHOD_READ),
        "write_method": bool(h["methods"] & nf.METHOD_WRITE),
        "mismatches": h["mismatches"],
        "counts": {"vmptrld": h["vmptrld_count"], "vmclear": h["vmclear_count"],
                   "vmread": h["vmread_count"], "vmwrite": h["vmwrite_count"]},
        "msrs": {"0x%x" % (nf.MSR_FIRST + i): h["msrs"][i]
                 for i in range(nf.NR_MSRS) if h["msr_valid"] >> i & 1},
        "fields": fields,
    }


def compare(want, got, path, diffs, ignored):
    """Differences between want and got; keys only in got are ignored."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            diffs.append("%s: %r is not an object" % (path, got))
            return
        for k in want:
            if k not in got:
                diffs.append("%s.%s: missing" % (path, k))
            else:
                compare(want[k], got[k], "%s.%s" % (path, k), diffs, ignored)
        ignored.update(k for k in got if k not in want)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            diffs.append("%s: length %s, expected %d" % (
                path, len(got) if isinstance(got, list) else "?", len(want)))
            return
        for i, (w, g) in enumerate(zip(want, got)):
            compare(w, g, "%s[%d]" % (path, i), diffs, ignored)
    elif type(want) is not type(got) or want != got:
        diffs.append("%s: decoder %r, notefmt %r" % (path, got, want))


def check_decoder_agrees(decode, data, note):
    rc, out, err = run_decoder(decode, data)
    check(rc == 0, "vmcsinfo-decode exit %d: %s" % (rc, err.strip()))
    try:
        got = json.loads(out)
    except ValueError as e:
        raise Failure("vmcsinfo-decode printed invalid JSON: %s" % e)
    diffs, ignored = [], set()
    compare(expected_json(note), got, "", diffs, ignored)
    check(not diffs, "%d differences, first: %s" % (len(diffs), "; ".join(diffs[:3])))
    return "%d fields equal" % len(note.fields) + (
        "; decoder-only keys ignored: %s" % ", ".join(sorted(ignored)) if ignored else "")


# ---- model facts and probe counts ----

def model_facts(path):
    facts = {"region_size": 4096, "vmwrite_any": False,
             "launch_state": (nf.NO_OFFSET, 0)}
    with open(path) as fp:
        for line in fp:
            tok = line.split("#", 1)[0].split()
            if len(tok) < 2:
                continue
            if tok[0] == "revision":
                facts["revision"] = int(tok[1], 0)
            elif tok[0] == "region_size":
                facts["region_size"] = int(tok[1], 0)
            elif tok[0] == "vmwrite_any":
                facts["vmwrite_any"] = tok[1] == "yes"
            elif tok[0] == "launch_state" and tok[1] != "none":
                facts["launch_state"] = (int(tok[1], 0), int(tok[2], 0))
    return facts


def ceil_log2(n):
    """The probe's number of patterns for n identifiers (docs/probe.md)."""
    k = 1
    while k < 31 and (1 << k) < n:
        k += 1
    return k


def expected_counts(note):
    """Instruction counts of a complete probe, docs/probe.md."""
    fields = note.fields
    full = [f for f in fields if not f.encoding & 1]
    written = [f for f in full if not f.flags & nf.FF_READONLY]
    k = ceil_log2(8 * note.header["region_size"])
    nids = sum(f.nbits for f in written)
    kw = ceil_log2(nids) if nids else 0
    vmptrld = 1 + 2 * k + 2 + 2 * kw
    return {"vmptrld_count": vmptrld, "vmclear_count": vmptrld + 1,
            "vmread_count": 16384 + len(full) + 2 * k * len(fields),
            "vmwrite_count": len(full) + 2 * kw * len(written)}


# ---- the example of docs/note-format.md, section 11 ----

def doc_block(text, marker):
    i = text.index("<!-- %s -->" % marker)
    start = text.index("```", i) + 3
    return text[text.index("\n", start) + 1:text.index("```", start)]


def doc_hexdump(block):
    out = bytearray()
    for line in block.splitlines():
        m = re.match(r"^([0-9a-f]{8}): ((?:[0-9a-f]{4} ?){1,8})", line)
        if m:
            out += bytes.fromhex(m.group(2).replace(" ", ""))
    return bytes(out)


def check_doc_example(data, docs):
    with open(docs) as fp:
        text = fp.read()
    got = doc_hexdump(doc_block(text, "example-note-header"))
    check(got == data[:nf.DESC_OFF], "docs/note-format.md's dump of the note "
          "header differs from the simulator's note: update section 11")
    desc = data[nf.DESC_OFF:]
    got = doc_hexdump(doc_block(text, "example-desc-0-64"))
    check(got == desc[:64], "docs/note-format.md's dump of desc bytes 0-63 "
          "differs from the simulator's note: update section 11")
    for off in (0x120, 0x714):
        rec = bytes.fromhex(doc_block(text, "example-record-0x%x" % off).replace(" ", ""))
        check(rec == desc[off:off + len(rec)], "docs/note-format.md's record "
              "at desc offset 0x%x differs from the note: update section 11" % off)
    return "note header, 64 desc bytes and 2 records match"


# ---- corruptions ----

def corruptions(data, note):
    """(name, bytes, rule notefmt must give) of invalid copies."""
    descsz = len(data) - nf.DESC_OFF
    nfields = len(note.fields)
    fx = nf.fix_crc
    out = [
        # a byte flipped, checksum left as it is
        ("name byte flipped", flip(data, 12), "R2"),
        ("n_namesz flipped", flip(data, 0), "R2"),
        ("n_type flipped", flip(data, 8), "R3"),
        ("magic byte flipped", flip(data, hdr("magic")), "R7"),
        ("version byte flipped", flip(data, hdr("version")), "R8"),
        ("n_descsz byte flipped", flip(data, 5), "R4"),
        ("n_descsz 4 smaller", put(data, 4, "I", descsz - 4),
         "R10" if descsz - 4 >= nf.HDR_SIZE else "R9"),
        ("n_descsz 4", put(data, 4, "I", 4), "R6"),
        ("n_descsz above 2^24 (and that many bytes)",
         put(data, 4, "I", nf.MAX_DESC + 4) + bytes(nf.MAX_DESC + 4 - descsz), "R5"),
        ("desc_size byte flipped", flip(data, hdr("desc_size")), "R10"),
        ("crc byte flipped", flip(data, hdr("crc32")), "R11"),
        ("truncated by 1 byte", data[:-1], "R4"),
        ("truncated to 23 bytes", data[:23], "R1"),
        ("empty", b"", "R1"),
        # structural damage with a correct checksum: the rules behind it
        ("version 2, crc fixed", fx(put(data, hdr("version"), "H", 2)), "R8"),
        ("hdr_size 287, crc fixed", fx(put(data, hdr("hdr_size"), "H", 287)), "R9"),
        ("hdr_size > desc, crc fixed",
         fx(put(data, hdr("hdr_size"), "H", min(descsz + 4, 0xFFFF))), "R9"),
        ("region_size 8, crc fixed", fx(put(data, hdr("region_size"), "I", 8)), "R12"),
        ("region_size 4097, crc fixed",
         fx(put(data, hdr("region_size"), "I", 4097)), "R12"),
        ("launch state past the region, crc fixed",
         fx(put(data, hdr("launch_state_offset"), "I", 4094)), "R12a"),
        ("launch state in the header, crc fixed",
         fx(put(data, hdr("launch_state_offset"), "I", 4)), "R12a"),
        ("abort indicator past the region, crc fixed",
         fx(put(data, hdr("abort_offset"), "I", 0xfffffffe)), "R12b"),
        ("fields_offset 284, crc fixed",
         fx(put(data, hdr("fields_offset"), "I", 284)), "R13"),
        ("fields_size past desc, crc fixed",
         fx(put(data, hdr("fields_size"), "I", note.header["fields_size"] + 4)), "R13"),
        ("nfields 16385, crc fixed", fx(put(data, hdr("nfields"), "I", 16385)), "R14"),
        ("nfields + 1, crc fixed", fx(put(data, hdr("nfields"), "I", nfields + 1)),
         "R15" if nfields + 1 <= note.header["fields_size"] // 8 else "R14"),
    ]
    if descsz > nf.HDR_SIZE:
        out.append(("truncated to the header", data[:nf.DESC_OFF + nf.HDR_SIZE], "R4"))
    if not nfields:
        return out
    recs = record_offsets(note)
    r0, f0 = recs[0], note.fields[0]
    out += [
        ("nruns flipped", flip(data, r0 + 6), "R11"),
        ("nfields - 1, crc fixed", fx(put(data, hdr("nfields"), "I", nfields - 1)),
         "R24"),
        ("encoding reserved bit, crc fixed",
         fx(put(data, r0, "I", f0.encoding | 0x1000)), "R16"),
        ("record nbits wrong, crc fixed",
         fx(put(data, r0 + 4, "B", 8 if f0.nbits != 8 else 16)), "R17"),
        ("nruns flipped, crc fixed", fx(flip(data, r0 + 6)), "R18"),
        ("nruns 0, crc fixed", fx(put(data, r0 + 6, "B", 0)), "R18"),
        ("run gap, crc fixed", fx(put(data, r0 + 8, "B", 1)), "R20"),
        ("run length 0, crc fixed", fx(put(data, r0 + 9, "B", 0)), "R20"),
    ]
    run_bit = region_run_offset(note)
    if run_bit is not None:
        out += [
            ("run region_bit byte flipped", flip(data, run_bit), "R11"),
            ("run region_bit high byte flipped, crc fixed",
             fx(flip(data, run_bit + 1)), "R21"),
            ("run region_bit in the header, crc fixed",
             fx(put(data, run_bit, "H", 8)), "R21"),
        ]
    # a record whose single run is shortened: bits left uncovered
    for off, f in zip(recs, note.fields):
        if len(f.runs) == 1 and f.nbits > 1:
            out.append(("runs do not cover nbits, crc fixed",
                        fx(put(data, off + 9, "B", f.nbits - 1)), "R22"))
            break
    # the last record's runs cut off by fields_size
    last = note.fields[-1]
    out.append(("runs past fields_size, crc fixed",
                fx(put(data, hdr("fields_size"), "I",
                       note.header["fields_size"] - 4 * len(last.runs))), "R19"))
    # records out of order, and an encoding twice (written by notefmt.py)
    if nfields > 1:
        swapped = list(note.fields)
        swapped[0], swapped[1] = swapped[1], swapped[0]
        out.append(("records out of order",
                    nf.encode(nf.Note(note.header, swapped), check=False), "R23"))
    twice = [f0] + list(note.fields)
    out.append(("an encoding twice",
                nf.encode(nf.Note(note.header, twice), check=False), "R23"))
    return out


def variants(data, note):
    """(name, bytes) of notes that readers MUST accept (section 8)."""
    fx = nf.fix_crc
    recs = record_offsets(note)
    b = data
    for name, value in (("flags", 0xFFFFFFE0 | note.header["flags"]),
                        ("methods", 0xFFFFFFFC | note.header["methods"]),
                        ("source", 7), ("reserved0", 0xDEADBEEF),
                        ("reserved1", 0xFEEDF00D)):
        b = put(b, hdr(name), "I", value)
    if recs:
        b = put(b, recs[0] + 7, "B", 0x5A)                 # record reserved
        b = put(b, recs[0] + 5, "B", note.fields[0].flags | 0xE0)
    b = fx(b)
    b = b[:21] + b"xyz" + b[24:]                           # name padding
    out = [("unknown bits, source and reserved values", b)]

    ext = nf.Note(note.header, note.fields, extension=bytes(range(1, 9)))
    out.append(("header extension (hdr_size 296)", nf.encode(ext)))

    fields, done = [], False
    for f in note.fields:
        runs = list(f.runs)
        first, n_, t = runs[0]
        if not done and n_ > 1 and t not in (nf.RUN_CONST0, nf.RUN_CONST1):
            runs[0:1] = [(first, 1, t), (first + 1, n_ - 1, t + 1)]
            done = True
        fields.append(nf.Field(f.encoding, f.nbits, f.flags, f.map, runs,
                               f.reserved))
    if done:
        out.append(("a run split in two (not maximal)",
                    nf.encode(nf.Note(note.header, fields), runs_from_map=False)))

    pad = (-len(data)) % nf.PAGE
    out.append(("rest of the page and more after the note",
                data + bytes(pad) + b"\xa5" * 100))
    return out


def check_rejected(decode, data, rule):
    try:
        nf.parse(data)
    except nf.NoteError as e:
        check(e.rule == rule, "notefmt.py rejects by %s (%s), expected %s"
              % (e.rule, e.message, rule))
    else:
        raise Failure("notefmt.py accepts it")
    rc, out, err = run_decoder(decode, data)
    check(rc != 0, "vmcsinfo-decode accepts it")
    check(out == "", "vmcsinfo-decode printed %d bytes on stdout" % len(out))
    check(err.endswith("\n") and err.count("\n") == 1 and len(err) > 1,
          "vmcsinfo-decode's stderr is not one line: %r" % err)
    crule = decoder_rule(err)
    check(crule == rule, "vmcsinfo-decode rejects by %s, expected %s: %s"
          % (crule or "an unrecognised message", rule, err.strip()))
    return "%s; decoder: %s" % (rule, err.strip().split(": ", 2)[-1])


# ---- scanning ----

def check_scan(note):
    base = 0x7F000000
    img = bytearray(16 * nf.PAGE)

    def at(paddr):
        return nf.encode(nf.Note(dict(note.header, note_paddr=paddr), note.fields))

    def place(page, blob, extra=0):
        off = page * nf.PAGE + extra
        img[off:off + len(blob)] = blob

    real = base + 3 * nf.PAGE
    place(1, at(0))                          # note_paddr 0 (a file's copy)
    place(3, at(real))                       # the note
    place(6, at(real))                       # a copy of the note elsewhere
    place(8, at(base + 8 * nf.PAGE + 64), 64)  # not at a page start
    bad = bytearray(at(base + 10 * nf.PAGE))
    bad[-1] ^= 1
    place(10, bad)                           # checksum wrong
    place(15, at(base + 15 * nf.PAGE))       # cut off by the image's end
    cut = bytes(img[:15 * nf.PAGE + 100])
    found = [p for p, _ in nf.scan(cut, base)]
    check(found == [real], "scan found %s, expected [0x%x]"
          % ([hex(p) for p in found], real))
    return "only 0x%x of 6 candidates" % real


# ---- per model ----

def test_model(res, args, model):
    name = os.path.splitext(os.path.basename(model))[0]
    p = subprocess.run([args.sim, "-q", model], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    data = p.stdout

    def sim_ok():
        # exit 3: the methods disagree, the note is still written
        check(p.returncode in (0, 3) and data, "vmcsinfo-sim exit %d: %s"
              % (p.returncode, p.stderr.decode(errors="replace").strip()))
        return "%d bytes" % len(data)
    res.case("%s: vmcsinfo-sim writes a note" % name, sim_ok)
    if p.returncode not in (0, 3) or not data:
        return

    def crc():
        d = data[nf.DESC_OFF:]
        stored = struct.unpack_from("<I", d, 12)[0]
        computed = zlib.crc32(d[:12] + b"\0\0\0\0" + d[16:])
        check(stored == computed, "stored 0x%08x, zlib 0x%08x" % (stored, computed))
        return "0x%08x" % stored
    res.case("%s: crc32 equals zlib.crc32 of the desc" % name, crc)

    state = {}

    def parse():
        try:
            state["note"] = nf.parse(data)
        except nf.NoteError as e:
            raise Failure("notefmt.py rejects the note: %s" % e)
        n = state["note"]
        check(n.size == len(data), "note is %d bytes, file %d" % (n.size, len(data)))
        return "%d fields" % len(n.fields)
    res.case("%s: notefmt.py accepts the note" % name, parse)
    note = state.get("note")
    if not note:
        return

    def roundtrip():
        again = nf.encode(note)
        if again != data:
            first = next((i for i, (a, b) in enumerate(zip(again, data)) if a != b),
                         min(len(again), len(data)))
            raise Failure("notefmt.py writes different bytes from note offset %d"
                          % first)
        return "byte for byte"
    res.case("%s: notefmt.py writes the same bytes" % name, roundtrip)

    res.case("%s: vmcsinfo-decode --json equals notefmt.py" % name,
             lambda: check_decoder_agrees(args.decode, data, note))

    def writer_rules():
        h = note.header
        check(len(data) % 4 == 0 and h["desc_size"] % 4 == 0, "size not a multiple of 4")
        check(data[21:24] == bytes(3), "name padding not 0")
        check(h["hdr_size"] == 288 and h["fields_offset"] == 288
              and h["fields_size"] == h["desc_size"] - 288, "W1 sizes")
        check(h["reserved0"] == 0 and h["reserved1"] == 0, "reserved not 0")
        check(all(f.reserved == 0 for f in note.fields), "record reserved not 0")
        check(all(h["msrs"][i] == 0 for i in range(nf.NR_MSRS)
                  if not h["msr_valid"] >> i & 1), "invalid MSR not 0")
        check(h["msr_valid"] >> nf.NR_MSRS == 0, "msr_valid bits 20-31")
        check(all(f.runs == nf.runs_of_map(f.map) for f in note.fields),
              "runs not maximal")
        if h["launch_state_offset"] == nf.NO_OFFSET:
            check(h["launch_state_size"] == 0, "launch_state_size without offset")
        else:
            check(h["launch_state_offset"] + h["launch_state_size"]
                  <= h["region_size"], "launch state outside the region")
        check(h["abort_offset"] == 4, "abort_offset %d" % h["abort_offset"])
        check(not (h["flags"] & nf.LF_CPUS_AGREE and h["flags"] & nf.LF_CPUS_DIFFER),
              "CPUS_AGREE and CPUS_DIFFER")
        return "W1-W3"
    res.case("%s: the note follows the writer rules" % name, writer_rules)

    def facts():
        m = model_facts(model)
        h = note.header
        check(h["source"] == 2 and h["note_paddr"] == 0 and h["nr_cpus"] == 1,
              "source %d, note_paddr 0x%x, nr_cpus %d"
              % (h["source"], h["note_paddr"], h["nr_cpus"]))
        check(h["revision_id"] == m["revision"], "revision 0x%x" % h["revision_id"])
        check(h["region_size"] == m["region_size"], "region_size %d" % h["region_size"])
        check(bool(h["flags"] & nf.LF_VMWRITE_ANY) == m["vmwrite_any"],
              "VMWRITE_ANY flag %d" % (h["flags"] & 1))
        got = (h["launch_state_offset"], h["launch_state_size"])
        check(got == m["launch_state"], "launch state %s, model %s"
              % (got, m["launch_state"]))
        return None
    res.case("%s: the header agrees with the model file" % name, facts)

    def counts():
        check(note.header["methods"] & nf.METHOD_READ, "the read method did not run")
        want = expected_counts(note)
        bad = ["%s %d, formula %d" % (k, note.header[k], v)
               for k, v in want.items() if note.header[k] != v]
        check(not bad, "; ".join(bad))
        return ", ".join("%s %d" % (k.split("_")[0], v) for k, v in want.items())
    res.case("%s: probe counts follow docs/probe.md" % name, counts)

    if name == EXAMPLE_MODEL:
        res.case("%s: docs/note-format.md section 11 shows this note" % name,
                 lambda: check_doc_example(data, args.docs))

    for cname, blob, rule in corruptions(data, note):
        res.case("%s: rejected: %s" % (name, cname),
                 lambda blob=blob, rule=rule: check_rejected(args.decode, blob, rule))

    for vname, blob in variants(data, note):
        def accepted(blob=blob):
            try:
                v = nf.parse(blob)
            except nf.NoteError as e:
                raise Failure("notefmt.py rejects it: %s" % e)
            return check_decoder_agrees(args.decode, blob, v)
        res.case("%s: accepted: %s" % (name, vname), accepted)

    res.case("%s: page scan finds the note only at note_paddr" % name,
             lambda: check_scan(note))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sim", required=True, help="vmcsinfo-sim binary")
    ap.add_argument("--decode", required=True, help="vmcsinfo-decode binary")
    ap.add_argument("--docs", default=DOCS, help="docs/note-format.md")
    ap.add_argument("--no-fixtures", action="store_true",
                    help="skip the models in tests/notefmt/models/")
    ap.add_argument("models", nargs="*", help="model files")
    args = ap.parse_args()
    models = list(args.models)
    if not args.no_fixtures:
        models += sorted(glob.glob(os.path.join(HERE, "models", "*.model")))
    if not models:
        ap.error("no model files")

    res = Results()

    def crc_check_value():
        v = zlib.crc32(b"123456789")
        check(v == 0xCBF43926, "0x%08x" % v)
        return "0xcbf43926"
    res.case("CRC-32 check value of section 5.1", crc_check_value)

    for m in models:
        test_model(res, args, m)
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
