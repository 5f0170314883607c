#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Write the simulated-CPU model files for Bochs 2.7's VMX.

Usage:  python3 models/gen/bochs27.py [OUTPUT_DIR]     (default: models/)

The rules below restate, as data, what Bochs 2.7 (git tag REL_2_7_FINAL)
does; no Bochs code is copied.  models/README-bochs.md names the source of
every fact.  The model files this script writes are committed: nothing
else needs to run it.
"""

import os
import sys

BOCHS_TAG = "REL_2_7_FINAL"

# ---------------------------------------------------------------------------
# Region layout (bochs/cpu/vmcs.cc: VMCS_Mapping::init_generic_mapping;
# bochs/cpu/vmx.h: VMCS_DATA_OFFSET, VMCS_FIELD, VMCS_FIELD_INDEX).
#
# Every encoding, the _HIGH ones included, owns a 4-byte slot.  Slots are
# grouped in 16 blocks of 64 slots, one block per (width, type) pair, block
# number width * 4 + type; inside a block the slot number is the encoding's
# bits 9:0 (index and access type together).  Data start at byte 16.
# ---------------------------------------------------------------------------
DATA_OFFSET = 0x10
SLOT_BYTES = 4
SLOTS_PER_BLOCK = 64
REGION_SIZE = 4096          # vmx.h: VMX_VMCS_AREA_SIZE
REVISION = 0x2B             # vmx.h: BX_VMX_VMCS_REVISION_ID
LAUNCH_STATE_OFFSET = 8     # vmcs.cc: VMCS_LAUNCH_STATE_FIELD_ADDR
LAUNCH_STATE_SIZE = 4       # vmx.cc: VMCLEAR writes a 32-bit 0

W16, W64, W32, WNAT = 0, 1, 2, 3
T_CTRL, T_RO, T_GUEST, T_HOST = 0, 1, 2, 3


def enc_width(enc):
    return (enc >> 13) & 3


def enc_type(enc):
    return (enc >> 10) & 3


def slot_offset(enc):
    """Byte offset of an encoding's slot in the region."""
    block = enc_width(enc) * 4 + enc_type(enc)
    return DATA_OFFSET + (block * SLOTS_PER_BLOCK + (enc & 0x3FF)) * SLOT_BYTES


# Bytes VMREAD reads (and VMWRITE writes) at the slot offset, by width:
# vmx.cc vmread()/vmwrite() call VMread16/32/64 and VMwrite16/32/64; the
# natural width is 64 bits in an x86-64 build.
STORE_BYTES = {W16: 2, W32: 4, W64: 8, WNAT: 8}

# Guest segment access-rights fields get the VMCS_AR_ROTATE conversion
# (vmx.cc: vmread/vmwrite, vmx_pack_ar_field/vmx_unpack_ar_field,
# rotate_l/rotate_r).  VMWRITE stores the value rotated left by 8 in the
# 4-byte slot, VMREAD rotates it right by 8: VMREAD bit i is slot bit
# (i + 8) mod 32.
AR_FIRST, AR_LAST = 0x4814, 0x4822

# ---------------------------------------------------------------------------
# Which encodings exist (vmcs.cc: BX_CPU_C::vmcs_field_supported, applied
# once by BX_CPU_C::init_VMCS).  Full encodings only: every 64-bit case
# there lists the _HIGH encoding next to the full one under the same
# condition, so the _HIGH halves follow from the full ones.
#
# A condition is None (always) or a tuple:
#   ("vmx", FEATURE)   the model's VMX feature bitmask has FEATURE
#   ("isa", FEATURE)   the model enables that ISA extension
#   ("tpr_lm",)        VMX TPR_SHADOW and ISA LONG_MODE
#   ("ctrl2",)         some secondary processor-based control is supported
#   ("vmfunc",)        some VM function is supported
# ---------------------------------------------------------------------------
ALWAYS = None

