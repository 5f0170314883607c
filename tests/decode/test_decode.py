#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Tests of vmcsinfo-decode page, scan and db (tests/decode/run.sh runs them).

VMCS regions come from the simulated CPUs (tests/fixtures/mkvmcs: VMWRITE
of planted values, VMCLEAR); layouts are the notes vmcsinfo-sim writes.
Dumps of a small synthetic machine (tests/fixtures/machine.py) are written
as raw images and ELF vmcores, and turned into kdump-compressed and
flattened files by makedumpfile when it is installed.  The tests check
that decoded values equal the planted ones, that non-VMCS pages are
rejected with the right failed checks, and that bad input gives a
one-line error and the right exit status.

One line per case, then "N passed, N failed"; exit status 1 on failure.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))
import machine  # noqa: E402
from caserun import Fail, run_cases  # noqa: E402

MODELS = ["bochs-2.7-corei7_skylake_x", "bochs-2.7-corei7_haswell_4770",
          "bochs-2.7-corei7_sandy_bridge_2600k", "kvm-vmcs12", "realcpu-packed"]
SKYLAKE = "bochs-2.7-corei7_skylake_x"
VMCS12_REV = 0x11e57ed0




def check(cond, msg):
    if not cond:
        raise Fail(msg)


def bits(*ns):
    v = 0
    for n in ns:
        v |= 1 << n
    return v


# ---- planted values -------------------------------------------------------
PRIMARY = 0x0401e172 | bits(7, 21, 25, 28, 31)
SECONDARY = bits(1, 3, 5, 7)                     # EPT, RDTSCP, VPID, unrestricted
EXIT_CTLS = 0x00036dff | bits(9, 15, 20, 21)
ENTRY_CTLS = 0x000011ff | bits(9, 15)
HOST = {
    "HOST_CR0": 0x80050033, "HOST_CR3": machine.PML4_PA, "HOST_CR4": 0x3526f0,
    "HOST_CS_SELECTOR": 0x10, "HOST_SS_SELECTOR": 0x18, "HOST_TR_SELECTOR": 0x40,
    "HOST_FS_BASE": 0x7f1234561000, "HOST_GS_BASE": 0xffff88807fc00000,
    "HOST_TR_BASE": 0xfffffe0000003000, "HOST_GDTR_BASE": 0xfffffe0000001000,
    "HOST_IDTR_BASE": 0xfffffe0000000000, "HOST_RSP": 0xffffc90000ab3e40,
    "HOST_RIP": 0xffffffffc0a12345, "HOST_IA32_EFER": 0xd01,
    "HOST_IA32_PAT": 0x0407050600070106, "HOST_IA32_SYSENTER_CS": 0x10,
}
CONTROLS = {
    "PIN_BASED_VM_EXEC_CONTROL": 0x3f, "CPU_BASED_VM_EXEC_CONTROL": PRIMARY,
    "SECONDARY_VM_EXEC_CONTROL": SECONDARY, "VM_EXIT_CONTROLS": EXIT_CTLS,
    "VM_ENTRY_CONTROLS": ENTRY_CTLS, "EXCEPTION_BITMAP": 0x60042,
    "TSC_OFFSET": 0xfffffffc12345678, "CR0_GUEST_HOST_MASK": 0xfffffffffffffff7,
    "CR4_READ_SHADOW": 0x20, "IO_BITMAP_A": 0x2a1000, "MSR_BITMAP": 0x2a3000,
    "VIRTUAL_APIC_PAGE_ADDR": 0x2a4000, "TPR_THRESHOLD": 2,
}
GUEST = {
    "VMCS_LINK_POINTER": 0xffffffffffffffff,
    "GUEST_CR0": 0x80050033, "GUEST_CR3": 0x3fe0000, "GUEST_CR4": 0x3506f0,
    "GUEST_RIP": 0xffffffff81001234, "GUEST_RSP": 0xffffc90000123f58,
    "GUEST_RFLAGS": 0x246, "GUEST_CS_SELECTOR": 0x10, "GUEST_CS_AR_BYTES": 0xa09b,
    "GUEST_SS_SELECTOR": 0x18, "GUEST_SS_AR_BYTES": 0xc093,
    "GUEST_DS_AR_BYTES": 0xc093, "GUEST_ES_AR_BYTES": 0xc093,
    "GUEST_FS_AR_BYTES": 0x10000, "GUEST_GS_AR_BYTES": 0xc093,
    "GUEST_LDTR_AR_BYTES": 0x10000, "GUEST_TR_AR_BYTES": 0x8b,
    "GUEST_TR_SELECTOR": 0x40, "GUEST_GDTR_LIMIT": 0x7f, "GUEST_IDTR_LIMIT": 0xfff,
    "GUEST_GDTR_BASE": 0xfffffe0000001000, "GUEST_CS_LIMIT": 0xffffffff,
    "GUEST_IA32_EFER": 0xd01, "GUEST_IA32_PAT": 0x0007040600070406,
    "GUEST_ACTIVITY_STATE": 1, "GUEST_INTERRUPTIBILITY_INFO": 1,
    "GUEST_SYSENTER_CS": 0x10, "GUEST_DR7": 0x400,
}
EXIT_INFO = {
    "VM_EXIT_REASON": 12, "VM_EXIT_INSTRUCTION_LEN": 1,
    "VM_EXIT_INTR_INFO": 0x80000b0e, "VM_EXIT_INTR_ERROR_CODE": 2,
    "IDT_VECTORING_INFO_FIELD": 0x80000020, "GUEST_PHYSICAL_ADDRESS": 0xfee00000,
    "EXIT_QUALIFICATION": 0x1f, "GUEST_LINEAR_ADDRESS": 0x7ffc0000,
}


