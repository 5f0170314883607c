#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""For every model: `vmcsinfo-sim MODEL | vmcsinfo-decode layout --json -`
must describe exactly the layout the model file defines.

The expected layout is computed here from the model file by a parser of
its own (written from docs/model-format.md), not from any probe output.
"""
import argparse
import json
import subprocess
import sys

CONST0, CONST1 = -1, -2
MAX_PASSES = 100


def enc_bits(enc):
    width = (enc >> 13) & 3
    if width == 0:
        return 16
    if width == 2:
        return 32
    return 32 if enc & 1 else 64


def parse_model(path):
    m = {"region_size": 4096, "launch": None, "vmwrite_any": False,
         "fields": {}, "revision": None}
    for raw in open(path):
        line = raw.split("#", 1)[0].split()
        if not line:
            continue
        word, args = line[0], line[1:]
        if word == "revision":
            m["revision"] = int(args[0], 0)
        elif word == "region_size":
            m["region_size"] = int(args[0], 0)
        elif word == "vmwrite_any":
            m["vmwrite_any"] = args[0] == "yes"
        elif word == "launch_state":
            m["launch"] = None if args[0] == "none" else (int(args[0], 0), int(args[1], 0))
        elif word == "field":
            enc = int(args[0], 0)
            ro = args[1] == "ro"
            rest = args[2:] if ro else args[1:]
            nbits = enc_bits(enc)
            fmap = [CONST0] * nbits
            if rest[0] == "plain":
                off = int(rest[1], 0)
                size = int(rest[2], 0) if len(rest) > 2 else nbits // 8
                for i in range(size * 8):
                    fmap[i] = off * 8 + i
            elif rest[0] == "bits":
                for run in rest[1].split(","):
                    bits, target = run.split(":")
                    lo, _, hi = bits.partition("-")
                    lo = int(lo, 0)
                    hi = int(hi, 0) if hi else lo
                    for k, i in enumerate(range(lo, hi + 1)):
                        if target == "0":
                            fmap[i] = CONST0
                        elif target == "1":
                            fmap[i] = CONST1
                        else:
                            byte, bit = target.split(".")
                            fmap[i] = int(byte, 0) * 8 + int(bit, 0) + k
            else:
                raise ValueError(f"{path}: unknown storage {rest[0]}")
            m["fields"][enc] = (fmap, ro)
            if (enc >> 13) & 3 == 1:        # 64-bit: the _HIGH half exists
                m["fields"][enc | 1] = (fmap[32:64], ro)
    return m


def plain(fmap):
    base = fmap[0]
    if base < 0 or base % 8:
        return None
    n = 0
    while n < len(fmap) and fmap[n] == base + n:
        n += 1
    if n % 8 or any(x != CONST0 for x in fmap[n:]):
        return None
    return base // 8, n // 8


def expected_json(m):
    fields = []
    for enc in sorted(m["fields"]):
        fmap, ro = m["fields"][enc]
        f = {"encoding": enc, "width": len(fmap), "map": fmap,
             "readonly": ro and not m["vmwrite_any"]}
        p = plain(fmap)
        if p:
            f["offset"], f["size"] = p
        fields.append(f)
    return {"revision_id": m["revision"], "region_size": m["region_size"],
            "launch_state_offset": m["launch"][0] if m["launch"] else None,
            "fields": fields}


def compare(model_path, got, want):
    errors = []
    for key in ("revision_id", "region_size", "launch_state_offset"):
        if got.get(key) != want[key]:
            errors.append(f"{key}: got {got.get(key)}, model says {want[key]}")
    gf = {f["encoding"]: f for f in got["fields"]}
    wf = {f["encoding"]: f for f in want["fields"]}
    for enc in sorted(set(gf) | set(wf)):
        if enc not in gf:
            errors.append(f"field 0x{enc:x}: in the model, not found by the probe")
            continue
        if enc not in wf:
            errors.append(f"field 0x{enc:x}: found by the probe, not in the model")
            continue
        g, w = gf[enc], wf[enc]
        for key in ("width", "offset", "size", "readonly"):
            if g.get(key) != w.get(key):
                errors.append(f"field 0x{enc:x} {key}: got {g.get(key)}, model says {w.get(key)}")
        if g["map"] != w["map"]:
            bad = [i for i in range(max(len(g["map"]), len(w["map"])))
                   if g["map"][i:i + 1] != w["map"][i:i + 1]]
            errors.append(f"field 0x{enc:x}: bit map differs at VMREAD bits {bad[:8]}")
        if g.get("mismatch"):
            errors.append(f"field 0x{enc:x}: read and write methods disagree")
        if not g.get("write_checked") and not w["readonly"] and not enc & 1:
            errors.append(f"field 0x{enc:x}: writable but not checked by the write method")
    if not (got.get("read_method") and got.get("write_method")):
        errors.append("both probe methods must have run")
    if got.get("mismatches"):
        errors.append(f"{got['mismatches']} mismatched bits")
    passes = got["counts"]["vmptrld"]
    if not 10 <= passes <= MAX_PASSES:
        errors.append(f"{passes} VMPTRLD passes, expected tens (at most {MAX_PASSES})")
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", help="vmcsinfo-sim: probe each model on the simulator")
    ap.add_argument("--note", help="instead, compare this note (e.g. from the module "
                    "under Bochs) with the one model given")
    ap.add_argument("--decode", required=True)
    ap.add_argument("models", nargs="+")
    a = ap.parse_args()
    if bool(a.sim) == bool(a.note) or (a.note and len(a.models) != 1):
        ap.error("give --sim with models, or --note with one model")
    passed = failed = 0
    for path in a.models:
        if a.note:
            with open(a.note, "rb") as fp:
                note = fp.read()
        else:
            sim = subprocess.run([a.sim, path], capture_output=True)
            if sim.returncode:
                print(f"FAIL {path}: vmcsinfo-sim exited {sim.returncode}: "
                      f"{sim.stderr.decode().strip()}")
                failed += 1
                continue
            note = sim.stdout
        dec = subprocess.run([a.decode, "layout", "--json", "-"], input=note,
                             capture_output=True)
        if dec.returncode:
            print(f"FAIL {path}: vmcsinfo-decode exited {dec.returncode}: {dec.stderr.decode().strip()}")
            failed += 1
            continue
        got = json.loads(dec.stdout)
        want = expected_json(parse_model(path))
        errors = compare(path, got, want)
        c = got["counts"]
        if errors:
            failed += 1
            print(f"FAIL {path}: {len(errors)} differences")
            for e in errors[:20]:
                print(f"     {e}")
        else:
            passed += 1
            print(f"ok   {path}: {len(want['fields'])} fields equal the model bit for bit; "
                  f"VMPTRLD {c['vmptrld']}, VMREAD {c['vmread']}, VMWRITE {c['vmwrite']}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
