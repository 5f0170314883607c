#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""The crash extension on the kdump dump: `extend vmcsinfo.so`, then
`vmcs -l`, `vmcs -s` and `vmcs ADDR` through crash's -i command file, with
Debian's debuginfo vmlinux.  The layout must be the dump's VMCSINFO note,
the scan must list every vCPU with the registers kvm-guest set, and the
decode of one VMCS must give that vCPU's RIP and RSP.

Prints one "PASS name detail" / "FAIL name: reason" line per check.
"""
import argparse
import re
import subprocess
import sys
import tempfile

from kvmguest import guests




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vmlinux", required=True)
    ap.add_argument("--ext", required=True)
    ap.add_argument("--guests", required=True)
    ap.add_argument("--note-paddr", type=lambda s: int(s, 16), required=True)
    ap.add_argument("--vmcs", type=lambda s: int(s, 0), required=True,
                    help="physical address of vCPU 0 of VM 0's VMCS")
    ap.add_argument("dump")
    a = ap.parse_args()
    want = guests(a.guests)
    ok = True

    def result(name, good, detail):
        nonlocal ok
        ok &= good
        print(("PASS crash/%s %s" if good else "FAIL crash/%s: %s") % (name, detail))

    with tempfile.NamedTemporaryFile("w", suffix=".crash") as cmds:
        cmds.write(f"extend {a.ext}\nvmcs -l\necho VMCS-SCAN\nvmcs -s\n"
                   f"echo VMCS-DECODE\nvmcs {a.vmcs:x}\nexit\n")
        cmds.flush()
        p = subprocess.run(["crash", "-s", a.vmlinux, a.dump, "-i", cmds.name],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=600)
    out = p.stdout.decode(errors="replace")
    result("start", p.returncode == 0 and "shared object loaded" in out,
           f"exit {p.returncode}, extension loaded: {'shared object loaded' in out}")
    layout, _, rest = out.partition("VMCS-SCAN")
    scan, _, decode = rest.partition("VMCS-DECODE")
    result("layout", f"VMCSINFO note at physical address {a.note_paddr:#x}" in layout
           and re.search(r"^revision id +0x0000002b$", layout, re.M) is not None
           and re.search(r"^0x0000681e +GUEST_RIP +0x[0-9a-f]+ +8", layout, re.M) is not None,
           "vmcs -l prints the note's layout (revision 0x2b, GUEST_RIP plain 8 bytes)")
    for g in want:
        line = (f"GUEST_RIP {g['rip']:#x}  GUEST_RSP {g['rsp']:#x}  "
                f"GUEST_CR3 {g['cr3']:#x}")
        result(f"scan-vm{g['vm']}-vcpu{g['vcpu']}", line in scan,
               f"vmcs -s lists {line}")
    g0 = [g for g in want if g["vm"] == 0 and g["vcpu"] == 0][0]
    rip = re.search(r"^\s*GUEST_RIP\s+(0x[0-9a-f]+)", decode, re.M)
    rsp = re.search(r"^\s*GUEST_RSP\s+(0x[0-9a-f]+)", decode, re.M)
    result("decode", "a VMCS" in decode and rip and rsp and
           int(rip.group(1), 16) == g0["rip"] and int(rsp.group(1), 16) == g0["rsp"],
           f"vmcs {a.vmcs:x}: GUEST_RIP {rip and rip.group(1)} GUEST_RSP {rsp and rsp.group(1)}, "
           f"kvm-guest set {g0['rip']:#x} {g0['rsp']:#x}")
    if not ok:
        sys.stderr.write(out[-3000:])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