def vcpu_values(vpid, eptp, rip_delta=0, **extra):
    v = dict(HOST)
    v.update(CONTROLS)
    v.update(GUEST)
    v.update(EXIT_INFO)
    v["VIRTUAL_PROCESSOR_ID"] = vpid
    v["EPT_POINTER"] = eptp
    v["GUEST_RIP"] += rip_delta
    v.update(extra)
    return v


class Env:
    def __init__(self, build, work):
        self.build = build
        self.work = work
        self.decode = os.path.join(build, "vmcsinfo-decode")
        self.sim = os.path.join(build, "vmcsinfo-sim")
        self.mkvmcs = os.path.join(build, "tests", "decode", "mkvmcs")
        self.env = dict(os.environ, VMCSINFO_DB=os.path.join(work, "db"),
                        HOME=os.path.join(work, "home"))
        self.notes, self.layouts = {}, {}
        for m in MODELS:
            path = os.path.join(work, m + ".note")
            subprocess.run([self.sim, "-q", "-o", path,
                            os.path.join(ROOT, "models", m + ".model")], check=True)
            self.notes[m] = path
            self.layouts[m] = json.loads(self.run(["layout", "--json", path]).stdout)

    def path(self, name):
        return os.path.join(self.work, name)

    def run(self, args, rc=0, env=None):
        p = subprocess.run([self.decode] + args, capture_output=True, text=True,
                           env=env or self.env)
        if rc is not None and p.returncode != rc:
            raise Fail("vmcsinfo-decode %s: exit %d, expected %d; stderr: %s"
                       % (" ".join(args), p.returncode, rc, p.stderr.strip()[:300]))
        return p

    def fields_of(self, model):
        return {f["name"]: f for f in self.layouts[model]["fields"] if f["name"]}

    def expected(self, model, values):
        """What VMREAD returns after VMWRITE of values: the map decides."""
        fields = self.fields_of(model)
        out = {}
        for name, v in values.items():
            f = fields[name]
            stored = sum(1 << i for i, m in enumerate(f["map"]) if m >= 0)
            ones = sum(1 << i for i, m in enumerate(f["map"]) if m == -2)
            out[name] = (v & stored) | ones
        return out

    def region(self, model, name, values, *opts):
        fields = self.fields_of(model)
        args = ["%s=%#x" % (k, v) for k, v in values.items() if k in fields]
        path = self.path(name)
        subprocess.run([self.mkvmcs] + list(opts) +
                       [os.path.join(ROOT, "models", model + ".model"), path] + args,
                       check=True)
        return path, {k: v for k, v in values.items() if k in fields}


# ---- page -----------------------------------------------------------------
def test_page_roundtrip(e, model):
    values = vcpu_values(5, 0x25005e)
    path, planted = e.region(model, "page-%s.bin" % model, values)
    got = json.loads(e.run(["page", "--json", "--layout", e.notes[model], path]).stdout)
    want = e.expected(model, planted)
    check(len(planted) >= 40, "only %d planted fields" % len(planted))
    for name, v in want.items():
        check(got["fields"].get(name) == v, "%s: decoded %r, planted %#x"
              % (name, got["fields"].get(name), v))
    for name, v in got["fields"].items():
        if name not in want and not name.endswith("_HIGH"):
            check(v == 0, "%s: %#x, nothing planted" % (name, v))
    rev = e.layouts[model]["revision_id"]
    check(got["revision_id"] == rev, "revision_id %r" % got["revision_id"])
    check(got["launch_state"] in (0, None), "launch state %r" % got["launch_state"])