FIELDS = [
    # 16-bit control
    (0x0000, "VIRTUAL_PROCESSOR_ID", ("vmx", "VPID")),
    (0x0004, "EPTP_INDEX", ("vmx", "EPT_EXCEPTION")),
    # 16-bit guest state
    (0x0800, "GUEST_ES_SELECTOR", ALWAYS),
    (0x0802, "GUEST_CS_SELECTOR", ALWAYS),
    (0x0804, "GUEST_SS_SELECTOR", ALWAYS),
    (0x0806, "GUEST_DS_SELECTOR", ALWAYS),
    (0x0808, "GUEST_FS_SELECTOR", ALWAYS),
    (0x080A, "GUEST_GS_SELECTOR", ALWAYS),
    (0x080C, "GUEST_LDTR_SELECTOR", ALWAYS),
    (0x080E, "GUEST_TR_SELECTOR", ALWAYS),
    (0x0810, "GUEST_INTR_STATUS", ("vmx", "VINTR_DELIVERY")),
    (0x0812, "GUEST_PML_INDEX", ("vmx", "PML")),
    # 16-bit host state
    (0x0C00, "HOST_ES_SELECTOR", ALWAYS),
    (0x0C02, "HOST_CS_SELECTOR", ALWAYS),
    (0x0C04, "HOST_SS_SELECTOR", ALWAYS),
    (0x0C06, "HOST_DS_SELECTOR", ALWAYS),
    (0x0C08, "HOST_FS_SELECTOR", ALWAYS),
    (0x0C0A, "HOST_GS_SELECTOR", ALWAYS),
    (0x0C0C, "HOST_TR_SELECTOR", ALWAYS),
    # 64-bit control
    (0x2000, "IO_BITMAP_A", ALWAYS),
    (0x2002, "IO_BITMAP_B", ALWAYS),
    (0x2004, "MSR_BITMAP", ALWAYS),
    (0x2006, "VM_EXIT_MSR_STORE_ADDR", ALWAYS),
    (0x2008, "VM_EXIT_MSR_LOAD_ADDR", ALWAYS),
    (0x200A, "VM_ENTRY_MSR_LOAD_ADDR", ALWAYS),
    (0x200C, "EXECUTIVE_VMCS_POINTER", ALWAYS),
    (0x200E, "PML_ADDRESS", ("vmx", "PML")),
    (0x2010, "TSC_OFFSET", ALWAYS),
    (0x2012, "VIRTUAL_APIC_PAGE_ADDR", ("tpr_lm",)),
    (0x2014, "APIC_ACCESS_ADDR", ("vmx", "APIC_VIRTUALIZATION")),
    (0x2018, "VM_FUNCTION_CONTROL", ("vmfunc",)),
    (0x201A, "EPT_POINTER", ("vmx", "EPT")),
    (0x201C, "EOI_EXIT_BITMAP0", ("vmx", "VINTR_DELIVERY")),
    (0x201E, "EOI_EXIT_BITMAP1", ("vmx", "VINTR_DELIVERY")),
    (0x2020, "EOI_EXIT_BITMAP2", ("vmx", "VINTR_DELIVERY")),
    (0x2022, "EOI_EXIT_BITMAP3", ("vmx", "VINTR_DELIVERY")),
    (0x2024, "EPTP_LIST_ADDRESS", ("vmx", "EPTP_SWITCHING")),
    (0x2026, "VMREAD_BITMAP", ("vmx", "VMCS_SHADOWING")),
    (0x2028, "VMWRITE_BITMAP", ("vmx", "VMCS_SHADOWING")),
    (0x202A, "VE_INFORMATION_ADDRESS", ("vmx", "EPT_EXCEPTION")),
    (0x202C, "XSS_EXIT_BITMAP", ("isa", "XSAVES")),
    (0x2030, "SPP_TABLE_POINTER", ("vmx", "SPP")),
    (0x2032, "TSC_MULTIPLIER", ("vmx", "TSC_SCALING")),
    # 64-bit read-only data
    (0x2400, "GUEST_PHYSICAL_ADDRESS", ("vmx", "EPT")),
    # 64-bit guest state
    (0x2800, "VMCS_LINK_POINTER", ALWAYS),
    (0x2802, "GUEST_IA32_DEBUGCTL", ALWAYS),
    (0x2804, "GUEST_IA32_PAT", ("vmx", "PAT")),
    (0x2806, "GUEST_IA32_EFER", ("vmx", "EFER")),
    (0x2808, "GUEST_IA32_PERF_GLOBAL_CTRL", ("vmx", "PERF_GLOBAL_CTRL")),
    (0x280A, "GUEST_PDPTR0", ("vmx", "EPT")),
    (0x280C, "GUEST_PDPTR1", ("vmx", "EPT")),
    (0x280E, "GUEST_PDPTR2", ("vmx", "EPT")),
    (0x2810, "GUEST_PDPTR3", ("vmx", "EPT")),
    (0x2818, "GUEST_IA32_PKRS", ("isa", "PKS")),
    # 64-bit host state
    (0x2C00, "HOST_IA32_PAT", ("vmx", "PAT")),
    (0x2C02, "HOST_IA32_EFER", ("vmx", "EFER")),
    (0x2C04, "HOST_IA32_PERF_GLOBAL_CTRL", ("vmx", "PERF_GLOBAL_CTRL")),
    (0x2C06, "HOST_IA32_PKRS", ("isa", "PKS")),
    # 32-bit control
    (0x4000, "PIN_BASED_VM_EXEC_CONTROL", ALWAYS),
    (0x4002, "CPU_BASED_VM_EXEC_CONTROL", ALWAYS),
    (0x4004, "EXCEPTION_BITMAP", ALWAYS),
    (0x4006, "PAGE_FAULT_ERROR_CODE_MASK", ALWAYS),
    (0x4008, "PAGE_FAULT_ERROR_CODE_MATCH", ALWAYS),
    (0x400A, "CR3_TARGET_COUNT", ALWAYS),
    (0x400C, "VM_EXIT_CONTROLS", ALWAYS),
    (0x400E, "VM_EXIT_MSR_STORE_COUNT", ALWAYS),
    (0x4010, "VM_EXIT_MSR_LOAD_COUNT", ALWAYS),
    (0x4012, "VM_ENTRY_CONTROLS", ALWAYS),
    (0x4014, "VM_ENTRY_MSR_LOAD_COUNT", ALWAYS),
    (0x4016, "VM_ENTRY_INTR_INFO_FIELD", ALWAYS),
    (0x4018, "VM_ENTRY_EXCEPTION_ERROR_CODE", ALWAYS),
    (0x401A, "VM_ENTRY_INSTRUCTION_LEN", ALWAYS),
    (0x401C, "TPR_THRESHOLD", ("tpr_lm",)),
    (0x401E, "SECONDARY_VM_EXEC_CONTROL", ("ctrl2",)),
    (0x4020, "PLE_GAP", ("vmx", "PAUSE_LOOP_EXITING")),
    (0x4022, "PLE_WINDOW", ("vmx", "PAUSE_LOOP_EXITING")),
    # 32-bit read-only data
    (0x4400, "VM_INSTRUCTION_ERROR", ALWAYS),
    (0x4402, "VM_EXIT_REASON", ALWAYS),
    (0x4404, "VM_EXIT_INTR_INFO", ALWAYS),
    (0x4406, "VM_EXIT_INTR_ERROR_CODE", ALWAYS),
    (0x4408, "IDT_VECTORING_INFO_FIELD", ALWAYS),
    (0x440A, "IDT_VECTORING_ERROR_CODE", ALWAYS),
    (0x440C, "VM_EXIT_INSTRUCTION_LEN", ALWAYS),
    (0x440E, "VMX_INSTRUCTION_INFO", ALWAYS),
    # 32-bit guest state
    (0x4800, "GUEST_ES_LIMIT", ALWAYS),
    (0x4802, "GUEST_CS_LIMIT", ALWAYS),
    (0x4804, "GUEST_SS_LIMIT", ALWAYS),
    (0x4806, "GUEST_DS_LIMIT", ALWAYS),
    (0x4808, "GUEST_FS_LIMIT", ALWAYS),
    (0x480A, "GUEST_GS_LIMIT", ALWAYS),
    (0x480C, "GUEST_LDTR_LIMIT", ALWAYS),
    (0x480E, "GUEST_TR_LIMIT", ALWAYS),
    (0x4810, "GUEST_GDTR_LIMIT", ALWAYS),
    (0x4812, "GUEST_IDTR_LIMIT", ALWAYS),
    (0x4814, "GUEST_ES_AR_BYTES", ALWAYS),
    (0x4816, "GUEST_CS_AR_BYTES", ALWAYS),
    (0x4818, "GUEST_SS_AR_BYTES", ALWAYS),
    (0x481A, "GUEST_DS_AR_BYTES", ALWAYS),
    (0x481C, "GUEST_FS_AR_BYTES", ALWAYS),
    (0x481E, "GUEST_GS_AR_BYTES", ALWAYS),
    (0x4820, "GUEST_LDTR_AR_BYTES", ALWAYS),
    (0x4822, "GUEST_TR_AR_BYTES", ALWAYS),
    (0x4824, "GUEST_INTERRUPTIBILITY_INFO", ALWAYS),
    (0x4826, "GUEST_ACTIVITY_STATE", ALWAYS),
    (0x4828, "GUEST_SMBASE", ALWAYS),
    (0x482A, "GUEST_SYSENTER_CS", ALWAYS),
    (0x482E, "VMX_PREEMPTION_TIMER_VALUE", ("vmx", "PREEMPTION_TIMER")),
    # 32-bit host state
    (0x4C00, "HOST_IA32_SYSENTER_CS", ALWAYS),
    # natural-width control
    (0x6000, "CR0_GUEST_HOST_MASK", ALWAYS),
    (0x6002, "CR4_GUEST_HOST_MASK", ALWAYS),
    (0x6004, "CR0_READ_SHADOW", ALWAYS),
    (0x6006, "CR4_READ_SHADOW", ALWAYS),
    (0x6008, "CR3_TARGET_VALUE0", ALWAYS),
    (0x600A, "CR3_TARGET_VALUE1", ALWAYS),
    (0x600C, "CR3_TARGET_VALUE2", ALWAYS),
    (0x600E, "CR3_TARGET_VALUE3", ALWAYS),
    # natural-width read-only data
    (0x6400, "EXIT_QUALIFICATION", ALWAYS),
    (0x6402, "EXIT_IO_RCX", ALWAYS),
    (0x6404, "EXIT_IO_RSI", ALWAYS),
    (0x6406, "EXIT_IO_RDI", ALWAYS),
    (0x6408, "EXIT_IO_RIP", ALWAYS),
    (0x640A, "GUEST_LINEAR_ADDRESS", ALWAYS),
    # natural-width guest state
    (0x6800, "GUEST_CR0", ALWAYS),
    (0x6802, "GUEST_CR3", ALWAYS),
    (0x6804, "GUEST_CR4", ALWAYS),
    (0x6806, "GUEST_ES_BASE", ALWAYS),
    (0x6808, "GUEST_CS_BASE", ALWAYS),
    (0x680A, "GUEST_SS_BASE", ALWAYS),
    (0x680C, "GUEST_DS_BASE", ALWAYS),
    (0x680E, "GUEST_FS_BASE", ALWAYS),
    (0x6810, "GUEST_GS_BASE", ALWAYS),
    (0x6812, "GUEST_LDTR_BASE", ALWAYS),
    (0x6814, "GUEST_TR_BASE", ALWAYS),
    (0x6816, "GUEST_GDTR_BASE", ALWAYS),
    (0x6818, "GUEST_IDTR_BASE", ALWAYS),
    (0x681A, "GUEST_DR7", ALWAYS),
    (0x681C, "GUEST_RSP", ALWAYS),
    (0x681E, "GUEST_RIP", ALWAYS),
    (0x6820, "GUEST_RFLAGS", ALWAYS),
    (0x6822, "GUEST_PENDING_DBG_EXCEPTIONS", ALWAYS),
    (0x6824, "GUEST_SYSENTER_ESP", ALWAYS),
    (0x6826, "GUEST_SYSENTER_EIP", ALWAYS),
    (0x6828, "GUEST_S_CET", ("isa", "CET")),
    (0x682A, "GUEST_SSP", ("isa", "CET")),
    (0x682C, "GUEST_INTR_SSP_TABLE_ADDR", ("isa", "CET")),
    # natural-width host state
    (0x6C00, "HOST_CR0", ALWAYS),
    (0x6C02, "HOST_CR3", ALWAYS),
    (0x6C04, "HOST_CR4", ALWAYS),
    (0x6C06, "HOST_FS_BASE", ALWAYS),
    (0x6C08, "HOST_GS_BASE", ALWAYS),
    (0x6C0A, "HOST_TR_BASE", ALWAYS),
    (0x6C0C, "HOST_GDTR_BASE", ALWAYS),
    (0x6C0E, "HOST_IDTR_BASE", ALWAYS),
    (0x6C10, "HOST_IA32_SYSENTER_ESP", ALWAYS),
    (0x6C12, "HOST_IA32_SYSENTER_EIP", ALWAYS),
    (0x6C14, "HOST_RSP", ALWAYS),
    (0x6C16, "HOST_RIP", ALWAYS),
    (0x6C18, "HOST_S_CET", ("isa", "CET")),
    (0x6C1A, "HOST_SSP", ("isa", "CET")),
    (0x6C1C, "HOST_INTR_SSP_TABLE_ADDR", ("isa", "CET")),
]

