#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Write models/kvm-vmcs12.model: KVM's nested-VMX software VMCS.

KVM (Linux arch/x86/kvm/vmx) emulates VMX for an L1 hypervisor with its own
VMCS layout, struct vmcs12.  Its offsets are frozen for migration, so the
layout can be written down from the source once.  This script holds the
facts read from Linux (member order and sizes of struct vmcs12, the
CHECK_OFFSET list, the encodings of vmcs12_field_offsets[]) and emits the
model; it also recomputes every offset from the member order and checks it
against CHECK_OFFSET, so that a slip in either transcription is caught.

Usage: kvm_vmcs12.py [OUTPUT]   (default: ../kvm-vmcs12.model)
Python 3 standard library only.
"""

import os
import sys

# Where the facts come from: torvalds/linux as stored by the project's
# source index (dates from the commits' subjects).
SOURCES = [
    ("arch/x86/kvm/vmx/vmcs12.h", "407da561244b9d51e6a794d6305ba38ec2c9d907",
     "tree of \"Merge tag 'v6.2-rc3' into next\", January 2023"),
    ("arch/x86/kvm/vmx/vmcs12.c", "cdc780f044a803aff8845b949f800f0f3d095d5f",
     "tree of \"Merge branch 'for-6.4/amd-sfh' into for-linus\", "
     "about April 2023"),
    ("arch/x86/kvm/vmx/nested.c", "25bb2cf97139f81e3bb8910d26016a529019528e",
     "commit \"KVM: nVMX: Morph notification vector IRQ ...\", August 2020"),
    ("arch/x86/kvm/vmx/vmcs.h", "4f6b838c378a52ea3ae0b15f12ca8a20849072fa",
     "tree of \"Merge tag 'v5.10-rc1' into kvmarm-master/next\", "
     "November 2020"),
    ("arch/x86/include/asm/vmx.h", "d51b9d81f7883f526b26e3ab903e646274aebeb1",
     "tree of \"Merge tag 'v6.15-rc6' into next\", May 2025"),
]

VMCS12_REVISION = 0x11E57ED0
VMCS12_SIZE = 0x1000        # KVM_STATE_NESTED_VMX_VMCS_SIZE

# struct vmcs12 (__packed), in declaration order: (member, bytes).
# natural_width is u64 in vmcs12.  Arrays are given with their total size.
STRUCT_VMCS12 = [
    ("hdr", 4), ("abort", 4), ("launch_state", 4), ("padding[7]", 28),
    ("io_bitmap_a", 8), ("io_bitmap_b", 8), ("msr_bitmap", 8),
    ("vm_exit_msr_store_addr", 8), ("vm_exit_msr_load_addr", 8),
    ("vm_entry_msr_load_addr", 8), ("tsc_offset", 8),
    ("virtual_apic_page_addr", 8), ("apic_access_addr", 8),
    ("posted_intr_desc_addr", 8), ("ept_pointer", 8),
    ("eoi_exit_bitmap0", 8), ("eoi_exit_bitmap1", 8),
    ("eoi_exit_bitmap2", 8), ("eoi_exit_bitmap3", 8),
    ("xss_exit_bitmap", 8), ("guest_physical_address", 8),
    ("vmcs_link_pointer", 8), ("guest_ia32_debugctl", 8),
    ("guest_ia32_pat", 8), ("guest_ia32_efer", 8),
    ("guest_ia32_perf_global_ctrl", 8), ("guest_pdptr0", 8),
    ("guest_pdptr1", 8), ("guest_pdptr2", 8), ("guest_pdptr3", 8),
    ("guest_bndcfgs", 8), ("host_ia32_pat", 8), ("host_ia32_efer", 8),
    ("host_ia32_perf_global_ctrl", 8), ("vmread_bitmap", 8),
    ("vmwrite_bitmap", 8), ("vm_function_control", 8),
    ("eptp_list_address", 8), ("pml_address", 8),
    ("encls_exiting_bitmap", 8), ("tsc_multiplier", 8),
    ("padding64[1]", 8),
    ("cr0_guest_host_mask", 8), ("cr4_guest_host_mask", 8),
    ("cr0_read_shadow", 8), ("cr4_read_shadow", 8), ("dead_space[4]", 32),
    ("exit_qualification", 8), ("guest_linear_address", 8),
    ("guest_cr0", 8), ("guest_cr3", 8), ("guest_cr4", 8),
    ("guest_es_base", 8), ("guest_cs_base", 8), ("guest_ss_base", 8),
    ("guest_ds_base", 8), ("guest_fs_base", 8), ("guest_gs_base", 8),
    ("guest_ldtr_base", 8), ("guest_tr_base", 8), ("guest_gdtr_base", 8),
    ("guest_idtr_base", 8), ("guest_dr7", 8), ("guest_rsp", 8),
    ("guest_rip", 8), ("guest_rflags", 8),
    ("guest_pending_dbg_exceptions", 8), ("guest_sysenter_esp", 8),
    ("guest_sysenter_eip", 8), ("host_cr0", 8), ("host_cr3", 8),
    ("host_cr4", 8), ("host_fs_base", 8), ("host_gs_base", 8),
    ("host_tr_base", 8), ("host_gdtr_base", 8), ("host_idtr_base", 8),
    ("host_ia32_sysenter_esp", 8), ("host_ia32_sysenter_eip", 8),
    ("host_rsp", 8), ("host_rip", 8), ("paddingl[8]", 64),
    ("pin_based_vm_exec_control", 4), ("cpu_based_vm_exec_control", 4),
    ("exception_bitmap", 4), ("page_fault_error_code_mask", 4),
    ("page_fault_error_code_match", 4), ("cr3_target_count", 4),
    ("vm_exit_controls", 4), ("vm_exit_msr_store_count", 4),
    ("vm_exit_msr_load_count", 4), ("vm_entry_controls", 4),
    ("vm_entry_msr_load_count", 4), ("vm_entry_intr_info_field", 4),
    ("vm_entry_exception_error_code", 4), ("vm_entry_instruction_len", 4),
    ("tpr_threshold", 4), ("secondary_vm_exec_control", 4),
    ("vm_instruction_error", 4), ("vm_exit_reason", 4),
    ("vm_exit_intr_info", 4), ("vm_exit_intr_error_code", 4),
    ("idt_vectoring_info_field", 4), ("idt_vectoring_error_code", 4),
    ("vm_exit_instruction_len", 4), ("vmx_instruction_info", 4),
    ("guest_es_limit", 4), ("guest_cs_limit", 4), ("guest_ss_limit", 4),
    ("guest_ds_limit", 4), ("guest_fs_limit", 4), ("guest_gs_limit", 4),
    ("guest_ldtr_limit", 4), ("guest_tr_limit", 4),
    ("guest_gdtr_limit", 4), ("guest_idtr_limit", 4),
    ("guest_es_ar_bytes", 4), ("guest_cs_ar_bytes", 4),
    ("guest_ss_ar_bytes", 4), ("guest_ds_ar_bytes", 4),
    ("guest_fs_ar_bytes", 4), ("guest_gs_ar_bytes", 4),
    ("guest_ldtr_ar_bytes", 4), ("guest_tr_ar_bytes", 4),
    ("guest_interruptibility_info", 4), ("guest_activity_state", 4),
    ("guest_sysenter_cs", 4), ("host_ia32_sysenter_cs", 4),
    ("vmx_preemption_timer_value", 4), ("padding32[7]", 28),
    ("virtual_processor_id", 2), ("posted_intr_nv", 2),
    ("guest_es_selector", 2), ("guest_cs_selector", 2),
    ("guest_ss_selector", 2), ("guest_ds_selector", 2),
    ("guest_fs_selector", 2), ("guest_gs_selector", 2),
    ("guest_ldtr_selector", 2), ("guest_tr_selector", 2),
    ("guest_intr_status", 2), ("host_es_selector", 2),
    ("host_cs_selector", 2), ("host_ss_selector", 2),
    ("host_ds_selector", 2), ("host_fs_selector", 2),
    ("host_gs_selector", 2), ("host_tr_selector", 2),
    ("guest_pml_index", 2),
]

# vmx_check_vmcs12_offsets(): CHECK_OFFSET(member, offset), the frozen ABI.
CHECK_OFFSET = {
    "hdr": 0, "abort": 4, "launch_state": 8,
    "io_bitmap_a": 40, "io_bitmap_b": 48, "msr_bitmap": 56,
    "vm_exit_msr_store_addr": 64, "vm_exit_msr_load_addr": 72,
    "vm_entry_msr_load_addr": 80, "tsc_offset": 88,
    "virtual_apic_page_addr": 96, "apic_access_addr": 104,
    "posted_intr_desc_addr": 112, "ept_pointer": 120,
    "eoi_exit_bitmap0": 128, "eoi_exit_bitmap1": 136,
    "eoi_exit_bitmap2": 144, "eoi_exit_bitmap3": 152,
    "xss_exit_bitmap": 160, "guest_physical_address": 168,
    "vmcs_link_pointer": 176, "guest_ia32_debugctl": 184,
    "guest_ia32_pat": 192, "guest_ia32_efer": 200,
    "guest_ia32_perf_global_ctrl": 208, "guest_pdptr0": 216,
    "guest_pdptr1": 224, "guest_pdptr2": 232, "guest_pdptr3": 240,
    "guest_bndcfgs": 248, "host_ia32_pat": 256, "host_ia32_efer": 264,
    "host_ia32_perf_global_ctrl": 272, "vmread_bitmap": 280,
    "vmwrite_bitmap": 288, "vm_function_control": 296,
    "eptp_list_address": 304, "pml_address": 312,
    "encls_exiting_bitmap": 320, "tsc_multiplier": 328,
    "cr0_guest_host_mask": 344, "cr4_guest_host_mask": 352,
    "cr0_read_shadow": 360, "cr4_read_shadow": 368, "dead_space[4]": 376,
    "exit_qualification": 408, "guest_linear_address": 416,
    "guest_cr0": 424, "guest_cr3": 432, "guest_cr4": 440,
    "guest_es_base": 448, "guest_cs_base": 456, "guest_ss_base": 464,
    "guest_ds_base": 472, "guest_fs_base": 480, "guest_gs_base": 488,
    "guest_ldtr_base": 496, "guest_tr_base": 504, "guest_gdtr_base": 512,
    "guest_idtr_base": 520, "guest_dr7": 528, "guest_rsp": 536,
    "guest_rip": 544, "guest_rflags": 552,
    "guest_pending_dbg_exceptions": 560, "guest_sysenter_esp": 568,
    "guest_sysenter_eip": 576, "host_cr0": 584, "host_cr3": 592,
    "host_cr4": 600, "host_fs_base": 608, "host_gs_base": 616,
    "host_tr_base": 624, "host_gdtr_base": 632, "host_idtr_base": 640,
    "host_ia32_sysenter_esp": 648, "host_ia32_sysenter_eip": 656,
    "host_rsp": 664, "host_rip": 672,
    "pin_based_vm_exec_control": 744, "cpu_based_vm_exec_control": 748,
    "exception_bitmap": 752, "page_fault_error_code_mask": 756,
    "page_fault_error_code_match": 760, "cr3_target_count": 764,
    "vm_exit_controls": 768, "vm_exit_msr_store_count": 772,
    "vm_exit_msr_load_count": 776, "vm_entry_controls": 780,
    "vm_entry_msr_load_count": 784, "vm_entry_intr_info_field": 788,
    "vm_entry_exception_error_code": 792, "vm_entry_instruction_len": 796,
    "tpr_threshold": 800, "secondary_vm_exec_control": 804,
    "vm_instruction_error": 808, "vm_exit_reason": 812,
    "vm_exit_intr_info": 816, "vm_exit_intr_error_code": 820,
    "idt_vectoring_info_field": 824, "idt_vectoring_error_code": 828,
    "vm_exit_instruction_len": 832, "vmx_instruction_info": 836,
    "guest_es_limit": 840, "guest_cs_limit": 844, "guest_ss_limit": 848,
    "guest_ds_limit": 852, "guest_fs_limit": 856, "guest_gs_limit": 860,
    "guest_ldtr_limit": 864, "guest_tr_limit": 868,
    "guest_gdtr_limit": 872, "guest_idtr_limit": 876,
    "guest_es_ar_bytes": 880, "guest_cs_ar_bytes": 884,
    "guest_ss_ar_bytes": 888, "guest_ds_ar_bytes": 892,
    "guest_fs_ar_bytes": 896, "guest_gs_ar_bytes": 900,
    "guest_ldtr_ar_bytes": 904, "guest_tr_ar_bytes": 908,
    "guest_interruptibility_info": 912, "guest_activity_state": 916,
    "guest_sysenter_cs": 920, "host_ia32_sysenter_cs": 924,
    "vmx_preemption_timer_value": 928,
    "virtual_processor_id": 960, "posted_intr_nv": 962,
    "guest_es_selector": 964, "guest_cs_selector": 966,
    "guest_ss_selector": 968, "guest_ds_selector": 970,
    "guest_fs_selector": 972, "guest_gs_selector": 974,
    "guest_ldtr_selector": 976, "guest_tr_selector": 978,
    "guest_intr_status": 980, "host_es_selector": 982,
    "host_cs_selector": 984, "host_ss_selector": 986,
    "host_ds_selector": 988, "host_fs_selector": 990,
    "host_gs_selector": 992, "host_tr_selector": 994,
    "guest_pml_index": 996,
}

# vmcs12_field_offsets[] in vmcs12.c: the encodings KVM accepts, in the
# table's order, as (Linux name, vmcs12 member).  The encodings themselves
# are the values of enum vmcs_field in asm/vmx.h.  FIELD64 entries also
# accept ENC|1 (the _HIGH half, at member + 4, read as u32).
ENCODING = {
    "VIRTUAL_PROCESSOR_ID": 0x0000, "POSTED_INTR_NV": 0x0002,
    "GUEST_ES_SELECTOR": 0x0800, "GUEST_CS_SELECTOR": 0x0802,
    "GUEST_SS_SELECTOR": 0x0804, "GUEST_DS_SELECTOR": 0x0806,
    "GUEST_FS_SELECTOR": 0x0808, "GUEST_GS_SELECTOR": 0x080A,
    "GUEST_LDTR_SELECTOR": 0x080C, "GUEST_TR_SELECTOR": 0x080E,
    "GUEST_INTR_STATUS": 0x0810, "GUEST_PML_INDEX": 0x0812,
    "HOST_ES_SELECTOR": 0x0C00, "HOST_CS_SELECTOR": 0x0C02,
    "HOST_SS_SELECTOR": 0x0C04, "HOST_DS_SELECTOR": 0x0C06,
    "HOST_FS_SELECTOR": 0x0C08, "HOST_GS_SELECTOR": 0x0C0A,
    "HOST_TR_SELECTOR": 0x0C0C,
    "IO_BITMAP_A": 0x2000, "IO_BITMAP_B": 0x2002, "MSR_BITMAP": 0x2004,
    "VM_EXIT_MSR_STORE_ADDR": 0x2006, "VM_EXIT_MSR_LOAD_ADDR": 0x2008,
    "VM_ENTRY_MSR_LOAD_ADDR": 0x200A, "PML_ADDRESS": 0x200E,
    "TSC_OFFSET": 0x2010, "TSC_MULTIPLIER": 0x2032,
    "VIRTUAL_APIC_PAGE_ADDR": 0x2012, "APIC_ACCESS_ADDR": 0x2014,
    "POSTED_INTR_DESC_ADDR": 0x2016, "VM_FUNCTION_CONTROL": 0x2018,
    "EPT_POINTER": 0x201A, "EOI_EXIT_BITMAP0": 0x201C,
    "EOI_EXIT_BITMAP1": 0x201E, "EOI_EXIT_BITMAP2": 0x2020,
    "EOI_EXIT_BITMAP3": 0x2022, "EPTP_LIST_ADDRESS": 0x2024,
    "VMREAD_BITMAP": 0x2026, "VMWRITE_BITMAP": 0x2028,
    "XSS_EXIT_BITMAP": 0x202C, "ENCLS_EXITING_BITMAP": 0x202E,
    "GUEST_PHYSICAL_ADDRESS": 0x2400, "VMCS_LINK_POINTER": 0x2800,
    "GUEST_IA32_DEBUGCTL": 0x2802, "GUEST_IA32_PAT": 0x2804,
    "GUEST_IA32_EFER": 0x2806, "GUEST_IA32_PERF_GLOBAL_CTRL": 0x2808,
    "GUEST_PDPTR0": 0x280A, "GUEST_PDPTR1": 0x280C,
    "GUEST_PDPTR2": 0x280E, "GUEST_PDPTR3": 0x2810,
    "GUEST_BNDCFGS": 0x2812, "HOST_IA32_PAT": 0x2C00,
    "HOST_IA32_EFER": 0x2C02, "HOST_IA32_PERF_GLOBAL_CTRL": 0x2C04,
    "PIN_BASED_VM_EXEC_CONTROL": 0x4000, "CPU_BASED_VM_EXEC_CONTROL": 0x4002,
    "EXCEPTION_BITMAP": 0x4004, "PAGE_FAULT_ERROR_CODE_MASK": 0x4006,
    "PAGE_FAULT_ERROR_CODE_MATCH": 0x4008, "CR3_TARGET_COUNT": 0x400A,
    "VM_EXIT_CONTROLS": 0x400C, "VM_EXIT_MSR_STORE_COUNT": 0x400E,
    "VM_EXIT_MSR_LOAD_COUNT": 0x4010, "VM_ENTRY_CONTROLS": 0x4012,
    "VM_ENTRY_MSR_LOAD_COUNT": 0x4014, "VM_ENTRY_INTR_INFO_FIELD": 0x4016,
    "VM_ENTRY_EXCEPTION_ERROR_CODE": 0x4018,
    "VM_ENTRY_INSTRUCTION_LEN": 0x401A, "TPR_THRESHOLD": 0x401C,
    "SECONDARY_VM_EXEC_CONTROL": 0x401E, "VM_INSTRUCTION_ERROR": 0x4400,
    "VM_EXIT_REASON": 0x4402, "VM_EXIT_INTR_INFO": 0x4404,
    "VM_EXIT_INTR_ERROR_CODE": 0x4406, "IDT_VECTORING_INFO_FIELD": 0x4408,
    "IDT_VECTORING_ERROR_CODE": 0x440A, "VM_EXIT_INSTRUCTION_LEN": 0x440C,
    "VMX_INSTRUCTION_INFO": 0x440E,
    "GUEST_ES_LIMIT": 0x4800, "GUEST_CS_LIMIT": 0x4802,
    "GUEST_SS_LIMIT": 0x4804, "GUEST_DS_LIMIT": 0x4806,
    "GUEST_FS_LIMIT": 0x4808, "GUEST_GS_LIMIT": 0x480A,
    "GUEST_LDTR_LIMIT": 0x480C, "GUEST_TR_LIMIT": 0x480E,
    "GUEST_GDTR_LIMIT": 0x4810, "GUEST_IDTR_LIMIT": 0x4812,
    "GUEST_ES_AR_BYTES": 0x4814, "GUEST_CS_AR_BYTES": 0x4816,
    "GUEST_SS_AR_BYTES": 0x4818, "GUEST_DS_AR_BYTES": 0x481A,
    "GUEST_FS_AR_BYTES": 0x481C, "GUEST_GS_AR_BYTES": 0x481E,
    "GUEST_LDTR_AR_BYTES": 0x4820, "GUEST_TR_AR_BYTES": 0x4822,
    "GUEST_INTERRUPTIBILITY_INFO": 0x4824, "GUEST_ACTIVITY_STATE": 0x4826,
    "GUEST_SYSENTER_CS": 0x482A, "HOST_IA32_SYSENTER_CS": 0x4C00,
    "VMX_PREEMPTION_TIMER_VALUE": 0x482E,
    "CR0_GUEST_HOST_MASK": 0x6000, "CR4_GUEST_HOST_MASK": 0x6002,
    "CR0_READ_SHADOW": 0x6004, "CR4_READ_SHADOW": 0x6006,
    "EXIT_QUALIFICATION": 0x6400, "GUEST_LINEAR_ADDRESS": 0x640A,
    "GUEST_CR0": 0x6800, "GUEST_CR3": 0x6802, "GUEST_CR4": 0x6804,
    "GUEST_ES_BASE": 0x6806, "GUEST_CS_BASE": 0x6808,
    "GUEST_SS_BASE": 0x680A, "GUEST_DS_BASE": 0x680C,
    "GUEST_FS_BASE": 0x680E, "GUEST_GS_BASE": 0x6810,
    "GUEST_LDTR_BASE": 0x6812, "GUEST_TR_BASE": 0x6814,
    "GUEST_GDTR_BASE": 0x6816, "GUEST_IDTR_BASE": 0x6818,
    "GUEST_DR7": 0x681A, "GUEST_RSP": 0x681C, "GUEST_RIP": 0x681E,
    "GUEST_RFLAGS": 0x6820, "GUEST_PENDING_DBG_EXCEPTIONS": 0x6822,
    "GUEST_SYSENTER_ESP": 0x6824, "GUEST_SYSENTER_EIP": 0x6826,
    "HOST_CR0": 0x6C00, "HOST_CR3": 0x6C02, "HOST_CR4": 0x6C04,
    "HOST_FS_BASE": 0x6C06, "HOST_GS_BASE": 0x6C08, "HOST_TR_BASE": 0x6C0A,
    "HOST_GDTR_BASE": 0x6C0C, "HOST_IDTR_BASE": 0x6C0E,
    "HOST_IA32_SYSENTER_ESP": 0x6C10, "HOST_IA32_SYSENTER_EIP": 0x6C12,
    "HOST_RSP": 0x6C14, "HOST_RIP": 0x6C16,
}


def member_of(name):
    """vmcs12_field_offsets[] pairs each Linux name with the member of the
    same name in lower case (FIELD(GUEST_CR0, guest_cr0), ...)."""
    return name.lower()


def struct_offsets():
    """Offsets computed from the member order; checked against CHECK_OFFSET."""
    offsets, sizes, pos = {}, {}, 0
    for member, size in STRUCT_VMCS12:
        offsets[member] = pos
        sizes[member] = size
        pos += size
    for member, off in CHECK_OFFSET.items():
        if offsets.get(member) != off:
            sys.exit("CHECK_OFFSET(%s, %d) disagrees with member order (%s)"
                     % (member, off, offsets.get(member)))
    for member in offsets:
        if member not in CHECK_OFFSET and "[" not in member:
            sys.exit("member %s has no CHECK_OFFSET" % member)
    return offsets, sizes, pos


def enc_width_bytes(enc):
    return {0: 2, 1: 8, 2: 4, 3: 8}[(enc >> 13) & 3]


def enc_is_readonly(enc):
    return (enc >> 10) & 3 == 1


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "kvm-vmcs12.model")
    offsets, sizes, struct_size = struct_offsets()

    fields = []
    for name, enc in ENCODING.items():
        member = member_of(name)
        if member not in offsets:
            sys.exit("no vmcs12 member for " + name)
        if sizes[member] != enc_width_bytes(enc):
            sys.exit("%s: member size %d, encoding width %d"
                     % (name, sizes[member], enc_width_bytes(enc)))
        fields.append((enc, name, offsets[member], sizes[member]))
    fields.sort()

    # IA32_VMX_VMCS_ENUM as newer KVM computes it
    # (nested_vmx_calc_vmcs_enum_msr): the highest index of the table, << 1.
    vmcs_enum = max((enc >> 1) & 0x1FF for enc, _, _, _ in fields) << 1

    lines = []
    w = lines.append
    w("# KVM nested VMX: struct vmcs12, the software VMCS that KVM gives an L1")
    w("# hypervisor.  Generated by models/gen/kvm_vmcs12.py; do not edit.")
    w("#")
    w("# Source: Linux (github torvalds/linux), read for facts only:")
    for path, commit, what in SOURCES:
        w("#   %s @ %s" % (path, commit))
        w("#     (%s)" % what)
    w("# Facts used:")
    w("# - vmcs12.h: VMCS12_REVISION 0x11e57ed0; struct vmcs12 is __packed,")
    w("#   natural_width is u64; member order and sizes; CHECK_OFFSET() list")
    w("#   (offsets frozen for save/restore; the generator recomputes every")
    w("#   offset from the member order and checks it against that list).")
    w("#   sizeof(struct vmcs12) = %d bytes." % struct_size)
    w("# - vmcs12.h: VMCS12_SIZE = KVM_STATE_NESTED_VMX_VMCS_SIZE = 0x1000;")
    w("#   nested.c puts it in IA32_VMX_BASIC[44:32] -> region_size 4096.")
    w("# - vmcs12.h: 'u32 launch_state; /* set to 0 by VMCLEAR, to 1 by")
    w("#   VMLAUNCH */' at offset 8; nested.c handle_vmclear() writes a u32")
    w("#   zero at vmptr + offsetof(struct vmcs12, launch_state), after")
    w("#   nested_release_vmcs12() when the VMCS is the current one.")
    w("# - nested.c: handle_vmptrld() memcpy()s VMCS12_SIZE bytes of guest")
    w("#   memory into vmx->nested.cached_vmcs12; VMREAD/VMWRITE use that")
    w("#   copy; nested_release_vmcs12() (VMCLEAR of the current VMCS, or")
    w("#   VMPTRLD of another) writes all VMCS12_SIZE bytes back -> cache yes.")
    w("# - nested.c nested_vmx_setup_ctls_msrs(): misc_low always has")
    w("#   VMX_MISC_VMWRITE_SHADOW_RO_FIELDS (bit 29), and handle_vmwrite()")
    w("#   refuses read-only fields only without it -> vmwrite_any yes.")
    w("# - vmcs12.c vmcs12_field_offsets[]: the %d encodings KVM accepts"
      % len(fields))
    w("#   (FIELD64 ones also as ENC|1, the _HIGH half at member + 4); all")
    w("#   others fail with error 12.  CR3_TARGET_VALUE0-3 are not in the")
    w("#   table (dead_space[4] at 376 is what is left of them).")
    w("# - KVM accepts every field of the table whatever features L1's vCPU")
    w("#   has (the comment in nested_vmx_calc_vmcs_enum_msr() says so);")
    w("#   patches seen on the KVM list that would refuse absent features")
    w("#   are not assumed.")
    w("# - vmcs12.h vmcs12_read_any(): VMREAD returns the member zero-extended")
    w("#   by the encoding's width; vmcs.h vmcs_field_width(): _HIGH")
    w("#   encodings are u32 -> every field 'plain OFFSET SIZE' with SIZE the")
    w("#   member's size (it always equals the encoding's width).")
    w("# - asm/vmx.h enum vmcs_field: the encodings; vmcs.h")
    w("#   vmcs_field_readonly(): type 1 (bits 11:10) is read-only -> 'ro'.")
    w("# - IA32_VMX_VMCS_ENUM (msr 0x48a): highest index in the table << 1,")
    w("#   as nested_vmx_calc_vmcs_enum_msr() computes it in newer kernels")
    w("#   (seen in mailing-list copies of the patch and of the later rename")
    w("#   to vmcs12_field_offsets; the 2020 nested.c read here still used")
    w("#   the constant VMCS12_MAX_FIELD_INDEX << 1).")
    w("# Not expressible in format 1, so NOT modelled:")
    w("# - handle_vmwrite() masks GUEST_*_AR_BYTES with 0x1f0ff before storing")
    w("#   ('Some Intel CPUs intentionally drop the reserved bits'), while")
    w("#   VMREAD returns the whole u32: the AR fields here are plain 4-byte,")
    w("#   so a simulated VMWRITE keeps bits KVM would drop.")
    w("# signature and microcode: 0 (a software VMCS, no processor).")
    w("")
    w("name kvm-vmcs12")
    w("revision 0x%08x" % VMCS12_REVISION)
    w("region_size %d" % VMCS12_SIZE)
    w("signature 0")
    w("microcode 0")
    w("vmwrite_any yes")
    w("cache yes")
    w("launch_state %d 4" % offsets["launch_state"])
    w("msr 0x48a 0x%x                 # IA32_VMX_VMCS_ENUM" % vmcs_enum)
    w("")
    for enc, name, off, size in fields:
        ro = " ro" if enc_is_readonly(enc) else ""
        text = "field 0x%04x%s plain %d %d" % (enc, ro, off, size)
        w("%-34s # %s" % (text, name))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