def test_page_decoded(e):
    path, _ = e.region(SKYLAKE, "page-decoded.bin", vcpu_values(5, 0x25005e),
                       "--launched")
    got = json.loads(e.run(["page", "--json", "--layout", e.notes[SKYLAKE], path]).stdout)
    d = got["decoded"]
    check(d["VM_EXIT_REASON"]["name"] == "HLT" and d["VM_EXIT_REASON"]["basic"] == 12
          and not d["VM_EXIT_REASON"]["entry_failure"], "exit reason %r" % d["VM_EXIT_REASON"])
    ii = d["VM_EXIT_INTR_INFO"]
    check(ii == {"valid": True, "vector": 14, "type": 3, "type_name": "hardware exception",
                 "error_code_valid": True, "nmi_unblocking": False}, "intr info %r" % ii)
    idt = d["IDT_VECTORING_INFO_FIELD"]
    check(idt["valid"] and idt["vector"] == 0x20 and idt["type"] == 0, "idt %r" % idt)
    cs = d["GUEST_CS_AR_BYTES"]
    check((cs["type"], cs["s"], cs["dpl"], cs["p"], cs["l"], cs["db"], cs["g"], cs["unusable"])
          == (11, 1, 0, 1, 1, 0, 1, False), "CS AR %r" % cs)
    check(d["GUEST_LDTR_AR_BYTES"]["unusable"], "LDTR AR not unusable")
    check(d["GUEST_ACTIVITY_STATE"]["name"] == "HLT", "activity %r" % d["GUEST_ACTIVITY_STATE"])
    check(d["GUEST_INTERRUPTIBILITY_INFO"]["flags"] == ["BLOCKING_BY_STI"], "interruptibility")
    check(d["PIN_BASED_VM_EXEC_CONTROL"]["flags"] ==
          ["EXTERNAL_INTERRUPT_EXITING", "NMI_EXITING", "VIRTUAL_NMIS"], "pin-based flags")
    check(d["PIN_BASED_VM_EXEC_CONTROL"]["other_bits"] == [], "pin-based default1 bits shown")
    check(set(d["CPU_BASED_VM_EXEC_CONTROL"]["flags"]) ==
          {"HLT_EXITING", "USE_TPR_SHADOW", "USE_IO_BITMAPS", "USE_MSR_BITMAPS",
           "ACTIVATE_SECONDARY_CONTROLS", "CR3_LOAD_EXITING", "CR3_STORE_EXITING"},
          "primary flags %r" % d["CPU_BASED_VM_EXEC_CONTROL"])
    check(d["SECONDARY_VM_EXEC_CONTROL"]["flags"] ==
          ["ENABLE_EPT", "ENABLE_RDTSCP", "ENABLE_VPID", "UNRESTRICTED_GUEST"], "secondary")
    check("IA32E_MODE_GUEST" in d["VM_ENTRY_CONTROLS"]["flags"], "entry controls")
    check("HOST_ADDRESS_SPACE_SIZE" in d["VM_EXIT_CONTROLS"]["flags"], "exit controls")
    ept = d["EPT_POINTER"]
    check((ept["memory_type"], ept["walk_length"], ept["accessed_dirty"], ept["address"])
          == (6, 4, True, 0x250000), "EPTP %r" % ept)
    check("VMXE" in d["HOST_CR4"]["flags"] and "LMA" in d["GUEST_IA32_EFER"]["flags"], "CR4/EFER")
    check(got["launch_state"] == 1, "launch state %r" % got["launch_state"])
    check(got["checks"]["link_pointer"] == "pass" and got["checks"]["host_mapping"] == "skipped",
          "checks %r" % got["checks"])
    text = e.run(["page", "--layout", e.notes[SKYLAKE], path]).stdout
    order = [text.find(t) for t in ("Control fields", "Guest-state fields",
                                    "Host-state fields", "VM-exit information fields")]
    check(all(o >= 0 for o in order) and order == sorted(order), "group order %r" % order)
    for s in ("launched", "vector 14 (#PF), hardware exception, error code valid",
              "type 0xb (code, execute/read, accessed) S=1 DPL=0 P=1 AVL=0 L=1 D/B=0 G=1",
              "HLT_EXITING", "WB, 4-level walk, A/D flags, root at 0x250000"):
        check(s in text, "text output lacks %r" % s)


def test_page_errors(e):
    good, _ = e.region(SKYLAKE, "page-err.bin", vcpu_values(1, 0x25005e))
    short = e.path("short.bin")
    with open(good, "rb") as f, open(short, "wb") as g:
        g.write(f.read(100))
    p = e.run(["page", "--layout", e.notes[SKYLAKE], short], rc=1)
    check(p.stderr.startswith("vmcsinfo-decode: %s: " % short) and "shorter" in p.stderr
          and p.stderr.count("\n") == 1, "short file: %r" % p.stderr)
    p = e.run(["page", "--layout", e.notes["kvm-vmcs12"], good], rc=1)
    check("differs from the layout's" in p.stderr and "--force" in p.stderr,
          "revision mismatch: %r" % p.stderr)
    p = e.run(["page", "--force", "--json", "--layout", e.notes["kvm-vmcs12"], good])
    check("warning" in p.stderr and json.loads(p.stdout)["checks"]["revision"] == "fail",
          "--force: %r" % p.stderr)
    p = e.run(["page", "--layout", e.notes[SKYLAKE], e.path("nonexistent")], rc=1)
    check("No such file" in p.stderr, "missing file: %r" % p.stderr)
    p = e.run(["page", "--layout", good, good], rc=1)
    check(p.stderr.startswith("vmcsinfo-decode: %s: " % good), "bad note: %r" % p.stderr)
    p = e.run(["page", "--layout", "no-such-entry", good], rc=1)
    check("no such file or layout database entry" in p.stderr, "bad layout: %r" % p.stderr)
    p = e.run(["page", "--bogus", good], rc=2)
    unknown = e.path("unknown-rev.bin")
    subprocess.run([e.mkvmcs, "--revision", "0x77", os.path.join(ROOT, "models", SKYLAKE + ".model"),
                    unknown], check=True)
    p = e.run(["page", unknown], rc=1)
    check("revision 0x77 is in no layout database entry" in p.stderr, "unknown rev: %r" % p.stderr)