# ---------------------------------------------------------------------------
# The three CPU models (bochs/cpu/cpudb/intel/*.cc): VMX feature bitmask
# (get_vmx_extensions_bitmask), the ISA extensions that matter to the field
# set or to the capability MSRs (constructor's enable_cpu_extension calls),
# and CPUID.01H:EAX (get_std_cpuid_leaf_1).
# ---------------------------------------------------------------------------
MODELS = [
    {
        "name": "corei7_skylake_x",
        "source": "bochs/cpu/cpudb/intel/corei7_skylake-x.cc",
        "cls": "corei7_skylake_x_t",
        "signature": 0x00050654,
        "vmx": ["TPR_SHADOW", "VIRTUAL_NMI", "APIC_VIRTUALIZATION",
                "WBINVD_VMEXIT", "VPID", "EPT", "UNRESTRICTED_GUEST",
                "SAVE_DEBUGCTL_DISABLE", "PERF_GLOBAL_CTRL", "PAT", "EFER",
                "DESCRIPTOR_TABLE_EXIT", "X2APIC_VIRTUALIZATION",
                "PREEMPTION_TIMER", "PAUSE_LOOP_EXITING", "EPTP_SWITCHING",
                "EPT_ACCESS_DIRTY", "VINTR_DELIVERY", "VMCS_SHADOWING",
                "EPT_EXCEPTION", "SW_INTERRUPT_INJECTION_ILEN_0", "PML",
                "TSC_SCALING"],
        "isa": ["LONG_MODE", "RDTSCP", "XSAVES", "INVPCID", "RDRAND",
                "RDSEED"],
    },
    {
        "name": "corei7_haswell_4770",
        "source": "bochs/cpu/cpudb/intel/corei7_haswell_4770.cc",
        "cls": "corei7_haswell_4770_t",
        "signature": 0x000306C3,
        "vmx": ["TPR_SHADOW", "VIRTUAL_NMI", "APIC_VIRTUALIZATION",
                "WBINVD_VMEXIT", "VPID", "EPT", "UNRESTRICTED_GUEST",
                "SAVE_DEBUGCTL_DISABLE", "PERF_GLOBAL_CTRL", "PAT", "EFER",
                "DESCRIPTOR_TABLE_EXIT", "X2APIC_VIRTUALIZATION",
                "PREEMPTION_TIMER", "PAUSE_LOOP_EXITING", "EPTP_SWITCHING",
                "EPT_ACCESS_DIRTY", "VINTR_DELIVERY", "VMCS_SHADOWING",
                "EPT_EXCEPTION"],
        "isa": ["LONG_MODE", "RDTSCP", "INVPCID", "RDRAND"],
    },
    {
        "name": "corei7_sandy_bridge_2600k",
        "source": "bochs/cpu/cpudb/intel/corei7_sandy_bridge_2600K.cc",
        "cls": "corei7_sandy_bridge_2600k_t",
        "signature": 0x000206A7,
        "vmx": ["TPR_SHADOW", "VIRTUAL_NMI", "APIC_VIRTUALIZATION",
                "WBINVD_VMEXIT", "VPID", "EPT", "UNRESTRICTED_GUEST",
                "SAVE_DEBUGCTL_DISABLE", "PERF_GLOBAL_CTRL", "PAT", "EFER",
                "DESCRIPTOR_TABLE_EXIT", "X2APIC_VIRTUALIZATION",
                "PREEMPTION_TIMER"],
        "isa": ["LONG_MODE", "RDTSCP"],
    },
]

