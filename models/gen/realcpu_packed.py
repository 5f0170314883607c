#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Write models/realcpu-packed.model: an invented VMCS layout shaped like
what real Intel processors are publicly reported to do.

No real processor's layout is known to this project, and none is copied
here; nothing in this file comes from probe output.  The layout is built
by the fixed rule below, so that the probe and the decoders meet the
features that make real layouts hard:

  * 16-bit fields packed two to a dword, 32-bit fields in dwords, 64-bit
    and natural-width fields in (8-byte aligned) qwords;
  * fields of one width or type scattered over the region, with holes,
    instead of one table per kind (real layouts look irregular);
  * each guest segment's access rights kept in 16 bits of the dword that
    holds its selector, in a converted form with the reserved bits
    dropped, so (offset, width) cannot describe the field;
  * the current VMCS cached on chip (VMWRITEs reach memory at VMCLEAR),
    and the launch state somewhere other than offset 8.

The rule (the generated file repeats it in its header):
  1. Field set: a Skylake-class processor (FIELDS below; revision 0x04 is
     the identifier publicly reported for Skylake/Coffee Lake).
  2. Units.  Guest segment k (ES, CS, SS, DS, FS, GS, LDTR, TR) gets one
     dword: selector in bits 15:0, access rights in bits 31:16 stored as
     VMREAD bits 7:0 -> stored bits 7:0, VMREAD 15:12 -> stored 11:8,
     VMREAD 16 -> stored 12; VMREAD bits 11:8 and 31:17 read 0, stored
     bits 15:13 are unused.  The other 16-bit fields are shuffled and
     paired in that order, first of a pair in bits 15:0.  Every 32-bit
     field is a dword unit, every 64-bit or natural-width field a qword.
  3. All units are shuffled together.
  4. Placement: a cursor starts at byte 8; for each unit, skip
     4 * (r mod 3) bytes (r the next random number), round up to the
     unit's size, place the unit, advance past it.
  5. Launch state: the dword at region_size - 64.
  Random numbers: xorshift32 (x ^= x << 13; x ^= x >> 17; x ^= x << 5),
  seed SEED; shuffles are Fisher-Yates, j = r mod (i + 1) for i from the
  top down.