def test_page_database(e):
    path, planted = e.region(SKYLAKE, "page-db.bin", vcpu_values(1, 0x25005e))
    p = e.run(["page", "--json", path])
    got = json.loads(p.stdout)
    check(got["layout"]["name"] in ("bochs-2.7-corei7_skylake_x",), "layout %r" % got["layout"])
    check("3 layouts with revision 0x2b" in got["layout"]["reason"], "reason %r" % got["layout"]["reason"])
    p = e.run(["page", "--json", "--cpu", "0x306c3", path])
    got = json.loads(p.stdout)
    check(got["layout"]["name"] == "bochs-2.7-corei7_haswell_4770"
          and "only layout" in got["layout"]["reason"], "--cpu: %r" % got["layout"])
    p = e.run(["page", "--layout", "bochs-2.7-corei7_skylake_x", "--json", path])
    check(json.loads(p.stdout)["fields"]["GUEST_RIP"] == planted["GUEST_RIP"], "--layout NAME")
    p = e.run(["page", path])
    check("using layout bochs-2.7-corei7_skylake_x" in p.stderr, "no notice: %r" % p.stderr)


# ---- the synthetic machine ------------------------------------------------
VMCS_A0, VMCS_A1, VMCS_B0, VMCS12 = 0x200000, 0x201000, 0x520000, 0x300000
NOTE_PA, NOTE_COPY_PA = 0x380000, 0x381000
BAD = {  # page -> the checks it must fail
    0x211000: {"link_pointer", "host_cr0", "host_cr4", "host_cr3"},
    0x212000: {"host_cr4"},
    0x213000: {"eptp"},
    0x214000: {"abort_indicator"},
    0x600000: {"host_mapping"},
}
RANDOM_REV_PA = 0x210000
ORPHAN_PML4 = 0x106000          # an empty PML4: maps nothing
SEGMENTS = [(0, 4 << 20), (5 << 20, 3 << 20)]   # a hole at 4-5 MiB
ANON_PA = 0x700000               # pages makedumpfile -d 8 filters
PLANTED = {}


def build_machine(e, note_page=True):
    m = machine.Machine(8 << 20)
    rnd = random.Random(4)
    for pa in range(0x500000, 0x510000, 0x1000):
        page = bytes(rnd.randrange(256) for _ in range(4096))
        if page[:4] in (b"\x2b\0\0\0",):
            page = b"\xff" + page[1:]
        m.write(pa, page)

    def put(pa, model, name, values, *opts):
        path, planted = e.region(model, name, values, *opts)
        with open(path, "rb") as f:
            m.write(pa, f.read())
        PLANTED[pa] = (model, planted)

    put(VMCS_A0, SKYLAKE, "a0.bin", vcpu_values(1, 0x25005e), "--launched")
    put(VMCS_A1, SKYLAKE, "a1.bin", vcpu_values(2, 0x25005e, 0x100, GUEST_ACTIVITY_STATE=0))
    put(VMCS_B0, SKYLAKE, "b0.bin", vcpu_values(3, 0x26105e, 0x200))
    put(VMCS12, "kvm-vmcs12", "v12.bin",
        vcpu_values(7, 0x7f0005e, 0x300, HOST_CR3=0x2f00000, HOST_RIP=0xffffffffa0001000))
    put(0x212000, SKYLAKE, "bad-vmxe.bin", vcpu_values(4, 0x25005e, HOST_CR4=0x3506f0))
    put(0x213000, SKYLAKE, "bad-eptp.bin", vcpu_values(4, 0x25004e))
    put(0x214000, SKYLAKE, "bad-abort.bin", vcpu_values(4, 0x25005e), "--abort", "0x1234")
    put(0x600000, SKYLAKE, "bad-map.bin", vcpu_values(4, 0x25005e, HOST_CR3=ORPHAN_PML4))
    m.write(0x211000, b"\x2b\0\0\0")                       # only the revision
    m.write(RANDOM_REV_PA, b"\x2b\0\0\0" + bytes(rnd.randrange(256) for _ in range(4092)))
    with open(e.notes[SKYLAKE], "rb") as f:
        raw = f.read()
    if note_page:
        m.write(NOTE_PA, machine.vmcsinfo_note_at(raw, NOTE_PA))
        # A copy, as the page cache or a heap buffer would hold it.
        m.write(NOTE_COPY_PA, machine.vmcsinfo_note_at(raw, NOTE_PA))
    for pa in range(ANON_PA, ANON_PA + 0x10000, 0x1000):
        m.write(pa, bytes([0x5a]) * 4096)
        m.mark_anonymous(pa)
    return m, machine.vmcsinfo_note_at(raw, NOTE_PA)


def scan(e, dump, *opts, rc=0):
    p = e.run(["scan", "--json", "--explain", "--no-progress"] + list(opts) + [dump], rc=rc)
    return json.loads(p.stdout), p