# VMX features and ISA extensions that each make some secondary
# processor-based control supported (vmcs.cc:
# init_secondary_proc_based_vmexec_ctrls); with any of them the encoding
# 0x401E exists.
CTRL2_VMX = ["APIC_VIRTUALIZATION", "EPT", "DESCRIPTOR_TABLE_EXIT",
             "X2APIC_VIRTUALIZATION", "VPID", "WBINVD_VMEXIT",
             "UNRESTRICTED_GUEST", "VINTR_DELIVERY", "PAUSE_LOOP_EXITING",
             "VMCS_SHADOWING", "PML", "EPT_EXCEPTION", "SPP", "TSC_SCALING"]
CTRL2_ISA = ["RDTSCP", "INVPCID", "RDRAND", "RDSEED", "XSAVES"]


def has_vmfunc(m):
    # vmcs.cc init_vmfunc_capabilities: EPTP switching is the only VM function.
    return "EPTP_SWITCHING" in m["vmx"]


def has_ctrl2(m):
    return (any(f in m["vmx"] for f in CTRL2_VMX)
            or any(f in m["isa"] for f in CTRL2_ISA)
            or has_vmfunc(m))


def supported(m, cond):
    if cond is None:
        return True
    kind = cond[0]
    if kind == "vmx":
        return cond[1] in m["vmx"]
    if kind == "isa":
        return cond[1] in m["isa"]
    if kind == "tpr_lm":
        return "TPR_SHADOW" in m["vmx"] and "LONG_MODE" in m["isa"]
    if kind == "ctrl2":
        return has_ctrl2(m)
    if kind == "vmfunc":
        return has_vmfunc(m)
    raise ValueError("unknown condition %r" % (cond,))


