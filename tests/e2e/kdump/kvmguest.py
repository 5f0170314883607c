# SPDX-License-Identifier: GPL-2.0 OR MIT
"""The values tests/kvm-guest printed: one dict per "KVMGUEST k=v ..." line."""


def guests(path):
    out = []
    for line in open(path):
        if line.startswith("KVMGUEST "):
            kv = dict(w.split("=", 1) for w in line.split()[1:])
            out.append({k: int(v, 0) for k, v in kv.items()})
    return out