def check_scan(e, res, where, direct_map=True):
    got = {v["paddr"]: v for v in res["vmcs"]}
    want = {VMCS_A0, VMCS_A1, VMCS_B0, VMCS12}
    check(set(got) == want, "VMCS at %s, expected %s" % (sorted(map(hex, got)), sorted(map(hex, want))))
    for pa, v in got.items():
        model, planted = PLANTED[pa]
        exp = e.expected(model, planted)
        for name, val in exp.items():
            check(v["fields"].get(name) == val, "0x%x %s: %r, planted %#x"
                  % (pa, name, v["fields"].get(name), val))
        if pa != VMCS12 and direct_map:
            check(v["checks"]["host_mapping"] == "pass", "0x%x host_mapping %s: %s"
                  % (pa, v["checks"]["host_mapping"], v["check_details"].get("host_mapping")))
    check(got[VMCS12]["nested"] and got[VMCS12]["layout"] == "kvm-vmcs12", "vmcs12 %r" % got[VMCS12]["layout"])
    check(got[VMCS_A0]["vm"] == got[VMCS_A1]["vm"] != got[VMCS_B0]["vm"], "VM grouping")
    check({got[VMCS_A0]["vcpu"], got[VMCS_A1]["vcpu"]} == {0, 1}, "vCPU numbering")
    check(got[VMCS_A0]["launch_state"] == 1 and got[VMCS_A1]["launch_state"] == 0, "launch states")
    check(len(res["vms"]) == 3, "%d VMs" % len(res["vms"]))
    rej = {v["paddr"]: set(v["failed"]) for v in res["rejected"]}
    for pa, failed in BAD.items():
        check(rej.get(pa) == failed, "rejected 0x%x: failed %r, expected %r" % (pa, rej.get(pa), failed))
    check("link_pointer" in rej.get(RANDOM_REV_PA, ()), "random page: %r" % rej.get(RANDOM_REV_PA))
    check(set(rej) == set(BAD) | {RANDOM_REV_PA}, "rejected %r" % sorted(map(hex, rej)))
    notes = res["notes"]
    check(len(notes) == 1 and notes[0]["where"] == where and notes[0]["paddr"] == NOTE_PA
          and notes[0]["revision_id"] == 0x2b, "notes %r" % notes)
    if where == "page":
        bad = {n["paddr"]: n["reason"] for n in res["rejected_notes"]}
        check(NOTE_COPY_PA in bad and "a copy" in bad[NOTE_COPY_PA], "note copy: %r" % bad)
    for v in got.values():
        if v["revision_id"] == 0x2b:
            check(v["layout"].startswith("note"), "layout %r" % v["layout"])


class Dumps:
    """The dumps of the synthetic machine, made once."""

    def __init__(self, e):
        m, note = build_machine(e)
        self.m = m
        self.raw = e.path("m.raw")
        m.write_raw(self.raw)
        self.elf_page = e.path("m-pagenote.elf")
        m.write_elf(self.elf_page, SEGMENTS)
        self.elf_ptnote = e.path("m-ptnote.elf")
        m.write_elf(self.elf_ptnote, SEGMENTS, machine.note("VMCSINFO", 1, note[24:]))
        bare, _ = build_machine(e, note_page=False)
        self.elf_bare = e.path("m-bare.elf")
        bare.write_elf(self.elf_bare, SEGMENTS)
        self.mdf = shutil.which("makedumpfile")


def makedumpfile(e, args, out):
    p = subprocess.run(["makedumpfile"] + args + [out], capture_output=True, text=True)
    if p.returncode:
        raise Fail("makedumpfile %s: %s" % (" ".join(args), p.stderr.strip()[-300:]))
    return out


def test_scan_raw(e, d):
    res, _ = scan(e, d.raw)
    check(res["dump"]["format"] == "raw", "format %r" % res["dump"]["format"])
    check(res["dump"]["pages_scanned"] == 2048, "pages scanned %r" % res["dump"]["pages_scanned"])
    check(res["dump"]["direct_map"] == machine.DIRECT_MAP and
          res["dump"]["direct_map_source"].startswith("HOST_CR3"),
          "raw image: direct map %r" % res["dump"]["direct_map"])
    check_scan(e, res, "page")


def test_scan_elf_page_note(e, d):
    res, _ = scan(e, d.elf_page)
    check(res["dump"]["format"] == "elf" and res["dump"]["direct_map"] == machine.DIRECT_MAP,
          "dump %r" % res["dump"])
    check(res["dump"]["pages_scanned"] == 1792, "pages scanned %r (hole skipped?)"
          % res["dump"]["pages_scanned"])
    check_scan(e, res, "page")


def test_scan_elf_ptnote(e, d):
    res, _ = scan(e, d.elf_ptnote)
    check_scan(e, res, "PT_NOTE")
    check(res["dump"]["passes"] == 1, "passes %r" % res["dump"]["passes"])


def test_scan_text(e, d):
    out = e.run(["scan", "--no-progress", "--fields", "--explain", d.elf_page]).stdout
    for s in ("VM 0", "vCPU 1", "VPID 2", "(vmcs12)", "0x000000380000  rev 0x2b",
              "GUEST_RIP 0xffffffff81001234", "exit HLT", "rejected candidates",
              "host_mapping: 0xffff888000600000 is not mapped", "note candidate 0x000000381000",
              "Guest-state fields"):
        check(s in out, "scan text lacks %r" % s)