def vmx_basic(m):
    # vmx.h VMX_MSR_VMX_BASIC: revision; region size in bits 44:32; bit 48
    # only without long mode; WB (6) memory type in 53:50; bit 54 (INS/OUTS
    # info); bit 55 (TRUE_* control MSRs, VMX level 2); bit 56 only with CET.
    hi = REGION_SIZE | (6 << 18) | (1 << 22) | (1 << 23)
    if "LONG_MODE" not in m["isa"]:
        hi |= 1 << 16
    if "CET" in m["isa"]:
        hi |= 1 << 24
    return (hi << 32) | REVISION


def vmx_misc(m):
    # vmx.h VMX_MSR_MISC: bit 5 (LMA stored into the IA-32e guest control,
    # VMX level 2), bits 8:6 (activity states), 4 CR3 targets in 24:16,
    # bit 29 with VMCS shadowing, bit 30 with SW_INTERRUPT_INJECTION_ILEN_0.
    v = (1 << 5) | (7 << 6) | (4 << 16)
    if "VMCS_SHADOWING" in m["vmx"]:
        v |= 1 << 29
    if "SW_INTERRUPT_INJECTION_ILEN_0" in m["vmx"]:
        v |= 1 << 30
    return v


# vmx.h VMX_MSR_VMCS_ENUM: VMX_HIGHEST_VMCS_ENCODING as is.
VMCS_ENUM = 0x34


