#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Regenerate the seeds of the fuzz targets (tests/fixtures/fuzz/NAME/).

    tests/fuzz/mkseeds.py BUILD_DIR [OUT_DIR]

BUILD_DIR must hold vmcsinfo-sim (make tools); mkvmcs is compiled into
BUILD_DIR/tests/fuzz/ as tests/decode/run.sh compiles it; makedumpfile
makes the kdump seeds.  OUT_DIR defaults to tests/fixtures/fuzz.  Only
files named seed-* are written, so inputs kept from crashes (crash-*,
named after what they found) stay.

Every seed is small (libFuzzer's -max_len is the largest seed): a tiny
machine of eight pages for raw images, and ELF/kdump files with sparse
segments of tests/fixtures/machine.py's 2 MiB machine.
"""
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))
import machine  # noqa: E402

PAGE = 4096
SKYLAKE = "bochs-2.7-corei7_skylake_x"
HASWELL = "bochs-2.7-corei7_haswell_4770"
SANDY = "bochs-2.7-corei7_sandy_bridge_2600k"
VMCS12 = "kvm-vmcs12"
PACKED = "realcpu-packed"
# Order of the built-in database (DECODE_DB_MODELS in sources.mk): the
# page target's selector byte indexes it.
BUILTIN = [HASWELL, SANDY, SKYLAKE, VMCS12]


def bits(*ns):
    return sum(1 << n for n in ns)


def vcpu(host_cr3, eptp, vpid=1, **extra):
    """Values of a sound 64-bit vCPU (as tests/decode plants them)."""
    v = {
        "PIN_BASED_VM_EXEC_CONTROL": 0x3f,
        "CPU_BASED_VM_EXEC_CONTROL": 0x0401e172 | bits(7, 21, 25, 28, 31),
        "SECONDARY_VM_EXEC_CONTROL": bits(1, 3, 5, 7),
        "VM_EXIT_CONTROLS": 0x00036dff | bits(9, 15, 20, 21),
        "VM_ENTRY_CONTROLS": 0x000011ff | bits(9, 15),
        "EXCEPTION_BITMAP": 0x60042, "VIRTUAL_PROCESSOR_ID": vpid,
        "EPT_POINTER": eptp, "VMCS_LINK_POINTER": 0xffffffffffffffff,
        "HOST_CR0": 0x80050033, "HOST_CR3": host_cr3, "HOST_CR4": 0x3526f0,
        "HOST_RIP": 0xffffffffc0a12345, "HOST_RSP": 0xffffc90000ab3e40,
        "HOST_IA32_EFER": 0xd01,
        "GUEST_CR0": 0x80050033, "GUEST_CR3": 0x3fe0000, "GUEST_CR4": 0x3506f0,
        "GUEST_RIP": 0xffffffff81001234, "GUEST_RSP": 0xffffc90000123f58,
        "GUEST_RFLAGS": 0x246, "GUEST_CS_AR_BYTES": 0xa09b,
        "GUEST_SS_AR_BYTES": 0xc093, "GUEST_LDTR_AR_BYTES": 0x10000,
        "GUEST_TR_AR_BYTES": 0x8b, "GUEST_IA32_EFER": 0xd01,
        "GUEST_ACTIVITY_STATE": 1, "GUEST_INTERRUPTIBILITY_INFO": 1,
        "VM_EXIT_REASON": 12, "VM_EXIT_INTR_INFO": 0x80000b0e,
        "IDT_VECTORING_INFO_FIELD": 0x80000020, "EXIT_QUALIFICATION": 0x1f,
    }
    v.update(extra)
    return v


class Tools:
    def __init__(self, build, work):
        self.build, self.work = build, work
        self.sim = os.path.join(build, "vmcsinfo-sim")
        self.mkvmcs = os.path.join(build, "tests", "fuzz", "mkvmcs")
        os.makedirs(os.path.dirname(self.mkvmcs), exist_ok=True)
        subprocess.run([os.environ.get("CC", "cc"), "-std=c11", "-D_GNU_SOURCE", "-O2",
                        "-I" + os.path.join(ROOT, "include"),
                        "-I" + os.path.join(ROOT, "tests", "sim"),
                        "-o", self.mkvmcs, os.path.join(ROOT, "tests/fixtures/mkvmcs.c"),
                        os.path.join(ROOT, "tests/sim/model.c"),
                        os.path.join(ROOT, "tests/sim/simcpu.c"),
                        os.path.join(ROOT, "core/fields.c"),
                        os.path.join(ROOT, "core/layout.c")], check=True)
        self._notes = {}
        self._n = 0

    def model(self, m):
        return os.path.join(ROOT, "models", m + ".model")

    def note(self, m):
        if m not in self._notes:
            path = os.path.join(self.work, m + ".note")
            subprocess.run([self.sim, "-q", "-o", path, self.model(m)], check=True)
            with open(path, "rb") as f:
                self._notes[m] = f.read()
        return self._notes[m]

    def region(self, m, values, *opts):
        """A region of model m with the values its layout has."""
        self._n += 1
        out = os.path.join(self.work, "r%d.bin" % self._n)
        args = []
        for k, v in values.items():
            args.append("%s=%#x" % (k, v))
        # Drop the fields this model lacks: mkvmcs refuses them.
        while True:
            p = subprocess.run([self.mkvmcs] + list(opts) + [self.model(m), out] + args,
                               capture_output=True, text=True)
            if p.returncode == 0:
                break
            bad = [a for a in args if p.stderr.startswith("mkvmcs: " + a.split("=")[0] + ":")]
            if not bad:
                raise RuntimeError(p.stderr)
            args.remove(bad[0])
        with open(out, "rb") as f:
            return f.read()


# ---- a machine of eight pages (raw images) --------------------------------
TINY_PML4 = 0x1000


def tiny_machine(t, vmcs_model=SKYLAKE, note=True):
    """Page 0 a VMCS; 1-4 page tables mapping the first 2 MiB at the
    direct map; 5 the VMCSINFO note (note_paddr 0x5000); 6 a vmcs12; 7 a
    VMCS that fails host_cr4."""
    mem = bytearray(8 * PAGE)

    def put64(pa, v):
        struct.pack_into("<Q", mem, pa, v)
    idx = lambda va, level: (va >> (12 + 9 * (level - 1))) & 511
    put64(TINY_PML4 + 8 * idx(machine.DIRECT_MAP, 4), 0x2000 | 3)
    put64(0x2000 + 8 * idx(machine.DIRECT_MAP, 3), 0x3000 | 3)
    put64(0x3000, 0x4000 | 3)
    for i in range(512):
        put64(0x4000 + 8 * i, i * PAGE | 3)
    eptp = 0x705e
    mem[0:PAGE] = t.region(vmcs_model, vcpu(TINY_PML4, eptp), "--launched").ljust(PAGE, b"\0")
    if note:
        mem[0x5000:0x6000] = machine.vmcsinfo_note_at(t.note(vmcs_model), 0x5000).ljust(PAGE, b"\0")
    mem[0x6000:0x7000] = t.region(VMCS12, vcpu(0x2f00000, 0x7f0005e, 7)).ljust(PAGE, b"\0")
    mem[0x7000:0x8000] = t.region(vmcs_model, vcpu(TINY_PML4, eptp, 2, HOST_CR4=0x3506f0)).ljust(PAGE, b"\0")
    return bytes(mem)


# ---- sparse ELF and kdump files of machine.py's machine -------------------
VMCS_PA, NOTE_PA, VMCS12_PA = 0x180000, 0x181000, 0x182000
SPARSE = [(machine.UTS_PA, PAGE), (machine.MEM_MAP_PTR_PA, PAGE),
          (machine.PML4_PA, 6 * PAGE), (VMCS_PA, 3 * PAGE)]
# makedumpfile also reads the struct pages of the pages present.
MEM_MAP = (machine.MEM_MAP_PA, 7 * PAGE)


def small_machine(t, note_page=True):
    m = machine.Machine(2 << 20)
    eptp = VMCS12_PA | 0x5e            # inside the dump
    m.write(VMCS_PA, t.region(SKYLAKE, vcpu(machine.PML4_PA, eptp), "--launched"))
    m.write(VMCS12_PA, t.region(VMCS12, vcpu(0x2f00000, 0x7f0005e, 7)))
    if note_page:
        m.write(NOTE_PA, machine.vmcsinfo_note_at(t.note(SKYLAKE), NOTE_PA))
    return m


def makedumpfile(args, elf, out):
    if os.path.exists(out):
        os.unlink(out)
    subprocess.run(["makedumpfile"] + args + [elf, out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return f.read()


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    build = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else os.path.join(ROOT, "tests", "fixtures", "fuzz")
    seeds = {}
    with tempfile.TemporaryDirectory() as work:
        t = Tools(build, work)
        page = {}
        for i, m in enumerate(BUILTIN):
            r = t.region(m, vcpu(0x1000, 0x705e), "--launched")
            page["builtin-%s" % m] = bytes([i]) + r
            page["builtin-json-%s" % m] = bytes([0x40 | i]) + r
        for m in (SKYLAKE, PACKED, VMCS12):
            n = t.note(m)
            r = t.region(m, vcpu(0x1000, 0x705e))
            page["note-%s" % m] = b"\x80" + struct.pack("<I", len(n)) + n + r
        seeds["page"] = page

        raw = tiny_machine(t)
        seeds["vmcs_check"] = {"tiny-skylake.raw": raw,
                               "tiny-haswell.raw": tiny_machine(t, HASWELL),
                               "tiny-sandy.raw": tiny_machine(t, SANDY, note=False)}
        seeds["scan"] = {"tiny-note.raw": raw,
                         "tiny-nonote.raw": tiny_machine(t, HASWELL, note=False)}

        m = small_machine(t)
        elf_page = os.path.join(work, "page.elf")
        m.write_elf(elf_page, SPARSE)
        elf_pt = os.path.join(work, "ptnote.elf")
        bare = small_machine(t, note_page=False)
        bare.write_elf(elf_pt, SPARSE, machine.note("VMCSINFO", 1,
                                                     machine.vmcsinfo_note_at(t.note(SKYLAKE), NOTE_PA)[24:]))
        for src in (elf_page, elf_pt):
            (m if src == elf_page else bare).write_elf(src + ".mdf", sorted(SPARSE + [MEM_MAP]),
                                                       *(() if src == elf_page else
                                                         (machine.note("VMCSINFO", 1, machine.vmcsinfo_note_at(
                                                             t.note(SKYLAKE), NOTE_PA)[24:]),)))
        kcore = os.path.join(work, "kcore.elf")
        m.write_elf(kcore, SPARSE[2:], vmcoreinfo=False, other=[
            (machine.KERNEL_MAP + VMCS_PA, VMCS_PA, m.read(VMCS_PA, PAGE)),
            (0xffffc90000000000, 0xffffffffffffffff, m.read(VMCS_PA, PAGE))])
        elf = {}
        for name, path in (("notepage.elf", elf_page), ("ptnote.elf", elf_pt),
                           ("kcore-like.elf", kcore)):
            with open(path, "rb") as f:
                elf[name] = f.read()
        # The dump_elf target opens files whose e_ident[15] (padding) is
        # odd as /proc/kcore.
        k = bytearray(elf["kcore-like.elf"])
        k[15] = 1
        elf["kcore-like.elf"] = bytes(k)
        seeds["dump_elf"] = elf
        kd = {
            "zlib.kdump": makedumpfile(["-c"], elf_page + ".mdf", os.path.join(work, "c.kdump")),
            "lzo.kdump": makedumpfile(["-l"], elf_page + ".mdf", os.path.join(work, "l.kdump")),
            "zlib-ptnote.kdump": makedumpfile(["-c"], elf_pt + ".mdf", os.path.join(work, "cp.kdump")),
            "zlib-d31.kdump": makedumpfile(["-c", "-d", "31"], elf_page + ".mdf",
                                           os.path.join(work, "d.kdump")),
        }
        seeds["dump_kdump"] = kd
        seeds["dump"] = {"tiny.raw": raw, "notepage.elf": elf["notepage.elf"],
                         "zlib.kdump": kd["zlib.kdump"], "lzo.kdump": kd["lzo.kdump"]}
    for target, files in seeds.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.startswith("seed-"):
                os.unlink(os.path.join(d, f))
        for name, data in files.items():
            with open(os.path.join(d, "seed-" + name), "wb") as f:
                f.write(data)
            print("%-10s seed-%-36s %6d bytes" % (target, name, len(data)))


if __name__ == "__main__":
    main()