def test_scan_no_note(e, d):
    res, _ = scan(e, d.elf_bare)
    got = {v["paddr"]: v for v in res["vmcs"]}
    check(set(got) == {VMCS_A0, VMCS_A1, VMCS_B0, VMCS12}, "VMCS %r" % sorted(map(hex, got)))
    reason = got[VMCS_A0]["layout_reason"]
    check("3 layouts with revision 0x2b" in reason and "--cpu" in reason, "reason %r" % reason)
    check(got[VMCS_A0]["layout"] == SKYLAKE, "layout %r" % got[VMCS_A0]["layout"])
    res, _ = scan(e, d.elf_bare, "--cpu", "0x206a7")
    a0 = [v for v in res["vmcs"] if v["paddr"] == VMCS_A0][0]
    check(a0["layout"] == "bochs-2.7-corei7_sandy_bridge_2600k" and "only layout" in a0["layout_reason"],
          "--cpu: %r %r" % (a0["layout"], a0["layout_reason"]))


def test_scan_kdump(e, d, flag):
    if not d.mdf:
        raise Fail("makedumpfile is not installed")
    out = makedumpfile(e, [flag, d.elf_page], e.path("m%s.kdump" % flag))
    res, _ = scan(e, out)
    check(res["dump"]["format"] == "kdump", "format %r" % res["dump"]["format"])
    check(res["dump"]["direct_map"] == machine.DIRECT_MAP, "direct map from VMCOREINFO: %r"
          % res["dump"]["direct_map"])
    check_scan(e, res, "page")
    out = makedumpfile(e, [flag, d.elf_ptnote], e.path("m%s-ptnote.kdump" % flag))
    res, _ = scan(e, out)
    check_scan(e, res, "kdump header")


def test_scan_kdump_filtered(e, d):
    out = makedumpfile(e, ["-c", "-d", "8", d.elf_page], e.path("m-d8.kdump"))
    res, p = scan(e, out)
    check_scan(e, res, "page")
    scanned = res["dump"]["pages_scanned"]
    check(scanned == 1792 - 16, "%d pages scanned; the 16 filtered ones must be skipped" % scanned)
    check(res["dump"]["pages_lost"] == 0 and not res["dump"]["incomplete"], "filtered pages are not lost")


def test_scan_flattened(e, d):
    flat = e.path("m.flat")
    with open(flat, "wb") as f:
        subprocess.run(["makedumpfile", "-F", "-c", d.elf_page], stdout=f,
                       stderr=subprocess.DEVNULL, check=True)
    p = e.run(["scan", flat], rc=1)
    check(p.stderr.startswith("vmcsinfo-decode: %s: " % flat) and "makedumpfile -R" in p.stderr
          and p.stderr.count("\n") == 1, "flattened: %r" % p.stderr)
    restored = e.path("m-restored.kdump")
    with open(flat, "rb") as f:
        subprocess.run(["makedumpfile", "-R", restored], stdin=f, capture_output=True, check=True)
    res, _ = scan(e, restored)
    check_scan(e, res, "page")


def test_scan_truncated_elf(e, d):
    cut = e.path("m-truncated.elf")
    size = os.path.getsize(d.elf_page)
    with open(d.elf_page, "rb") as f, open(cut, "wb") as g:
        g.write(f.read(size - (2 << 20)))            # the last 2 MiB are gone
    res, p = scan(e, cut, rc=3)
    check("truncated" in p.stderr and "warning" in p.stderr, "stderr %r" % p.stderr)
    check(res["dump"]["incomplete"] and res["dump"]["pages_lost"] == 512,
          "lost %r" % res["dump"]["pages_lost"])
    got = {v["paddr"] for v in res["vmcs"]}
    check(got == {VMCS_A0, VMCS_A1, VMCS_B0, VMCS12}, "VMCS %r" % sorted(map(hex, got)))


