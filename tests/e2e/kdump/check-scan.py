#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""The project's own answer on the kdump dumps: `vmcsinfo-decode scan --json`
on the ELF vmcore and on makedumpfile's zlib and lzo files must find every
KVM vCPU's VMCS and report the registers kvm-guest set (its KVMGUEST
lines, printed in the emulated host before the panic); with the module
loaded, through the dump's VMCSINFO note, without it through the layout
database's Bochs 2.7 entry.  Each vCPU must be matched to exactly one
VMCS, and vCPUs of one VM must be grouped into one VM, different VMs apart.

Prints one "PASS name detail" / "FAIL name: reason" line per check.
"""
import argparse
import json
import re
import subprocess
import sys

from kvmguest import guests

# KVMGUEST key -> (VMCS field, how the VMCS holds it)
FIELDS = {
    "rip": "GUEST_RIP", "rsp": "GUEST_RSP", "rflags": "GUEST_RFLAGS",
    "cr3": "GUEST_CR3", "cs": "GUEST_CS_SELECTOR", "ss": "GUEST_SS_SELECTOR",
    "ds": "GUEST_DS_SELECTOR", "es": "GUEST_ES_SELECTOR",
    "fs": "GUEST_FS_SELECTOR", "gs": "GUEST_GS_SELECTOR",
    "cs_base": "GUEST_CS_BASE", "ss_base": "GUEST_SS_BASE",
    # KVM keeps the guest's own view of CR0/CR4 in the read shadows
    "cr0": "CR0_READ_SHADOW", "cr4": "CR4_READ_SHADOW",
}




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--decode", required=True)
    ap.add_argument("--guests", required=True)
    ap.add_argument("--with-module", action="store_true")
    ap.add_argument("--note-paddr", type=lambda s: int(s, 16))
    ap.add_argument("dumps", nargs="+")
    a = ap.parse_args()
    want = guests(a.guests)
    ok = True

    def result(name, good, detail):
        nonlocal ok
        ok &= good
        print(("PASS %s %s" if good else "FAIL %s: %s") % (name, detail))

    result("scan/guests", len(want) >= 2, f"{len(want)} vCPUs printed by kvm-guest")
    for dump in a.dumps:
        tag = "scan/" + dump.rsplit("/", 1)[-1]
        if dump.endswith(".json"):
            # what the command printed elsewhere (in the emulated host)
            try:
                r = json.loads(open(dump).read())
            except ValueError as e:
                result(tag, False, f"not the JSON of a scan: {e}")
                continue
        else:
            p = subprocess.run([a.decode, "scan", "--json", dump], capture_output=True)
            if p.returncode != 0:
                result(tag, False, f"exit {p.returncode}: {p.stderr.decode().strip()}")
                continue
            r = json.loads(p.stdout)
        notes = r.get("notes", [])
        if a.with_module:
            good = (len(notes) == 1 and notes[0]["revision_id"] == 0x2b and
                    (a.note_paddr is None or notes[0]["paddr"] == a.note_paddr))
            result(tag + "/note", good, f"notes {[(hex(n['paddr']), hex(n['revision_id'])) for n in notes]}"
                   f", /sys/kernel/vmcsinfo said {a.note_paddr and hex(a.note_paddr)}")
        else:
            result(tag + "/no-note", notes == [], f"{len(notes)} VMCSINFO notes (module not loaded)")
        vmcs = r.get("vmcs", [])
        result(tag + "/count", len(vmcs) == len(want),
               f"{len(vmcs)} VMCSs accepted for {len(want)} vCPUs")
        layouts = {v.get("layout", "") for v in vmcs}
        if a.with_module:
            good = all("note" in l for l in layouts)
        else:
            good = all("bochs-2.7" in l or "Bochs 2.7" in l for l in layouts)
        result(tag + "/layout", good and bool(layouts), f"layouts used: {sorted(layouts)}")
        vm_of = {}
        for g in want:
            name = f"{tag}/vm{g['vm']}-vcpu{g['vcpu']}"
            match = [v for v in vmcs
                     if all(v["fields"].get(f) == g[k] for k, f in FIELDS.items())]
            if len(match) != 1:
                near = [v for v in vmcs if v["fields"].get("GUEST_RIP") == g["rip"]]
                diff = ""
                if near:
                    diff = ", ".join(f"{f}={near[0]['fields'].get(f)!r} want {g[k]:#x}"
                                     for k, f in FIELDS.items()
                                     if near[0]["fields"].get(f) != g[k])
                result(name, False, f"{len(match)} VMCSs carry all its registers {diff}")
                continue
            v = match[0]
            vm_of[(g["vm"], g["vcpu"])] = v["vm"]
            result(name, True, f"VMCS at {v['paddr']:#x}: " +
                   " ".join(f"{k}={g[k]:#x}" for k in ("rip", "rsp", "rflags", "cr0", "cr3", "cr4", "cs", "ss")))
        vms = {}
        for (gvm, _), svm in vm_of.items():
            vms.setdefault(gvm, set()).add(svm)
        good = (all(len(s) == 1 for s in vms.values()) and
                len({next(iter(s)) for s in vms.values()}) == len(vms))
        result(tag + "/grouping", good and len(vm_of) == len(want),
               f"kvm-guest VM -> scan VM: { {k: sorted(s) for k, s in vms.items()} }")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