Usage: realcpu_packed.py [OUTPUT]   (default: ../realcpu-packed.model)
Python 3 standard library only.
"""

import os
import sys

REVISION = 0x04
REGION_SIZE = 4096
LAUNCH_STATE_OFFSET = REGION_SIZE - 64
SEED = 0x564D4353       # "VMCS"

# The encodings a Skylake-class processor is taken to support: the SDM's
# Appendix B fields for the features of that generation (VPID, EPT with
# A/D bits and #VE, unrestricted guest, APIC virtualisation and posted
# interrupts, VMCS shadowing, VM functions, PML, XSAVES, TSC scaling, SGX
# ENCLS exiting, MPX), without later ones: no tertiary controls, HLAT,
# IPI virtualisation (PID table), notify window, PKRS, CET, arch LBR,
# Intel PT in VMX (RTIT_CTL), SPP, ENCLV or PCONFIG exiting.  Encodings
# are Linux's enum vmcs_field (arch/x86/include/asm/vmx.h); the SDM-only
# ones Linux does not name are marked (SDM).
FIELDS = [
    (0x0000, "VIRTUAL_PROCESSOR_ID"),
    (0x0002, "POSTED_INTR_NV"),
    (0x0004, "EPTP_INDEX (SDM)"),
    (0x0800, "GUEST_ES_SELECTOR"),
    (0x0802, "GUEST_CS_SELECTOR"),
    (0x0804, "GUEST_SS_SELECTOR"),
    (0x0806, "GUEST_DS_SELECTOR"),
    (0x0808, "GUEST_FS_SELECTOR"),
    (0x080A, "GUEST_GS_SELECTOR"),
    (0x080C, "GUEST_LDTR_SELECTOR"),
    (0x080E, "GUEST_TR_SELECTOR"),
    (0x0810, "GUEST_INTR_STATUS"),
    (0x0812, "GUEST_PML_INDEX"),
    (0x0C00, "HOST_ES_SELECTOR"),
    (0x0C02, "HOST_CS_SELECTOR"),
    (0x0C04, "HOST_SS_SELECTOR"),
    (0x0C06, "HOST_DS_SELECTOR"),
    (0x0C08, "HOST_FS_SELECTOR"),
    (0x0C0A, "HOST_GS_SELECTOR"),
    (0x0C0C, "HOST_TR_SELECTOR"),
    (0x2000, "IO_BITMAP_A"),
    (0x2002, "IO_BITMAP_B"),
    (0x2004, "MSR_BITMAP"),
    (0x2006, "VM_EXIT_MSR_STORE_ADDR"),
    (0x2008, "VM_EXIT_MSR_LOAD_ADDR"),
    (0x200A, "VM_ENTRY_MSR_LOAD_ADDR"),
    (0x200C, "EXECUTIVE_VMCS_POINTER (SDM)"),
    (0x200E, "PML_ADDRESS"),
    (0x2010, "TSC_OFFSET"),
    (0x2012, "VIRTUAL_APIC_PAGE_ADDR"),
    (0x2014, "APIC_ACCESS_ADDR"),
    (0x2016, "POSTED_INTR_DESC_ADDR"),
    (0x2018, "VM_FUNCTION_CONTROL"),
    (0x201A, "EPT_POINTER"),
    (0x201C, "EOI_EXIT_BITMAP0"),
    (0x201E, "EOI_EXIT_BITMAP1"),
    (0x2020, "EOI_EXIT_BITMAP2"),
    (0x2022, "EOI_EXIT_BITMAP3"),
    (0x2024, "EPTP_LIST_ADDRESS"),
    (0x2026, "VMREAD_BITMAP"),
    (0x2028, "VMWRITE_BITMAP"),
    (0x202A, "VE_INFORMATION_ADDRESS"),
    (0x202C, "XSS_EXIT_BITMAP"),
    (0x202E, "ENCLS_EXITING_BITMAP"),
    (0x2032, "TSC_MULTIPLIER"),
    (0x2400, "GUEST_PHYSICAL_ADDRESS"),
    (0x2800, "VMCS_LINK_POINTER"),
    (0x2802, "GUEST_IA32_DEBUGCTL"),
    (0x2804, "GUEST_IA32_PAT"),
    (0x2806, "GUEST_IA32_EFER"),
    (0x2808, "GUEST_IA32_PERF_GLOBAL_CTRL"),
    (0x280A, "GUEST_PDPTR0"),
    (0x280C, "GUEST_PDPTR1"),
    (0x280E, "GUEST_PDPTR2"),
    (0x2810, "GUEST_PDPTR3"),
    (0x2812, "GUEST_BNDCFGS"),
    (0x2C00, "HOST_IA32_PAT"),
    (0x2C02, "HOST_IA32_EFER"),
    (0x2C04, "HOST_IA32_PERF_GLOBAL_CTRL"),
    (0x4000, "PIN_BASED_VM_EXEC_CONTROL"),
    (0x4002, "CPU_BASED_VM_EXEC_CONTROL"),
    (0x4004, "EXCEPTION_BITMAP"),
    (0x4006, "PAGE_FAULT_ERROR_CODE_MASK"),
    (0x4008, "PAGE_FAULT_ERROR_CODE_MATCH"),
    (0x400A, "CR3_TARGET_COUNT"),
    (0x400C, "VM_EXIT_CONTROLS"),
    (0x400E, "VM_EXIT_MSR_STORE_COUNT"),
    (0x4010, "VM_EXIT_MSR_LOAD_COUNT"),
    (0x4012, "VM_ENTRY_CONTROLS"),
    (0x4014, "VM_ENTRY_MSR_LOAD_COUNT"),
    (0x4016, "VM_ENTRY_INTR_INFO_FIELD"),
    (0x4018, "VM_ENTRY_EXCEPTION_ERROR_CODE"),
    (0x401A, "VM_ENTRY_INSTRUCTION_LEN"),
    (0x401C, "TPR_THRESHOLD"),
    (0x401E, "SECONDARY_VM_EXEC_CONTROL"),
    (0x4020, "PLE_GAP"),
    (0x4022, "PLE_WINDOW"),
    (0x4400, "VM_INSTRUCTION_ERROR"),
    (0x4402, "VM_EXIT_REASON"),
    (0x4404, "VM_EXIT_INTR_INFO"),
    (0x4406, "VM_EXIT_INTR_ERROR_CODE"),
    (0x4408, "IDT_VECTORING_INFO_FIELD"),
    (0x440A, "IDT_VECTORING_ERROR_CODE"),
    (0x440C, "VM_EXIT_INSTRUCTION_LEN"),
    (0x440E, "VMX_INSTRUCTION_INFO"),
    (0x4800, "GUEST_ES_LIMIT"),
    (0x4802, "GUEST_CS_LIMIT"),
    (0x4804, "GUEST_SS_LIMIT"),
    (0x4806, "GUEST_DS_LIMIT"),
    (0x4808, "GUEST_FS_LIMIT"),
    (0x480A, "GUEST_GS_LIMIT"),
    (0x480C, "GUEST_LDTR_LIMIT"),
    (0x480E, "GUEST_TR_LIMIT"),
    (0x4810, "GUEST_GDTR_LIMIT"),
    (0x4812, "GUEST_IDTR_LIMIT"),
    (0x4814, "GUEST_ES_AR_BYTES"),
    (0x4816, "GUEST_CS_AR_BYTES"),
    (0x4818, "GUEST_SS_AR_BYTES"),
    (0x481A, "GUEST_DS_AR_BYTES"),
    (0x481C, "GUEST_FS_AR_BYTES"),
    (0x481E, "GUEST_GS_AR_BYTES"),
    (0x4820, "GUEST_LDTR_AR_BYTES"),
    (0x4822, "GUEST_TR_AR_BYTES"),
    (0x4824, "GUEST_INTERRUPTIBILITY_INFO"),
    (0x4826, "GUEST_ACTIVITY_STATE"),
    (0x4828, "GUEST_SMBASE (SDM)"),
    (0x482A, "GUEST_SYSENTER_CS"),
    (0x482E, "VMX_PREEMPTION_TIMER_VALUE"),
    (0x4C00, "HOST_IA32_SYSENTER_CS"),
    (0x6000, "CR0_GUEST_HOST_MASK"),
    (0x6002, "CR4_GUEST_HOST_MASK"),
    (0x6004, "CR0_READ_SHADOW"),
    (0x6006, "CR4_READ_SHADOW"),
    (0x6008, "CR3_TARGET_VALUE0"),
    (0x600A, "CR3_TARGET_VALUE1"),
    (0x600C, "CR3_TARGET_VALUE2"),
    (0x600E, "CR3_TARGET_VALUE3"),
    (0x6400, "EXIT_QUALIFICATION"),
    (0x6402, "IO_RCX (SDM)"),
    (0x6404, "IO_RSI (SDM)"),
    (0x6406, "IO_RDI (SDM)"),
    (0x6408, "IO_RIP (SDM)"),
    (0x640A, "GUEST_LINEAR_ADDRESS"),
    (0x6800, "GUEST_CR0"),
    (0x6802, "GUEST_CR3"),
    (0x6804, "GUEST_CR4"),
    (0x6806, "GUEST_ES_BASE"),
    (0x6808, "GUEST_CS_BASE"),
    (0x680A, "GUEST_SS_BASE"),
    (0x680C, "GUEST_DS_BASE"),
    (0x680E, "GUEST_FS_BASE"),
    (0x6810, "GUEST_GS_BASE"),
    (0x6812, "GUEST_LDTR_BASE"),
    (0x6814, "GUEST_TR_BASE"),
    (0x6816, "GUEST_GDTR_BASE"),
    (0x6818, "GUEST_IDTR_BASE"),
    (0x681A, "GUEST_DR7"),
    (0x681C, "GUEST_RSP"),
    (0x681E, "GUEST_RIP"),
    (0x6820, "GUEST_RFLAGS"),
    (0x6822, "GUEST_PENDING_DBG_EXCEPTIONS"),
    (0x6824, "GUEST_SYSENTER_ESP"),
    (0x6826, "GUEST_SYSENTER_EIP"),
    (0x6C00, "HOST_CR0"),
    (0x6C02, "HOST_CR3"),
    (0x6C04, "HOST_CR4"),
    (0x6C06, "HOST_FS_BASE"),
    (0x6C08, "HOST_GS_BASE"),
    (0x6C0A, "HOST_TR_BASE"),
    (0x6C0C, "HOST_GDTR_BASE"),
    (0x6C0E, "HOST_IDTR_BASE"),
    (0x6C10, "HOST_IA32_SYSENTER_ESP"),
    (0x6C12, "HOST_IA32_SYSENTER_EIP"),
    (0x6C14, "HOST_RSP"),
    (0x6C16, "HOST_RIP"),
]

GUEST_SELECTOR_BASE = 0x0800    # ES..TR selectors: 0x0800 + 2k
GUEST_AR_BASE = 0x4814          # ES..TR access rights: 0x4814 + 2k
NR_GUEST_SEGMENTS = 8


class XorShift32:
    def __init__(self, seed):
        self.x = seed & 0xFFFFFFFF

    def next(self):
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return x


def shuffle(items, rng):
    for i in range(len(items) - 1, 0, -1):
        j = rng.next() % (i + 1)
        items[i], items[j] = items[j], items[i]


def width_bytes(enc):
    return {0: 2, 1: 8, 2: 4, 3: 8}[(enc >> 13) & 3]


def is_readonly(enc):
    return (enc >> 10) & 3 == 1


def ar_runs(byte):
    """Access rights kept in the 16 bits starting at region byte BYTE."""
    return ("0-7:%d.0,8-11:0,12-15:%d.0,16:%d.4,17-31:0"
            % (byte, byte + 1, byte + 1))


def build_units(rng):
    """Units are (size, [(enc, role)]) with role 'lo', 'hi', 'ar' or 'all'."""
    names = dict(FIELDS)
    if len(names) != len(FIELDS):
        sys.exit("duplicate encoding in FIELDS")
    segment_encs = set()
    units = []
    for k in range(NR_GUEST_SEGMENTS):
        sel, ar = GUEST_SELECTOR_BASE + 2 * k, GUEST_AR_BASE + 2 * k
        if sel not in names or ar not in names:
            sys.exit("guest segment %d incomplete" % k)
        segment_encs.update((sel, ar))
        units.append((4, [(sel, "lo"), (ar, "ar")]))

    halves = [e for e, _ in FIELDS
              if width_bytes(e) == 2 and e not in segment_encs]
    shuffle(halves, rng)
    if len(halves) % 2:
        sys.exit("odd number of unpaired 16-bit fields")
    for i in range(0, len(halves), 2):
        units.append((4, [(halves[i], "lo"), (halves[i + 1], "hi")]))

    for enc, _ in FIELDS:
        if enc in segment_encs or width_bytes(enc) == 2:
            continue
        units.append((width_bytes(enc), [(enc, "all")]))
    shuffle(units, rng)
    return units


def place(units, rng):
    """Return {enc: directive text} and the end of the last unit."""
    where = {}
    cursor = 8
    for size, members in units:
        cursor += 4 * (rng.next() % 3)
        cursor = (cursor + size - 1) // size * size
        for enc, role in members:
            if role == "lo":
                where[enc] = "plain %d 2" % cursor
            elif role == "hi":
                where[enc] = "plain %d 2" % (cursor + 2)
            elif role == "ar":
                where[enc] = "bits " + ar_runs(cursor + 2)
            else:
                where[enc] = "plain %d %d" % (cursor, size)
        cursor += size
    return where, cursor


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..",
        "realcpu-packed.model")
    rng = XorShift32(SEED)
    units = build_units(rng)
    where, end = place(units, rng)
    if end > LAUNCH_STATE_OFFSET:
        sys.exit("fields run into the launch state (end %d)" % end)
    vmcs_enum = max((e >> 1) & 0x1FF for e, _ in FIELDS) << 1

    lines = []
    w = lines.append
    w("# realcpu-packed: an INVENTED layout shaped like public reports about")
    w("# real Intel VMX processors.  Generated by models/gen/realcpu_packed.py")
    w("# (its docstring holds the full rule); do not edit.  It is not the")
    w("# layout of any real processor and was not derived from probe output.")
    w("#")
    w("# Public reports it follows (collected in the project's prior-art")
    w("# notes): revision 0x04 on Skylake/Coffee Lake; 16-bit fields packed")
    w("# two to a dword; since Haswell the guest segment access rights kept,")
    w("# converted and without their reserved bits, in 16 bits of the dword")
    w("# that holds the selector; the current VMCS cached on chip, so")
    w("# VMWRITEs may reach memory only at VMCLEAR.  vmwrite_any: assumed, as")
    w("# on processors with VMCS shadowing (Linux KVM will not use shadow")
    w("# VMCSs unless IA32_VMX_MISC[29] is set).  The rest is made up:")
    w("# - fields: a Skylake-class set (%d encodings; no tertiary controls,"
      % len(FIELDS))
    w("#   HLAT, IPI virtualisation, notify window, PKRS, CET, arch LBR,")
    w("#   RTIT_CTL, SPP, ENCLV/PCONFIG exiting); encodings from Linux")
    w("#   arch/x86/include/asm/vmx.h (torvalds/linux @ d51b9d81f788, v6.15-rc6)")
    w("#   plus SDM Appendix B for EPTP_INDEX, EXECUTIVE_VMCS_POINTER,")
    w("#   GUEST_SMBASE and IO_RCX/RSI/RDI/RIP, which Linux does not name;")
    w("# - guest segment k: one dword, selector in bits 15:0, access rights in")
    w("#   bits 31:16 as VMREAD 7:0 -> 7:0, VMREAD 15:12 -> 11:8, VMREAD 16")
    w("#   -> 12 (VMREAD 11:8 and 31:17 read 0; stored bits 15:13 unused);")
    w("# - other 16-bit fields shuffled and paired into dwords; 32-bit fields")
    w("#   in dwords; 64-bit and natural-width fields in aligned qwords;")
    w("# - all units shuffled together, placed from byte 8 with a hole of")
    w("#   0, 4 or 8 bytes before each (xorshift32, seed 0x%08x);" % SEED)
    w("#   the last unit ends at byte %d;" % end)
    w("# - launch state: the dword at region_size - 64 = %d;"
      % LAUNCH_STATE_OFFSET)
    w("# - every field but the access rights stored plainly; read-only (type")
    w("#   1) fields 'ro'; IA32_VMX_VMCS_ENUM = highest index << 1.")
    w("# signature and microcode 0: the model stands for no particular part.")
    w("")
    w("name realcpu-packed")
    w("revision 0x%02x" % REVISION)
    w("region_size %d" % REGION_SIZE)
    w("signature 0")
    w("microcode 0")
    w("vmwrite_any yes")
    w("cache yes")
    w("launch_state %d 4" % LAUNCH_STATE_OFFSET)
    w("msr 0x48a 0x%x                 # IA32_VMX_VMCS_ENUM" % vmcs_enum)
    w("")
    for enc, name in sorted(FIELDS):
        ro = " ro" if is_readonly(enc) else ""
        text = "field 0x%04x%s %s" % (enc, ro, where[enc])
        w("%-34s # %s" % (text, name) if len(text) < 34
          else "%s  # %s" % (text, name))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