def test_scan_truncated_kdump(e, d):
    full = makedumpfile(e, ["-c", d.elf_page], e.path("m-full.kdump"))
    cut = e.path("m-truncated.kdump")
    with open(full, "rb") as f, open(cut, "wb") as g:
        data = f.read()
        g.write(data[:len(data) * 3 // 4])
    res, p = scan(e, cut, rc=3)
    check(res["dump"]["pages_lost"] > 0 and "could not be read" in p.stderr, "stderr %r" % p.stderr)


def test_scan_kcore_format(e, d):
    """/proc/kcore's shape: kernel text over RAM, vmalloc without p_paddr."""
    with open(e.path("a0.bin"), "rb") as f:
        vmcs_in_vmalloc = f.read()              # never scanned: no p_paddr
    kcore = e.path("m-kcore.elf")
    d.m.write_elf(kcore, SEGMENTS, vmcoreinfo=False, other=[
        (machine.KERNEL_MAP, 0, d.m.read(0, 2 << 20)),
        (0xffffc90000000000, 0xffffffffffffffff, vmcs_in_vmalloc * 4),
    ])
    res, _ = scan(e, kcore, "--format", "kcore")
    check(res["dump"]["format"] == "kcore", "format %r" % res["dump"]["format"])
    check(res["dump"]["pages_scanned"] == 1792, "pages scanned %r: text or vmalloc counted"
          % res["dump"]["pages_scanned"])
    check(res["dump"]["direct_map"] == machine.DIRECT_MAP, "direct map %r" % res["dump"]["direct_map"])
    check_scan(e, res, "page")


def test_scan_wrong_elf_vaddr(e, d):
    """ELF p_vaddr from a wrong PAGE_OFFSET: the page tables overrule it."""
    wrong = 0xffff880000000000
    for vmcoreinfo, source in ((True, "init_top_pgt"), (False, "HOST_CR3")):
        path = e.path("m-wrongvaddr-%d.elf" % vmcoreinfo)
        d.m.write_elf(path, SEGMENTS, vmcoreinfo=vmcoreinfo, direct_map=wrong)
        res, p = scan(e, path)
        check(res["dump"]["direct_map"] == machine.DIRECT_MAP and
              source in res["dump"]["direct_map_source"], "direct map %r from %r"
              % (res["dump"]["direct_map"], res["dump"]["direct_map_source"]))
        check("ELF program headers put the direct map at 0xffff880000000000" in p.stderr,
              "no warning: %r" % p.stderr)
        check_scan(e, res, "page")


def test_scan_bad_input(e, d):
    cases = [
        (e.path("nonexistent"), "No such file or directory"),
        (e.work, "is a directory"),
        (e.mkvmcs, "not a core dump"),
    ]
    empty = e.path("empty")
    open(empty, "wb").close()
    cases.append((empty, "empty file"))
    tiny = e.path("tiny")
    with open(tiny, "wb") as f:
        f.write(b"x" * 100)
    cases.append((tiny, "less than one page"))
    for path, msg in cases:
        p = e.run(["scan", path], rc=1)
        check(p.stderr.startswith("vmcsinfo-decode: %s: " % path) and msg in p.stderr
              and p.stderr.count("\n") == 1, "%s: %r" % (path, p.stderr))
    e.run(["scan"], rc=2)
    e.run(["scan", "--format", "zip", d.raw], rc=2)


def test_scan_page_offset(e, d):
    res, _ = scan(e, d.raw, "--page-offset", "0xffff888000000000")
    check(res["dump"]["direct_map"] == machine.DIRECT_MAP, "direct map %r" % res["dump"]["direct_map"])
    check_scan(e, res, "page")
    res, _ = scan(e, d.raw, "--page-offset", "0xffff889000000000")
    mapped = {v["paddr"]: v["checks"]["host_mapping"] for v in res["rejected"]}
    check(mapped.get(VMCS_A0) == "fail", "a wrong --page-offset must fail host_mapping: %r" % mapped)


def test_scan_large_sparse(e, d):
    """A 1 GiB raw image (sparse) with one VMCS near its end: speed, memory."""
    big = e.path("big.raw")
    with open(big, "wb") as f:
        f.truncate(1 << 30)
        f.seek(0)
        f.write(d.m.read(0, 8 << 20))
        with open(e.path("a0.bin"), "rb") as g:
            f.seek((1 << 30) - 0x10000)
            f.write(g.read())
        # The direct map of the whole GiB (2 MiB pages in its PD).
        pd = machine.PML4_PA + 0x2000
        for i in range(4, 512):
            f.seek(pd + 8 * i)
            f.write(((i << 21) | 0x83).to_bytes(8, "little"))
    t = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", e.decode, "scan", "--json", "--no-progress", big],
                       capture_output=True, text=True, env=e.env)
    elapsed = time.time() - t
    check(p.returncode == 0, "exit %d: %s" % (p.returncode, p.stderr))
    res = json.loads(p.stdout)
    found = {v["paddr"] for v in res["vmcs"]}
    check((1 << 30) - 0x10000 in found, "VMCS near the end not found")
    rss_kib = int(p.stderr.strip().splitlines()[-1])
    check(rss_kib < 64 * 1024, "peak RSS %d KiB" % rss_kib)
    check(elapsed < 30, "%.1f s" % elapsed)
    return "%.2f s, peak RSS %d KiB for 1 GiB" % (elapsed, rss_kib)


# ---- db --------------------------------------------------------------------
def test_db(e, d):
    dbdir = e.env["VMCSINFO_DB"]
    shutil.rmtree(dbdir, ignore_errors=True)
    lst = json.loads(e.run(["db", "list", "--json"]).stdout)
    names = [x["name"] for x in lst["entries"]]
    check(names == ["bochs-2.7-corei7_haswell_4770", "bochs-2.7-corei7_sandy_bridge_2600k",
                    SKYLAKE, "kvm-vmcs12"], "built-in entries %r" % names)
    check(all(x["builtin"] for x in lst["entries"]), "builtin flags")
    sky = [x for x in lst["entries"] if x["name"] == SKYLAKE][0]
    check(sky["cpuid_signature"] == 0x50654 and sky["revision_id"] == 0x2b, "skylake %r" % sky)
    show = json.loads(e.run(["db", "show", "--json", SKYLAKE]).stdout)
    check(show["revision_id"] == 0x2b and len(show["fields"]) == 187, "show %r" % len(show["fields"]))
    e.run(["db", "show", "00000002b-0"], rc=1)
    # A built-in identity is refused without --force.
    p = e.run(["db", "add", e.notes[SKYLAKE]], rc=1)
    check("built-in" in p.stderr, "builtin dup: %r" % p.stderr)
    # A note of another CPU (same layout, other signature) is added.
    with open(e.notes[SKYLAKE], "rb") as f:
        raw = bytearray(f.read())
    import struct
    import zlib
    struct.pack_into("<II", raw, 24 + 32, 0x000906ea, 0xf0)  # cpuid_signature, microcode
    struct.pack_into("<I", raw, 24 + 12, 0)
    struct.pack_into("<I", raw, 24 + 12, zlib.crc32(bytes(raw[24:])))
    other = e.path("coffeelake.note")
    with open(other, "wb") as f:
        f.write(raw)
    p = e.run(["db", "add", other])
    key = "0000002b-000906ea-000000f0"
    check(os.path.exists(os.path.join(dbdir, key + ".note")), "not stored: %r" % p.stdout)
    p = e.run(["db", "add", other])
    check("already" in p.stdout, "re-add: %r" % p.stdout)
    names = [x["name"] for x in json.loads(e.run(["db", "list", "--json"]).stdout)["entries"]]
    check(names[0] == key and len(names) == 5, "list after add %r" % names)
    res, _ = scan(e, d.elf_bare, "--cpu", "0x906ea:0xf0")
    a0 = [v for v in res["vmcs"] if v["paddr"] == VMCS_A0][0]
    check(a0["layout"] == key, "user entry not used: %r" % a0["layout"])
    # Same key, other content: refused, then replaced with --force.
    struct.pack_into("<I", raw, 24 + 88, 12345)                # probe_usecs
    struct.pack_into("<I", raw, 24 + 12, 0)
    struct.pack_into("<I", raw, 24 + 12, zlib.crc32(bytes(raw[24:])))
    with open(other, "wb") as f:
        f.write(raw)
    p = e.run(["db", "add", other], rc=1)
    check("--force" in p.stderr, "conflict: %r" % p.stderr)
    e.run(["db", "add", "--force", other])
    # The live note: /sys/kernel/vmcsinfo's "<paddr> <size>" and /proc/kcore.
    e.run(["db", "remove", key])
    check(not os.path.exists(os.path.join(dbdir, key + ".note")), "not removed")
    sysfs = e.path("sysfs-vmcsinfo")
    with open(sysfs, "w") as f:
        f.write("%x %x\n" % (NOTE_PA, os.path.getsize(e.notes[SKYLAKE])))
    env = dict(e.env, VMCSINFO_SYSFS=sysfs, VMCSINFO_KCORE=d.elf_page,
               VMCSINFO_DEVMEM=e.path("nonexistent"))
    p = e.run(["db", "add", "--force", "live"], env=env)
    check(os.path.exists(os.path.join(dbdir, "0000002b-00050654-00000000.note")), "live: %r" % p.stdout)
    with open(sysfs, "w") as f:
        f.write("%x %x\n" % (0x450000, os.path.getsize(e.notes[SKYLAKE])))   # in the hole
    p = e.run(["db", "add", "live"], env=env, rc=1)
    check("cannot read the note at physical 0x450000" in p.stderr, "live hole: %r" % p.stderr)
    e.run(["db", "remove", SKYLAKE], rc=1)
    e.run(["db", "frobnicate"], rc=2)
    shutil.rmtree(dbdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("-k", help="run only cases whose name contains this")
    a = ap.parse_args()
    work = os.path.join(a.build, "tests", "decode", "work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    e = Env(a.build, work)
    cases = [("page roundtrip " + m, lambda m=m: test_page_roundtrip(e, m)) for m in MODELS]
    cases += [("page decoded values", lambda: test_page_decoded(e)),
              ("page errors", lambda: test_page_errors(e)),
              ("page layout from the database", lambda: test_page_database(e))]
    dumps = []

    def need():
        if not dumps:
            dumps.append(Dumps(e))
        return dumps[0]

    cases += [
        ("scan raw image", lambda: test_scan_raw(e, need())),
        ("scan ELF, note in a page", lambda: test_scan_elf_page_note(e, need())),
        ("scan ELF, note in PT_NOTE", lambda: test_scan_elf_ptnote(e, need())),
        ("scan text output", lambda: test_scan_text(e, need())),
        ("scan without a note: database", lambda: test_scan_no_note(e, need())),
        ("scan kdump zlib (-c)", lambda: test_scan_kdump(e, need(), "-c")),
        ("scan kdump lzo (-l)", lambda: test_scan_kdump(e, need(), "-l")),
        ("scan kdump filtered (-d 8)", lambda: test_scan_kdump_filtered(e, need())),
        ("scan flattened refused, -R restores", lambda: test_scan_flattened(e, need())),
        ("scan truncated ELF", lambda: test_scan_truncated_elf(e, need())),
        ("scan truncated kdump", lambda: test_scan_truncated_kdump(e, need())),
        ("scan --format kcore", lambda: test_scan_kcore_format(e, need())),
        ("scan --page-offset", lambda: test_scan_page_offset(e, need())),
        ("scan ELF with a wrong direct map", lambda: test_scan_wrong_elf_vaddr(e, need())),
        ("scan bad input", lambda: test_scan_bad_input(e, need())),
        ("scan 1 GiB sparse raw image", lambda: test_scan_large_sparse(e, need())),
        ("db list/show/add/remove/live", lambda: test_db(e, need())),
    ]
    return run_cases(cases, a.k)


if __name__ == "__main__":
    sys.exit(main())