def field_line(enc, name):
    w = enc_width(enc)
    off = slot_offset(enc)
    ro = " ro" if enc_type(enc) == T_RO else ""
    if AR_FIRST <= enc <= AR_LAST:
        runs = "0-23:%d.0,24-31:%d.0" % (off + 1, off)
        body = "bits %s" % runs
        note = "%s, slot 0x%03x, stored rotated left by 8" % (name, off)
    else:
        size = STORE_BYTES[w]
        body = "plain %d %d" % (off, size)
        note = "%s, 0x%03x" % (name, off)
        if w == W64:
            note += ", _HIGH 0x%04x at 0x%03x" % (enc | 1, off + 4)
    return "%-42s # %s" % ("field 0x%04x%s %s" % (enc, ro, body), note)


HEADER = """\
# Simulated-CPU model: Bochs 2.7 (git tag {tag}),
# bochsrc "cpu: model={name}".
# Generated by models/gen/bochs27.py from facts read in Bochs' source; see
# models/README-bochs.md.  Not derived from probe output.  Sources:
#
# revision 0x2b     bochs/cpu/vmx.h BX_VMX_VMCS_REVISION_ID, the default of
#                   the VMCS_Mapping constructor (vmcs.cc); the constructor
#                   of {cls}
#                   calls bx_cpuid_t(cpu) (cpuid.cc), which keeps that
#                   default.  VMPTRLD (vmx.cc) compares the region's
#                   first 4 bytes with it{shadow}.
# region_size 4096  bochs/cpu/vmx.h VMX_VMCS_AREA_SIZE, used in
#                   VMX_MSR_VMX_BASIC_HI.
# msr 0x480         bochs/cpu/vmx.h VMX_MSR_VMX_BASIC.
# msr 0x485         bochs/cpu/vmx.h VMX_MSR_MISC with the constants above it
#                   (VMX_CR3_TARGET_MAX_CNT = 4).
# msr 0x48a         bochs/cpu/vmx.h VMX_MSR_VMCS_ENUM = VMX_HIGHEST_VMCS_ENCODING.
# vmwrite_any {vwa:<4}  IA32_VMX_MISC bit 29 is set exactly when the model has
#                   BX_VMX_VMCS_SHADOWING (vmx.h VMX_MSR_MISC); VMWRITE_GdEd /
#                   VMWRITE_GqEq (vmx.cc) refuse read-only fields with error 13
#                   unless that bit is set.
# cache no          vmx.cc VMread16/32/64 and VMwrite16/32/64 access guest
#                   memory at the VMCS pointer on every instruction (host
#                   pointer from set_VMCSPTR, or access_read/write_physical);
#                   VMPTRLD copies nothing.
# launch_state 8 4  vmcs.cc VMCS_LAUNCH_STATE_FIELD_ADDR (init_generic_mapping);
#                   vmx.cc VMCLEAR writes the 32-bit VMCS_STATE_CLEAR (0, vmx.h
#                   enum VMX_state) there and nothing else; VMLAUNCH writes
#                   VMCS_STATE_LAUNCHED (1).
# signature         {src}
#                   {cls}::get_std_cpuid_leaf_1.
# microcode 0       no Bochs code implements IA32_BIOS_SIGN_ID (msr.cc
#                   BX_CPU_C::rdmsr / handle_unknown_rdmsr; the model has no
#                   rdmsr hook).
# fields, offsets   vmcs.cc VMCS_Mapping::init_generic_mapping with vmx.h
#                   VMCS_DATA_OFFSET (0x10), VMCS_FIELD, VMCS_FIELD_INDEX:
#                   offset = 0x10 + ((width*4 + type)*64 + (encoding & 0x3ff))*4,
#                   one 4-byte slot per encoding (_HIGH ones too).
# field sizes       vmx.cc BX_CPU_C::vmread / vmwrite: 16-bit fields use 2 bytes
#                   of their slot, 32-bit 4, 64-bit and natural-width 8 (the
#                   _HIGH encoding is the next slot, 4 bytes up).
# field set         vmcs.cc BX_CPU_C::vmcs_field_supported, applied once in
#                   BX_CPU_C::init_VMCS, with
#                   {cls}::get_vmx_extensions_bitmask
#                   and the enable_cpu_extension calls of the constructor in
#                   {src};
#                   secondary controls and VM functions from vmcs.cc
#                   init_secondary_proc_based_vmexec_ctrls and
#                   init_vmfunc_capabilities.
#                   VMX features:
#                   {vmx}.
#                   ISA extensions that matter here:
#                   {isa}.
# ro                VMWRITE_GdEd / VMWRITE_GqEq (vmx.cc) check only
#                   VMCS_FIELD_TYPE(encoding) == VMCS_FIELD_TYPE_READ_ONLY
#                   (type bits 11:10 == 1).
# AR bytes          vmx.cc BX_CPU_C::vmread / vmwrite send 0x4814..0x4822
#                   through vmx_unpack_ar_field / vmx_pack_ar_field in the
#                   mapping's format, which is always VMCS_AR_ROTATE (vmcs.cc
#                   constructors; set_access_rights_format is never called):
#                   rotate_l by 8 on VMWRITE, rotate_r by 8 on VMREAD, so
#                   VMREAD bit i is slot bit (i+8) mod 32.
#
# {nfull} full encodings, {nhigh} with the _HIGH halves of the {n64} 64-bit fields.
"""


