#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Benchmark of `vmcsinfo-decode scan` (make bench; see tests/bench/README.md).

Not a test: it prints figures and how they compare with the goals, and
fails only when something cannot be measured (a tool is missing, a scan
exits with an error or finds other VMCS regions than were planted).

  a. scan of a raw image and of an ELF vmcore of --gib GiB, in the page
     cache, against `cat FILE > /dev/null` of the same file (goal: scan
     <= cat);
  b. scan of kdump-compressed files (makedumpfile -c and -l of a
     --kdump-gib GiB ELF vmcore) against reading every present page with
     libkdumpfile (kdumpread.c; goal: scan <= 1.2 x);
  c. peak RSS of every scan (runstat.c, getrusage): goal flat and
     <= 64 MiB, whatever the dump's size.

Images go to BUILD/bench/ and are reused while their recipe (the
generator's sources, the size, the planted regions) is unchanged.
"""
import argparse
import hashlib
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))
import machine  # noqa: E402

GIB = 1 << 30
MIB = 1 << 20
PAGE = 4096
SKYLAKE = "bochs-2.7-corei7_skylake_x"
HEAD_SIZE = 8 * MIB
NOTE_PA = 0x380000
# mem_map (64-byte struct pages, zero) where it has room for 64 GiB.
MEM_MAP_PA = 16 * MIB
DIRECT_MAP_GIB = 64             # the direct map covers this much physical memory
# x86 PC memory: RAM below the legacy hole, below the PCI hole, above 4 GiB.
RAM_RANGES = [(0, 0xa0000), (0x100000, 0xc0000000), (0x100000000, 1 << 46)]

CFLAGS = ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-O2", "-g"]


class BenchError(Exception):
    pass


def bits(*ns):
    return sum(1 << n for n in ns)


def vcpu_values(vpid, eptp, host_rip, rip):
    """Fields of a 64-bit KVM guest's VMCS that pass every check."""
    return {
        "HOST_CR0": 0x80050033, "HOST_CR3": machine.PML4_PA, "HOST_CR4": 0x3526f0,
        "HOST_RIP": host_rip, "HOST_RSP": 0xffffc90000ab3e40,
        "HOST_CS_SELECTOR": 0x10, "HOST_TR_SELECTOR": 0x40, "HOST_IA32_EFER": 0xd01,
        "PIN_BASED_VM_EXEC_CONTROL": 0x3f,
        "CPU_BASED_VM_EXEC_CONTROL": 0x0401e172 | bits(7, 21, 25, 28, 31),
        "SECONDARY_VM_EXEC_CONTROL": bits(1, 3, 5, 7),
        "VM_EXIT_CONTROLS": 0x00036dff | bits(9, 15, 20, 21),
        "VM_ENTRY_CONTROLS": 0x000011ff | bits(9, 15),
        "VMCS_LINK_POINTER": 0xffffffffffffffff, "EPT_POINTER": eptp,
        "VIRTUAL_PROCESSOR_ID": vpid,
        "GUEST_CR0": 0x80050033, "GUEST_CR3": 0x3fe0000, "GUEST_CR4": 0x3506f0,
        "GUEST_RIP": rip, "GUEST_RSP": 0xffffc90000123f58, "GUEST_RFLAGS": 0x246,
        "GUEST_CS_SELECTOR": 0x10, "GUEST_CS_AR_BYTES": 0xa09b,
        "GUEST_IA32_EFER": 0xd01, "GUEST_ACTIVITY_STATE": 1, "VM_EXIT_REASON": 12,
    }


class Bench:
    def __init__(self, args):
        self.build = os.path.abspath(args.build)
        self.dir = os.path.join(self.build, "bench")
        self.decode = os.path.abspath(args.decode or os.path.join(self.build, "vmcsinfo-decode"))
        self.sim = os.path.join(self.build, "vmcsinfo-sim")
        self.repeat = args.repeat
        os.makedirs(self.dir, exist_ok=True)
        dbdir = os.path.join(self.dir, "db")
        os.makedirs(dbdir, exist_ok=True)
        # An empty user database: only the built-in layouts and the dump's note.
        self.env = dict(os.environ, VMCSINFO_DB=dbdir, HOME=self.dir)
        for f in (self.decode, self.sim):
            if not os.access(f, os.X_OK):
                raise BenchError("%s is missing (make tools)" % f)

    def path(self, name):
        return os.path.join(self.dir, name)

    # -- helpers ------------------------------------------------------------
    def cc(self, out, srcs, cflags=(), libs=()):
        out = self.path(out)
        if os.path.exists(out) and all(os.path.getmtime(out) >= os.path.getmtime(s)
                                       for s in srcs):
            return out
        cmd = [os.environ.get("CC", "cc")] + CFLAGS + list(cflags) + \
              ["-o", out] + list(srcs) + list(libs)
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode:
            raise BenchError("%s: %s" % (" ".join(cmd), p.stderr.strip()))
        return out

    def build_helpers(self):
        src = lambda *p: os.path.join(ROOT, *p)
        self.mkimage = self.cc("mkimage", [src("tests/bench/mkimage.c")])
        self.runstat = self.cc("runstat", [src("tests/bench/runstat.c")])
        kd = subprocess.run(["pkg-config", "--cflags", "--libs", "libkdumpfile"],
                            capture_output=True, text=True)
        kflags = kd.stdout.split() if kd.returncode == 0 else ["-lkdumpfile"]
        self.kdumpread = self.cc("kdumpread", [src("tests/bench/kdumpread.c")],
                                 [f for f in kflags if f.startswith("-I")],
                                 [f for f in kflags if not f.startswith("-I")])
        self.mkvmcs = self.cc("mkvmcs", [src("tests/fixtures/mkvmcs.c"), src("tests/sim/model.c"),
                                         src("tests/sim/simcpu.c"), src("core/fields.c"),
                                         src("core/layout.c")],
                              ["-I" + src("include"), "-I" + src("tests/sim")])

    def region(self, name, model, values, *opts):
        out = self.path(name)
        args = ["%s=%#x" % kv for kv in values.items()]
        subprocess.run([self.mkvmcs] + list(opts) +
                       [os.path.join(ROOT, "models", model + ".model"), out] + args,
                       check=True)
        return out

    # -- the machine ----------------------------------------------------------
    def make_head(self):
        """Low memory of the machine, the VMCOREINFO note, the regions to plant."""
        m = machine.Machine(HEAD_SIZE)
        pdpt_dm, pd_dm = machine.PML4_PA + 0x1000, machine.PML4_PA + 0x2000
        pd_k = machine.PML4_PA + 0x5000
        for i in range(1, 512):         # the whole first GiB in 2 MiB pages
            m.put64(pd_dm + 8 * i, (i << 21) | 0x83)
            m.put64(pd_k + 8 * i, (i << 21) | 0x83)
        for i in range(1, DIRECT_MAP_GIB):   # the rest in 1 GiB pages
            m.put64(pdpt_dm + 8 * i, (i << 30) | 0x83)
        m.put64(machine.MEM_MAP_PTR_PA, machine.KERNEL_MAP + MEM_MAP_PA)
        note_path = self.path("skylake.note")
        subprocess.run([self.sim, "-q", "-o", note_path,
                        os.path.join(ROOT, "models", SKYLAKE + ".model")], check=True)
        with open(note_path, "rb") as f:
            m.write(NOTE_PA, machine.vmcsinfo_note_at(f.read(), NOTE_PA))
        vm_a = (0x25005e, 0xffffffffc0a12345)
        low = [
            (0x200000, self.region("a0.bin", SKYLAKE, vcpu_values(1, *vm_a, 0xffffffff81001234),
                                   "--launched")),
            (0x201000, self.region("a1.bin", SKYLAKE, vcpu_values(2, *vm_a, 0xffffffff81001334))),
            (0x520000, self.region("b0.bin", SKYLAKE, vcpu_values(3, 0x26105e, 0xffffffffc0a12345,
                                                                  0xffffffff81002234))),
            (0x300000, self.region("v12.bin", "kvm-vmcs12",
                                   dict(vcpu_values(7, 0x7f0005e, 0xffffffffa0001000, 0xffffffff81003234),
                                        HOST_CR3=0x2f00000))),
        ]
        # A region that fails host_cr4: a candidate the judge rejects.
        bad = self.region("bad.bin", SKYLAKE, dict(vcpu_values(4, *vm_a, 0), HOST_CR4=0x3506f0))
        for pa, path in low + [(0x212000, bad)]:
            with open(path, "rb") as f:
                m.write(pa, f.read())
        head = self.path("head.bin")
        m.write_raw(head)
        notes = self.path("notes.bin")
        with open(notes, "wb") as f:
            f.write(machine.note("VMCOREINFO", 0, m.vmcoreinfo()))
        # VM C's vCPUs spread over the whole image (planted by mkimage).
        self.spread = [self.region("c%d.bin" % i, SKYLAKE,
                                   vcpu_values(16 + i, 0x27105e, 0xffffffffc0b00000,
                                               0xffffffff81004000 + i))
                       for i in range(4)]
        self.head, self.notes = head, notes
        self.low_vmcs = [pa for pa, _ in low]

    @staticmethod
    def segments(size):
        segs, left = [], size
        for start, end in RAM_RANGES:
            n = min(left, end - start)
            if n > 0:
                segs.append((start, n))
                left -= n
        return segs

    def plants(self, segs):
        """Physical addresses of VM C's regions: at 1/4, 1/2, 3/4 and the
        end of the present memory."""
        total = sum(n for _, n in segs)
        out = []
        for i, frac in enumerate((0.25, 0.5, 0.75, 1.0)):
            at = min(int(total * frac) & ~(2 * MIB - 1), total - 64 * 1024) + 0x3000 * (frac < 1)
            for pa, n in segs:
                if at < n:
                    out.append((pa + at, self.spread[i]))
                    break
                at -= n
        return out

    def digest(self, *parts):
        h = hashlib.sha256()
        # The generator and its inputs (the head holds the page tables,
        # the note page and the low VMCS regions).
        for f in (os.path.join(HERE, "mkimage.c"), self.head, self.notes):
            with open(f, "rb") as g:
                h.update(g.read())
        for p in self.spread:
            with open(p, "rb") as g:
                h.update(g.read())
        h.update(repr(parts).encode())
        return h.hexdigest()

    def image(self, kind, size):
        """A raw image or ELF vmcore with size bytes of memory: (path, VMCS expected)."""
        segs = [(0, size)] if kind == "raw" else self.segments(size)
        plants = self.plants(segs)
        name = self.path("%s-%dg.%s" % (kind, size // GIB, "img" if kind == "raw" else "vmcore"))
        stamp = name + ".stamp"
        key = self.digest(kind, size, segs, MEM_MAP_PA, [pa for pa, _ in plants])
        expected = sorted(self.low_vmcs + [pa for pa, _ in plants])
        if os.path.exists(name) and os.path.exists(stamp) and open(stamp).read() == key:
            print("reusing %s" % os.path.relpath(name))
            return name, expected
        cmd = [self.mkimage, "--" + kind, name, "--head", self.head]
        if kind == "elf":
            cmd += ["--notes", self.notes]
        for pa, n in segs:
            cmd += ["--segment", "%#x:%#x" % (pa, n)]
        end = segs[-1][0] + segs[-1][1]
        cmd += ["--zero", "%#x:%#x" % (MEM_MAP_PA, -(-end // PAGE * 64 // PAGE) * PAGE)]
        for pa, f in plants:
            cmd += ["--plant", "%#x=%s" % (pa, f)]
        p = subprocess.run([self.runstat] + cmd, capture_output=True, text=True)
        st = parse_stat(p.stdout)
        if p.returncode or st["status"]:
            raise BenchError("mkimage failed: %s" % p.stderr.strip())
        print("wrote %s (%.1f GiB) in %.1f s" % (os.path.relpath(name), size / GIB, st["wall"]))
        with open(stamp, "w") as f:
            f.write(key)
        return name, expected

    def kdump(self, elf, flag):
        out = elf.replace(".vmcore", ".kdump%s" % flag)
        stamp = out + ".stamp"
        key = open(elf + ".stamp").read() + flag
        if os.path.exists(out) and os.path.exists(stamp) and open(stamp).read() == key:
            print("reusing %s" % os.path.relpath(out))
            return out
        if not shutil.which("makedumpfile"):
            raise BenchError("makedumpfile is not installed (apt-get install makedumpfile)")
        if os.path.exists(out):
            os.unlink(out)
        cmd = [self.runstat, "makedumpfile", flag, elf, out]
        p = subprocess.run(cmd, capture_output=True, text=True)
        st = parse_stat(p.stdout)
        if st["status"] or not os.path.exists(out):
            raise BenchError("makedumpfile %s %s: %s" % (flag, elf, p.stderr.strip()[-400:]))
        print("wrote %s (%.0f MiB) with makedumpfile %s in %.1f s"
              % (os.path.relpath(out), os.path.getsize(out) / MIB, flag, st["wall"]))
        with open(stamp, "w") as f:
            f.write(key)
        return out

    # -- measuring -------------------------------------------------------------
    def run(self, cmd, out="/dev/null"):
        p = subprocess.run([self.runstat, "-o", out] + cmd, capture_output=True,
                           text=True, env=self.env)
        if p.returncode:
            raise BenchError("runstat %s: %s" % (" ".join(cmd), p.stderr.strip()))
        st = parse_stat(p.stdout)
        st["stderr"] = p.stderr
        return st

    def scan(self, path, expected):
        out = self.path("scan.json")
        st = self.run([self.decode, "scan", "--json", "--no-progress", path], out)
        if st["status"]:
            raise BenchError("vmcsinfo-decode scan %s: exit %d: %s"
                             % (path, st["status"], st["stderr"].strip()[-400:]))
        with open(out) as f:
            res = json.load(f)
        found = sorted(v["paddr"] for v in res["vmcs"])
        if found != expected:
            raise BenchError("scan %s found VMCS %s, planted %s"
                             % (path, [hex(x) for x in found], [hex(x) for x in expected]))
        st["pages"] = res["dump"]["pages_scanned"]
        return st

    def compare(self, label, path, expected, baseline_name, baseline_cmd):
        """`repeat` runs of the baseline and the scan, alternating; the best
        of each (CPU time, user + sys; and wall time) counts."""
        self.run(["cat", path])                 # into the page cache
        base, scans = [], []
        for _ in range(self.repeat):
            b = self.run(baseline_cmd)
            if b["status"]:
                raise BenchError("%s: exit %d: %s" % (" ".join(baseline_cmd), b["status"],
                                                       b["stderr"].strip()[-300:]))
            base.append(b)
            scans.append(self.scan(path, expected))
        cpu = lambda r: r["user"] + r["sys"]
        row = {
            "label": label, "file": os.path.basename(path), "bytes": os.path.getsize(path),
            "baseline": baseline_name,
            "scan_cpu": min(map(cpu, scans)), "base_cpu": min(map(cpu, base)),
            "scan_wall": min(r["wall"] for r in scans), "base_wall": min(r["wall"] for r in base),
            "scan_user": min(r["user"] for r in scans), "scan_sys": min(r["sys"] for r in scans),
            "rss_kib": max(r["maxrss_kib"] for r in scans), "pages": scans[0]["pages"],
        }
        print("%-30s scan cpu %6.3f s (user %.3f sys %.3f) wall %6.3f | %-9s cpu %6.3f wall %6.3f"
              " | cpu ratio %.2f | RSS %d KiB"
              % (label, row["scan_cpu"], row["scan_user"], row["scan_sys"], row["scan_wall"],
                 baseline_name, row["base_cpu"], row["base_wall"],
                 row["scan_cpu"] / row["base_cpu"], row["rss_kib"]))
        return row


def parse_stat(line):
    out = {}
    for kv in line.split():
        k, v = kv.split("=")
        out[k] = float(v) if "." in v else int(v)
    return out


def plan_sizes(b, gib, kgib):
    """Shrink the big images when the disk is short: (gib, kgib)."""
    def bytes_needed(g, k):
        # raw + ELF of g GiB, ELF of k and 1 GiB, two kdump files (at most
        # the size of their ELF each)
        files = {"raw-%dg.img" % g: g, "elf-%dg.vmcore" % g: g, "elf-%dg.vmcore" % k: k,
                 "elf-1g.vmcore": 1, "elf-%dg.kdump-c" % k: k, "elf-%dg.kdump-l" % k: k}
        need = 0
        for name, size in files.items():
            p = b.path(name)
            have = os.path.getsize(p) if os.path.exists(p) else 0
            need += max(0, size * GIB + 64 * MIB - have)
        return need

    free = shutil.disk_usage(b.dir).free
    reserve = 2 * GIB                   # leave the machine some room
    want = gib
    while gib > 1 and bytes_needed(gib, kgib) + reserve > free:
        gib -= 1
    while kgib > 1 and bytes_needed(gib, kgib) + reserve > free:
        kgib -= 1
    if bytes_needed(gib, kgib) + reserve > free:
        raise BenchError("only %.1f GiB free in %s: not enough for even 1 GiB images"
                         % (free / GIB, b.dir))
    if gib != want:
        print("NOTE: only %.1f GiB free in %s: the large images are %d GiB, not %d "
              "(BENCH_GIB=%d); the figures are for smaller dumps than asked"
              % (free / GIB, b.dir, gib, want, want))
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    if 2 * gib * GIB > mem * 0.8:
        print("NOTE: %.1f GiB of RAM: the two %d GiB images may not both stay in the page "
              "cache; each is read once just before it is measured" % (mem / GIB, gib))
    return gib, kgib


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--gib", type=int, default=4, help="size of the raw and ELF images (GiB)")
    ap.add_argument("--kdump-gib", type=int, default=1, help="size of the ELF turned into kdump files")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each measurement (best counts)")
    ap.add_argument("--decode", help="the vmcsinfo-decode to measure (default BUILD/vmcsinfo-decode)")
    args = ap.parse_args()
    try:
        b = Bench(args)
        b.build_helpers()
        gib, kgib = plan_sizes(b, max(1, args.gib), max(1, args.kdump_gib))
        b.make_head()
        raw, raw_exp = b.image("raw", gib * GIB)
        # ELF vmcores: BENCH_GIB, the kdump files' source, and 1 GiB (for RSS).
        elfs = {g: b.image("elf", g * GIB) for g in sorted({gib, kgib, 1}, reverse=True)}
        kelf, kelf_exp = elfs[kgib]
        kdc = b.kdump(kelf, "-c")
        kdl = b.kdump(kelf, "-l")
        print()
        load = [loadavg()]
        rows = []
        rows.append(b.compare("a. raw image, %d GiB" % gib, raw, raw_exp, "cat", ["cat", raw]))
        for g, (elf, elf_exp) in elfs.items():
            rows.append(b.compare("%s ELF vmcore, %d GiB" % ("a." if g == gib else "  ", g),
                                  elf, elf_exp, "cat", ["cat", elf]))
        rows.append(b.compare("b. kdump -c (zlib) of %d GiB" % kgib, kdc, kelf_exp, "kdumpread",
                              [b.kdumpread, kdc]))
        rows.append(b.compare("b. kdump -l (lzo) of %d GiB" % kgib, kdl, kelf_exp, "kdumpread",
                              [b.kdumpread, kdl]))
    except BenchError as e:
        print("bench: %s" % e, file=sys.stderr)
        return 1
    load.append(loadavg())
    summary(rows, args.repeat, load)
    return 0


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def summary(rows, repeat, load):
    print()
    print("Summary: best of %d runs, files in the page cache, times in seconds." % repeat)
    print("cpu = user + sys of the process; wall = elapsed.  The ratios and 'met' use cpu")
    print("time: both sides are CPU-bound reads from the page cache, so on an idle machine")
    print("wall ~ cpu, and cpu does not count time lost to other processes (load average")
    print("%.2f / %.2f at start / end on %d CPUs%s)."
          % (load[0], load[1], os.cpu_count(),
             ": the wall figures are not to be trusted" if max(load) > 0.5 * os.cpu_count() else ""))
    hdr = "%-30s %8s %9s %9s %-11s %9s %9s %6s %6s %7s %s" % (
        "measurement", "file MiB", "scan cpu", "scan wall", "baseline", "cpu", "wall",
        "cpu x", "wall x", "goal", "met")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        goal = 1.0 if r["baseline"] == "cat" else 1.2
        ratio = r["scan_cpu"] / r["base_cpu"]
        print("%-30s %8.0f %9.3f %9.3f %-11s %9.3f %9.3f %6.2f %6.2f %7s %s" % (
            r["label"], r["bytes"] / MIB, r["scan_cpu"], r["scan_wall"], r["baseline"],
            r["base_cpu"], r["base_wall"], ratio, r["scan_wall"] / r["base_wall"],
            "<= %.1f" % goal, "yes" if ratio <= goal else "NO"))
    print()
    print("%-30s %8s %11s %9s" % ("peak RSS of scan", "file MiB", "memory MiB", "RSS MiB"))
    for r in rows:
        print("%-30s %8.0f %11.0f %9.1f" % (r["label"], r["bytes"] / MIB,
                                           r["pages"] * PAGE / MIB, r["rss_kib"] / 1024))
    rss = [r["rss_kib"] for r in rows]
    elf = {r["pages"]: r["rss_kib"] for r in rows if "ELF" in r["label"]}
    flat = max(elf.values()) - min(elf.values()) if len(elf) > 1 else 0
    print("goal <= 64 MiB: max %.1f MiB (%s); flat: ELF vmcores of %s MiB: %s MiB (%s)"
          % (max(rss) / 1024, "yes" if max(rss) <= 64 * 1024 else "NO",
             " and ".join("%.0f" % (p * PAGE / MIB) for p in sorted(elf)),
             " and ".join("%.1f" % (elf[p] / 1024) for p in sorted(elf)),
             "yes" if flat <= 2 * 1024 else "NO"))


if __name__ == "__main__":
    sys.exit(main())
