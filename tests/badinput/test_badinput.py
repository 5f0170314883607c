#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""The bad-input suite of vmcsinfo-decode (tests/badinput/run.sh runs it).

Malformed files are made in a temporary directory from the fixture
builders (tests/fixtures/machine.py, mkvmcs, the simulator's notes,
makedumpfile) and given to `layout`, `page` and `scan`.  What each must do:

- error: exit status 1, nothing on standard output (text and --json),
  one line on standard error, "vmcsinfo-decode: FILE: what is wrong",
  naming the file at fault and containing the expected words;
- partial (scan of a damaged dump that still has readable memory): exit
  status 3, standard output valid JSON with dump.incomplete true and a
  warning saying what was lost, every standard-error line a
  "vmcsinfo-decode: warning: FILE: ..." line;
- accepted (input that looks odd but is valid, such as overlapping
  PT_LOADs, or a region of random bytes behind a known revision): exit
  status 0 and output that says exactly what it is;

and never a sanitizer report, a signal, or more than TIMEOUT seconds.

One line per case, then "N passed, N failed"; exit status 1 on failure.
"""
import argparse
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))
import machine  # noqa: E402
from caserun import Fail, run_cases  # noqa: E402

PROG = "vmcsinfo-decode"
TIMEOUT = 60
PAGE = 4096
SKYLAKE = "bochs-2.7-corei7_skylake_x"
VMCS_PA, NOTE_PA = 0x180000, 0x181000
SANITIZER_WORDS = ("Sanitizer", "runtime error:", "==ERROR", "SUMMARY: ")
# struct disk_dump_header and kdump_sub_header (makedumpfile), x86_64
KDUMP_BLOCK_SIZE, KDUMP_SUB_BLOCKS, KDUMP_BITMAP_BLOCKS, KDUMP_MAX_MAPNR = 428, 432, 436, 440
KSH_OFFSET_NOTE, KSH_SIZE_NOTE, KSH_MAX_MAPNR_64 = 48, 56, 96
# struct vmcsinfo_note_hdr (include/vmcsinfo/note.h), from the desc
HDR_NFIELDS, HDR_FIELDS_OFFSET = 272, 276
# ELF64 header and program header fields
E_PHOFF, E_PHNUM = 32, 56
PH_OFF, PH_SIZE = 64, 56
P_TYPE, P_OFFSET, P_VADDR, P_PADDR, P_FILESZ, P_MEMSZ = 0, 8, 16, 24, 32, 40




def check(cond, msg):
    if not cond:
        raise Fail(msg)


def bits(*ns):
    return sum(1 << n for n in ns)


def vcpu(host_cr3, eptp):
    """A sound 64-bit vCPU, as tests/decode plants them."""
    return {
        "PIN_BASED_VM_EXEC_CONTROL": 0x3f,
        "CPU_BASED_VM_EXEC_CONTROL": 0x0401e172 | bits(7, 21, 25, 28, 31),
        "SECONDARY_VM_EXEC_CONTROL": bits(1, 3, 5, 7),
        "VM_EXIT_CONTROLS": 0x00036dff | bits(9, 15, 20, 21),
        "VM_ENTRY_CONTROLS": 0x000011ff | bits(9, 15),
        "VIRTUAL_PROCESSOR_ID": 1, "EPT_POINTER": eptp,
        "VMCS_LINK_POINTER": 0xffffffffffffffff,
        "HOST_CR0": 0x80050033, "HOST_CR3": host_cr3, "HOST_CR4": 0x3526f0,
        "HOST_RIP": 0xffffffffc0a12345, "GUEST_CR0": 0x80050033,
        "GUEST_CR3": 0x3fe0000, "GUEST_CR4": 0x3506f0,
        "GUEST_RIP": 0xffffffff81001234, "VM_EXIT_REASON": 12,
    }


def put(data, off, fmt, *v):
    b = bytearray(data)
    struct.pack_into(fmt, b, off, *v)
    return bytes(b)


def fix_crc(note):
    """Recompute the CRC of a VMCSINFO note (desc at 24, crc at desc + 12)."""
    b = bytearray(note)
    descsz = struct.unpack_from("<I", b, 4)[0]
    struct.pack_into("<I", b, 24 + 12, 0)
    struct.pack_into("<I", b, 24 + 12, zlib.crc32(bytes(b[24:24 + descsz])))
    return bytes(b)


class Env:
    def __init__(self, build, work, verbose):
        self.work = work
        self.verbose = verbose
        self.decode = os.path.join(build, PROG)
        self.sim = os.path.join(build, "vmcsinfo-sim")
        self.mkvmcs = os.path.join(build, "tests", "badinput", "mkvmcs")
        self.env = dict(os.environ, VMCSINFO_DB=os.path.join(work, "no-db"),
                        HOME=os.path.join(work, "home"))
        self.note_path = self.path("skylake.note")
        subprocess.run([self.sim, "-q", "-o", self.note_path,
                        os.path.join(ROOT, "models", SKYLAKE + ".model")], check=True)
        with open(self.note_path, "rb") as f:
            self.note = f.read()
        self.region = self.make_region(vcpu(machine.PML4_PA, (VMCS_PA + PAGE) | 0x5e))
        m = machine.Machine(2 << 20)
        m.write(VMCS_PA, self.region)
        m.write(NOTE_PA, machine.vmcsinfo_note_at(self.note, NOTE_PA))
        self.machine = m
        self.elf_path = self.path("good.elf")
        m.write_elf(self.elf_path, [(0, 2 << 20)])
        with open(self.elf_path, "rb") as f:
            self.elf = f.read()
        self.kdump = None
        self.kdump_path = self.path("good.kdump")
        if shutil.which("makedumpfile"):
            p = subprocess.run(["makedumpfile", "-c", self.elf_path, self.kdump_path],
                               capture_output=True)
            if p.returncode == 0:
                with open(self.kdump_path, "rb") as f:
                    self.kdump = f.read()

    def path(self, name):
        return os.path.join(self.work, name)

    def write(self, name, data):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def make_region(self, values, *opts):
        out = self.path("region-%d.bin" % random.getrandbits(32))
        args = ["%s=%#x" % kv for kv in values.items()]
        subprocess.run([self.mkvmcs] + list(opts) +
                       [os.path.join(ROOT, "models", SKYLAKE + ".model"), out] + args,
                       check=True)
        with open(out, "rb") as f:
            return f.read()

    def need_kdump(self):
        if self.kdump is None:
            raise Fail("makedumpfile is missing or failed: no kdump file to damage")
        return self.kdump

    def run(self, args):
        try:
            p = subprocess.run([self.decode] + args, capture_output=True, text=True,
                               errors="replace", env=self.env, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Fail("%s %s: still running after %d s" % (PROG, " ".join(args), TIMEOUT))
        if self.verbose:
            print("    $ %s %s -> %d\n    %s" % (PROG, " ".join(args), p.returncode,
                                               p.stderr.strip().replace("\n", "\n    ")))
        check(p.returncode >= 0, "%s: killed by signal %d" % (" ".join(args), -p.returncode))
        for w in SANITIZER_WORDS:
            check(w not in p.stderr, "%s: sanitizer report: %s"
                  % (" ".join(args), p.stderr.strip()[-600:]))
        return p


# ---- what a case expects ---------------------------------------------------
def expect_error(e, cmd, path, words, names=None, extra=()):
    """Exit 1, empty stdout, one stderr line naming the file."""
    names = names or path
    for json_opt in ([], ["--json"]):
        args = [cmd] + json_opt + list(extra) + [path]
        if cmd == "scan":
            args.insert(1, "--no-progress")
        p = e.run(args)
        err = p.stderr
        check(p.returncode == 1, "%s: exit %d, expected 1; stderr %r"
              % (" ".join(args), p.returncode, err[:300]))
        check(p.stdout == "", "%s: output on stdout: %r" % (" ".join(args), p.stdout[:200]))
        check(err.count("\n") == 1 and err.endswith("\n"),
              "%s: %d lines on stderr: %r" % (" ".join(args), err.count("\n"), err[:400]))
        check(err.startswith("%s: %s: " % (PROG, names)),
              "%s: the error does not name %s: %r" % (" ".join(args), names, err))
        for w in ([words] if isinstance(words, str) else words):
            check(w in err, "%s: %r lacks %r" % (" ".join(args), err.strip(), w))
    return err.strip()[len(PROG) + 2:]


def scan_json(e, path, *opts):
    p = e.run(["scan", "--json", "--explain", "--no-progress"] + list(opts) + [path])
    try:
        res = json.loads(p.stdout) if p.stdout else None
    except ValueError as x:
        raise Fail("scan --json %s: stdout is not JSON (%s): %r" % (path, x, p.stdout[:200]))
    return res, p


def expect_partial(e, path, words, *opts):
    """Exit 3; valid JSON that says the dump is incomplete and why."""
    res, p = scan_json(e, path, *opts)
    check(p.returncode == 3, "scan %s: exit %d, expected 3; stderr %r"
          % (path, p.returncode, p.stderr[:300]))
    check(res is not None, "scan %s: no JSON on stdout" % path)
    d = res["dump"]
    check(d["incomplete"] is True, "scan %s: dump.incomplete is %r" % (path, d["incomplete"]))
    check(d["warnings"], "scan %s: incomplete but no warning in the JSON" % path)
    lines = p.stderr.splitlines()
    check(lines, "scan %s: no warning on stderr" % path)
    for line in lines:
        check(line.startswith("%s: warning: %s: " % (PROG, path)),
              "scan %s: stderr line %r is not a warning naming the file" % (path, line))
    text = " ".join(d["warnings"]) + p.stderr
    for w in ([words] if isinstance(words, str) else words):
        check(w in text, "scan %s: the warnings lack %r: %r" % (path, w, d["warnings"]))
    t = e.run(["scan", "--no-progress", path])
    check(t.returncode == 3 and t.stdout, "scan %s (text): exit %d" % (path, t.returncode))
    return "%s; lost %d, missing %d pages" % (d["warnings"][0][:70], d["pages_lost"],
                                               d["pages_missing"])


# ---- the files ---------------------------------------------------------------
def elf_ph(e, i, field, fmt, value, data=None):
    return put(data if data is not None else e.elf, PH_OFF + PH_SIZE * i + field, fmt, value)


def cases(e):
    """(name, function) pairs; a function returns a note or raises Fail."""
    rnd = random.Random(7)
    note, elf = e.note, e.elf
    nonexistent = e.path("no-such-file")
    out = []

    def add(name):
        def deco(fn):
            out.append((name, fn))
            return fn
        return deco

    # -- files that are no files -------------------------------------------
    for cmd in ("layout", "page", "scan"):
        words = {"layout": "0 bytes is too short", "page": "0 bytes, no VMCS region",
                 "scan": "empty file"}[cmd]
        out.append(("%s: zero-length file" % cmd,
                    lambda cmd=cmd, words=words: expect_error(e, cmd, e.write("empty", b""), words)))
        out.append(("%s: nonexistent file" % cmd,
                    lambda cmd=cmd: expect_error(e, cmd, nonexistent, "No such file or directory")))
        out.append(("%s: a directory" % cmd,
                    lambda cmd=cmd: expect_error(e, cmd, e.work, ["s a directory"])))
        out.append(("%s: /dev/null" % cmd,
                    lambda cmd=cmd, words=words: expect_error(e, cmd, "/dev/null", words)))

    # -- notes (layout) ----------------------------------------------------------
    add("layout: truncated note")(lambda: expect_error(
        e, "layout", e.write("half.note", note[:len(note) // 2]), "note is truncated"))
    add("layout: wrong magic")(lambda: expect_error(
        e, "layout", e.write("magic.note", fix_crc(put(note, 24, "<I", 0x5343564e))),
        "bad magic 0x5343564e"))
    add("layout: wrong note name")(lambda: expect_error(
        e, "layout", e.write("name.note", note[:12] + b"VMCSINFX" + note[20:]),
        "not a VMCSINFO note"))
    add("layout: desc size 0xffffffff (overflows)")(lambda: expect_error(
        e, "layout", e.write("descsz.note", put(note, 4, "<I", 0xffffffff)),
        "its header says 4294967295 desc bytes"))
    add("layout: field area offset + size overflow")(lambda: expect_error(
        e, "layout", e.write("foff.note", fix_crc(put(note, 24 + HDR_FIELDS_OFFSET, "<II", 0xffffff00, 0x200))),
        "lie outside the"))
    add("layout: field count 0xffffffff")(lambda: expect_error(
        e, "layout", e.write("nfields.note", fix_crc(put(note, 24 + HDR_NFIELDS, "<I", 0xffffffff))),
        "field count 4294967295 does not fit"))
    add("layout: checksum mismatch")(lambda: expect_error(
        e, "layout", e.write("crc.note", note[:-1] + bytes([note[-1] ^ 1])),
        "checksum mismatch"))
    add("layout: random bytes")(lambda: expect_error(
        e, "layout", e.write("random.bin", bytes(rnd.randrange(256) for _ in range(3000))),
        "not a VMCSINFO note"))
    add("layout: an ELF dump")(lambda: expect_error(
        e, "layout", e.elf_path, "not a VMCSINFO note"))
    add("layout: a kdump file")(lambda: (e.need_kdump(), expect_error(
        e, "layout", e.kdump_path, "not a VMCSINFO note"))[1])

    # -- regions (page) --------------------------------------------------------
    def random_page(rev=None):
        b = bytearray(rnd.randrange(256) for _ in range(PAGE))
        if rev is not None:
            struct.pack_into("<I", b, 0, rev)
        elif struct.unpack_from("<I", b, 0)[0] & 0x7fffffff in (0x2b, 0x11e57ed0):
            b[0] ^= 0x40
        return bytes(b)

    add("page: random bytes")(lambda: expect_error(
        e, "page", e.write("random.page", random_page()), "is in no layout database entry"))
    add("page: random bytes with --layout")(lambda: expect_error(
        e, "page", e.write("random.page", random_page()), "differs from the layout's 0x2b",
        extra=["--layout", e.note_path]))
    add("page: truncated region with --layout")(lambda: expect_error(
        e, "page", e.write("short.page", e.region[:100]), "shorter than the layout's",
        extra=["--layout", e.note_path]))
    add("page: truncated region")(lambda: expect_error(
        e, "page", e.write("short.page", e.region[:100]), "shorter than the layout's"))
    add("page: --offset past the end")(lambda: expect_error(
        e, "page", e.write("r.page", e.region), "no VMCS region at offset 0x2000",
        extra=["--offset", "0x2000"]))
    add("page: a note file")(lambda: expect_error(
        e, "page", e.note_path, "revision 0x9 is in no layout database entry"))
    add("page: --layout names a broken note")(lambda: expect_error(
        e, "page", e.write("r.page", e.region), "note is truncated",
        names=e.write("broken.note", note[:100]), extra=["--layout", e.path("broken.note")]))

    @add("page: random bytes behind a known revision (accepted, judged)")
    def _():
        path = e.write("random-2b.page", random_page(0x2b))
        p = e.run(["page", "--json", path])
        check(p.returncode == 0, "exit %d: %r" % (p.returncode, p.stderr))
        got = json.loads(p.stdout)
        failed = sorted(k for k, v in got["checks"].items() if v == "fail")
        check(got["is_vmcs"] is False and "link_pointer" in failed,
              "random page judged is_vmcs=%r, failed %r" % (got["is_vmcs"], failed))
        t = e.run(["page", path])
        check("FAILED" in t.stdout, "text output does not show the failed checks")
        return "is_vmcs false; failed: %s" % ", ".join(failed)

    # -- dumps (scan) ------------------------------------------------------------
    add("scan: a note file")(lambda: expect_error(
        e, "scan", e.note_path, "a VMCSINFO note, not a dump"))
    add("scan: 100 bytes (less than a page)")(lambda: expect_error(
        e, "scan", e.write("tiny.raw", b"x" * 100), "less than one page"))
    add("scan: raw image with a partial last page")(lambda: expect_partial(
        e, e.write("partial.raw", e.machine.read(0, 3 * PAGE + 100)),
        "not a whole number of pages"))
    add("scan: truncated ELF header")(lambda: expect_error(
        e, "scan", e.write("hdr.elf", elf[:40]), "not a readable ELF file"))
    add("scan: ELF of another class (e_ident)")(lambda: expect_error(
        e, "scan", e.write("class.elf", put(elf, 4, "B", 7)), "not a readable ELF file"))
    add("scan: ELF executable, not a core")(lambda: expect_error(
        e, "scan", e.write("exec.elf", put(elf, 16, "<H", 2)), "not a core dump"))
    add("scan: ELF program headers past the end")(lambda: expect_error(
        e, "scan", e.write("phoff.elf", put(elf, E_PHOFF, "<Q", len(elf) + PAGE)),
        "program header"))
    add("scan: ELF e_phnum 65535 (PN_XNUM, no section 0)")(lambda: expect_error(
        e, "scan", e.write("xnum.elf", put(elf, E_PHNUM, "<H", 65535)), "program header"))
    add("scan: ELF e_phnum 65534, file too short")(lambda: expect_error(
        e, "scan", e.write("phnum.elf", put(elf, E_PHNUM, "<H", 65534)), "program header"))
    add("scan: ELF without PT_LOAD")(lambda: expect_error(
        e, "scan", e.write("noload.elf", elf_ph(e, 1, P_TYPE, "<I", 6)),
        "without physical memory"))
    add("scan: PT_LOAD data past the end of the file")(lambda: expect_partial(
        e, e.write("loadoff.elf", elf_ph(e, 1, P_OFFSET, "<Q", len(elf) + PAGE)),
        "the file holds 0 of its"))
    add("scan: PT_LOAD of 2^60 bytes (truncated)")(lambda: expect_partial(
        e, e.write("loadhuge.elf", elf_ph(e, 1, P_FILESZ, "<Q", 1 << 60)),
        "is truncated"))
    add("scan: PT_LOAD whose address + size overflows")(lambda: expect_error(
        e, "scan", e.write("loadwrap.elf", elf_ph(e, 1, P_PADDR, "<Q", 0xfffffffffff00000)),
        "no physical memory"))
    add("scan: ELF truncated in the middle of memory")(lambda: expect_partial(
        e, e.write("cut.elf", elf[:len(elf) // 2]), "is truncated"))

    @add("scan: overlapping PT_LOADs (accepted, counted once)")
    def _():
        # Two PT_LOADs over the same 2 MiB (the second's data is another
        # copy), and one that overlaps the first's last MiB.
        path = e.path("overlap.elf")
        e.machine.write_elf(path, [(0, 2 << 20), (0, 2 << 20), (1 << 20, 1 << 20)])
        res, p = scan_json(e, path)
        check(p.returncode == 0, "exit %d: %r" % (p.returncode, p.stderr))
        d = res["dump"]
        check(d["present_bytes"] == 2 << 20 and d["pages_scanned"] == 512,
              "present %r, %r pages scanned: overlaps counted twice" %
              (d["present_bytes"], d["pages_scanned"]))
        found = [v["paddr"] for v in res["vmcs"]]
        check(found == [VMCS_PA], "VMCS found %r" % found)
        return "512 pages, 1 VMCS"

    def note_segment(data, offset, size):
        return elf_ph(e, 0, P_FILESZ, "<Q", size, elf_ph(e, 0, P_OFFSET, "<Q", offset, data))

    add("scan: note sizes that overflow (PT_NOTE)")(lambda: expect_partial(
        e, e.write("nhdr.elf", put(elf, struct.unpack_from("<Q", elf, PH_OFF + P_OFFSET)[0],
                                   "<II", 0xfffffffd, 0xfffffff0)),
        "runs past the end of the"))
    add("scan: PT_NOTE of 2^40 bytes")(lambda: expect_partial(
        e, e.write("notehuge.elf", elf_ph(e, 0, P_FILESZ, "<Q", 1 << 40)),
        "its notes are ignored"))
    add("scan: PT_NOTE past the end of the file")(lambda: expect_partial(
        e, e.write("noteoff.elf", elf_ph(e, 0, P_OFFSET, "<Q", len(elf) + PAGE)),
        "cannot be read"))

    # -- kdump-compressed --------------------------------------------------------
    def kd():
        return e.need_kdump()

    add("scan: flattened makedumpfile stream")(lambda: expect_error(
        e, "scan", e.write("flat", b"makedumpfile\0\0\0\0" + bytes(PAGE)), "makedumpfile -R"))
    add("scan: kdump signature, nothing else")(lambda: expect_error(
        e, "scan", e.write("sig.kdump", b"KDUMP   " + bytes(PAGE)), "block size 0 is not 4096"))
    add("scan: kdump truncated inside its header")(lambda: expect_error(
        e, "scan", e.write("hdr.kdump", kd()[:300]), "kdump header is truncated"))
    add("scan: kdump truncated inside its bitmap")(lambda: expect_error(
        e, "scan", e.write("bitmap.kdump", kd()[:2 * PAGE + 64]), "bitmap"))
    add("scan: kdump truncated in its page data")(lambda: expect_partial(
        e, e.write("cut.kdump", kd()[:len(kd()) * 3 // 4]), "could not be read"))
    add("scan: kdump header lies about the block size (1234)")(lambda: expect_error(
        e, "scan", e.write("bs.kdump", put(kd(), KDUMP_BLOCK_SIZE, "<I", 1234)),
        "block size 1234 is not 4096"))
    add("scan: kdump header lies about the block size (8192)")(lambda: expect_error(
        e, "scan", e.write("bs8k.kdump", put(kd(), KDUMP_BLOCK_SIZE, "<I", 8192)),
        "block size 8192 is not 4096"))
    # A 4096 where a 32-bit header has its block size (the low half of
    # the 64-bit timestamp's microseconds): libkdumpfile would take it so.
    add("scan: kdump header that also reads as a 32-bit one")(lambda: expect_error(
        e, "scan", e.write("ambiguous.kdump", put(put(kd(), 416, "<I", 4096), 424, "<I", 1)),
        "also reads as a 32-bit one"))
    add("scan: kdump max_mapnr 0xffffffff")(lambda: expect_error(
        e, "scan", e.write("mapnr.kdump", put(kd(), KDUMP_MAX_MAPNR, "<I", 0xffffffff)),
        "max_mapnr 4294967295 needs a larger bitmap"))
    add("scan: kdump max_mapnr_64 2^60")(lambda: expect_error(
        e, "scan", e.write("mapnr64.kdump", put(kd(), PAGE + KSH_MAX_MAPNR_64, "<Q", 1 << 60)),
        "max_mapnr_64 1152921504606846976 needs a larger bitmap"))
    add("scan: kdump bitmap_blocks 0x7fffffff")(lambda: expect_error(
        e, "scan", e.write("bmblocks.kdump", put(kd(), KDUMP_BITMAP_BLOCKS, "<I", 0x7fffffff)),
        "bitmap (2147483647 blocks"))
    add("scan: kdump note area outside the file")(lambda: expect_error(
        e, "scan", e.write("noteoff.kdump", put(kd(), PAGE + KSH_OFFSET_NOTE, "<QQ", 1 << 40, 1 << 20)),
        "note area at offset 0x10000000000, 1048576 bytes, lies outside"))
    add("scan: kdump note area of 2^62 bytes")(lambda: expect_error(
        e, "scan", e.write("notesize.kdump", put(kd(), PAGE + KSH_SIZE_NOTE, "<Q", 1 << 62)),
        "lies outside"))

    def vmcoreinfo_edit(old, new):
        data = kd()
        check(old in data, "no %r in the kdump file" % old)
        return data.replace(old, new)

    add("scan: kdump VMCOREINFO key starting with '.'")(lambda: expect_error(
        e, "scan", e.write("dotkey.kdump", vmcoreinfo_edit(b"\nPAGESIZE=", b"\n.AGESIZE=")),
        "has a key that starts with '.'"))
    add("scan: kdump VMCOREINFO PAGESIZE=0000")(lambda: expect_error(
        e, "scan", e.write("pagesize.kdump", vmcoreinfo_edit(b"PAGESIZE=4096", b"PAGESIZE=0000")),
        "PAGESIZE=0000; only 4096-byte pages"))
    add("scan: LKCD signature, page size 0")(lambda: expect_error(
        e, "scan", e.write("lkcd", bytes([0xed, 0x23, 0x8f, 0x61, 0x73, 0x01, 0x19, 0xa8])
                           + bytes(2 * PAGE)), "LKCD dump header: page size 0"))

    @add("scan: kdump page descriptors corrupt")
    def _():
        data = kd()
        sub = struct.unpack_from("<I", data, KDUMP_SUB_BLOCKS)[0]
        bm = struct.unpack_from("<I", data, KDUMP_BITMAP_BLOCKS)[0]
        desc = (1 + sub + bm) * PAGE
        b = bytearray(data)
        for i in range(0, 64):               # sizes of the first 64 pages
            struct.pack_into("<I", b, desc + 24 * i + 8, 0x10000 + i)
        return expect_partial(e, e.write("desc.kdump", bytes(b)), "could not be read")

    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("-k", help="run only cases whose name contains this")
    ap.add_argument("-v", action="store_true", help="show each command and its stderr")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vmcsinfo-badinput-") as work:
        return run_cases(cases(Env(a.build, work, a.v)), a.k)


if __name__ == "__main__":
    sys.exit(main())