def render(m):
    fields = [(e, n) for (e, n, c) in FIELDS if supported(m, c)]
    n64 = sum(1 for (e, n) in fields if enc_width(e) == W64)
    vwa = "yes" if "VMCS_SHADOWING" in m["vmx"] else "no"
    shadow = (" after masking off bit 31 (the"
              "\n#                   shadow-VMCS indicator), because the"
              " model has VMCS\n#                   shadowing; the model"
              " format cannot express that"
              if "VMCS_SHADOWING" in m["vmx"] else "")
    check_overlaps(fields)

    def wrap(words):
        out, line = [], ""
        for w in words:
            add = (", " if line else "") + w
            if len(line) + len(add) > 54:
                out.append(line + ",")
                line = w
            else:
                line += add
        out.append(line)
        return "\n#                   ".join(out)

    text = HEADER.format(
        tag=BOCHS_TAG, name=m["name"], cls=m["cls"], src=m["source"],
        shadow=shadow, vwa=vwa,
        vmx=wrap(m["vmx"]), isa=wrap(m["isa"]),
        nfull=len(fields), nhigh=len(fields) + n64, n64=n64)
    text += "\n"
    text += "name bochs-2.7-%s\n" % m["name"]
    text += "revision 0x%x\n" % REVISION
    text += "region_size %d\n" % REGION_SIZE
    text += "signature 0x%08x\n" % m["signature"]
    text += "microcode 0\n"
    text += "vmwrite_any %s\n" % vwa
    text += "cache no\n"
    text += "launch_state %d %d\n" % (LAUNCH_STATE_OFFSET, LAUNCH_STATE_SIZE)
    text += "msr 0x480 0x%016x    # IA32_VMX_BASIC\n" % vmx_basic(m)
    text += "msr 0x485 0x%016x    # IA32_VMX_MISC\n" % vmx_misc(m)
    text += "msr 0x48a 0x%016x    # IA32_VMX_VMCS_ENUM\n" % VMCS_ENUM
    text += "\n# encoding      storage (byte offsets in decimal)  # name, hex offset\n"
    prev_group = None
    for enc, name in fields:
        group = (enc_width(enc), enc_type(enc))
        if group != prev_group:
            text += "\n# %s %s\n" % (
                {W16: "16-bit", W64: "64-bit", W32: "32-bit",
                 WNAT: "natural-width"}[group[0]],
                {T_CTRL: "control", T_RO: "read-only data",
                 T_GUEST: "guest state", T_HOST: "host state"}[group[1]])
            prev_group = group
        text += field_line(enc, name) + "\n"
    return text, len(fields), len(fields) + n64


def check_overlaps(fields):
    """Fail if two fields would share a region byte or leave the region."""
    owner = {}
    for enc, name in fields:
        off = slot_offset(enc)
        size = 4 if AR_FIRST <= enc <= AR_LAST else STORE_BYTES[enc_width(enc)]
        # Bytes below DATA_OFFSET hold revision, abort and launch state.
        if off < DATA_OFFSET or off + size > REGION_SIZE:
            raise SystemExit("0x%04x outside the data area" % enc)
        for b in range(off, off + size):
            if b in owner:
                raise SystemExit("0x%04x and 0x%04x share byte %d"
                                 % (owner[b], enc, b))
            owner[b] = enc


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(here)
    for m in MODELS:
        text, nfull, nall = render(m)
        path = os.path.join(outdir, "bochs-2.7-%s.model" % m["name"])
        with open(path, "w") as f:
            f.write(text)
        print("%s: %d full encodings, %d with _HIGH" % (path, nfull, nall))


if __name__ == "__main__":
    main()
