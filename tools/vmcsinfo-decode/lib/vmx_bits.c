// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Names for the parts of VMCS field values: VM-execution, VM-exit and
 * VM-entry control bits, exit reasons, interruption types, activity
 * states, VM-instruction errors, control-register and RFLAGS bits.
 *
 * Facts from the Intel SDM, Vol. 3C, chapter 25 ("Virtual Machine
 * Control Structures"), 31.4 (VM-instruction error numbers) and
 * Appendix C (basic exit reasons), as restated by ia32-doc
 * (yaml/Intel/VMX) and Linux arch/x86/include/{uapi/,}asm/vmx.h.  Names
 * are the SDM's wording in upper snake case; exit reasons use Linux's
 * EXIT_REASON_* spelling.  Bits no source names are shown as numbers.
 */
#include <stddef.h>

#include "libvmcsinfo.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static const struct vmcsinfo_bit_name pin_bits[] = {
	{ 0, "EXTERNAL_INTERRUPT_EXITING" },
	{ 3, "NMI_EXITING" },
	{ 5, "VIRTUAL_NMIS" },
	{ 6, "ACTIVATE_VMX_PREEMPTION_TIMER" },
	{ 7, "PROCESS_POSTED_INTERRUPTS" },
};

static const struct vmcsinfo_bit_name primary_bits[] = {
	{ 2, "INTERRUPT_WINDOW_EXITING" },
	{ 3, "USE_TSC_OFFSETTING" },
	{ 7, "HLT_EXITING" },
	{ 9, "INVLPG_EXITING" },
	{ 10, "MWAIT_EXITING" },
	{ 11, "RDPMC_EXITING" },
	{ 12, "RDTSC_EXITING" },
	{ 15, "CR3_LOAD_EXITING" },
	{ 16, "CR3_STORE_EXITING" },
	{ 17, "ACTIVATE_TERTIARY_CONTROLS" },
	{ 19, "CR8_LOAD_EXITING" },
	{ 20, "CR8_STORE_EXITING" },
	{ 21, "USE_TPR_SHADOW" },
	{ 22, "NMI_WINDOW_EXITING" },
	{ 23, "MOV_DR_EXITING" },
	{ 24, "UNCONDITIONAL_IO_EXITING" },
	{ 25, "USE_IO_BITMAPS" },
	{ 27, "MONITOR_TRAP_FLAG" },
	{ 28, "USE_MSR_BITMAPS" },
	{ 29, "MONITOR_EXITING" },
	{ 30, "PAUSE_EXITING" },
	{ 31, "ACTIVATE_SECONDARY_CONTROLS" },
};

static const struct vmcsinfo_bit_name secondary_bits[] = {
	{ 0, "VIRTUALIZE_APIC_ACCESSES" },
	{ 1, "ENABLE_EPT" },
	{ 2, "DESCRIPTOR_TABLE_EXITING" },
	{ 3, "ENABLE_RDTSCP" },
	{ 4, "VIRTUALIZE_X2APIC_MODE" },
	{ 5, "ENABLE_VPID" },
	{ 6, "WBINVD_EXITING" },
	{ 7, "UNRESTRICTED_GUEST" },
	{ 8, "APIC_REGISTER_VIRTUALIZATION" },
	{ 9, "VIRTUAL_INTERRUPT_DELIVERY" },
	{ 10, "PAUSE_LOOP_EXITING" },
	{ 11, "RDRAND_EXITING" },
	{ 12, "ENABLE_INVPCID" },
	{ 13, "ENABLE_VM_FUNCTIONS" },
	{ 14, "VMCS_SHADOWING" },
	{ 15, "ENABLE_ENCLS_EXITING" },
	{ 16, "RDSEED_EXITING" },
	{ 17, "ENABLE_PML" },
	{ 18, "EPT_VIOLATION_VE" },
	{ 19, "CONCEAL_VMX_FROM_PT" },
	{ 20, "ENABLE_XSAVES_XRSTORS" },
	{ 21, "PASID_TRANSLATION" },
	{ 22, "MODE_BASED_EXECUTE_CONTROL_FOR_EPT" },
	{ 23, "SUB_PAGE_WRITE_PERMISSIONS_FOR_EPT" },
	{ 24, "PT_USES_GUEST_PHYSICAL_ADDRESSES" },
	{ 25, "USE_TSC_SCALING" },
	{ 26, "ENABLE_USER_WAIT_AND_PAUSE" },
	{ 27, "ENABLE_PCONFIG" },
	{ 28, "ENABLE_ENCLV_EXITING" },
	{ 30, "VMM_BUS_LOCK_DETECTION" },
	{ 31, "INSTRUCTION_TIMEOUT" },
};

static const struct vmcsinfo_bit_name tertiary_bits[] = {
	{ 0, "LOADIWKEY_EXITING" },
	{ 1, "ENABLE_HLAT" },
	{ 2, "EPT_PAGING_WRITE_CONTROL" },
	{ 3, "GUEST_PAGING_VERIFICATION" },
	{ 4, "IPI_VIRTUALIZATION" },
	{ 6, "ENABLE_MSRLIST_INSTRUCTIONS" },
	{ 7, "VIRTUALIZE_IA32_SPEC_CTRL" },
};

static const struct vmcsinfo_bit_name exit_bits[] = {
	{ 2, "SAVE_DEBUG_CONTROLS" },
	{ 9, "HOST_ADDRESS_SPACE_SIZE" },
	{ 12, "LOAD_IA32_PERF_GLOBAL_CTRL" },
	{ 15, "ACKNOWLEDGE_INTERRUPT_ON_EXIT" },
	{ 18, "SAVE_IA32_PAT" },
	{ 19, "LOAD_IA32_PAT" },
	{ 20, "SAVE_IA32_EFER" },
	{ 21, "LOAD_IA32_EFER" },
	{ 22, "SAVE_VMX_PREEMPTION_TIMER_VALUE" },
	{ 23, "CLEAR_IA32_BNDCFGS" },
	{ 24, "CONCEAL_VMX_FROM_PT" },
	{ 25, "CLEAR_IA32_RTIT_CTL" },
	{ 26, "CLEAR_IA32_LBR_CTL" },
	{ 27, "CLEAR_UINV" },
	{ 28, "LOAD_CET_STATE" },
	{ 29, "LOAD_IA32_PKRS" },
	{ 30, "SAVE_IA32_PERF_GLOBAL_CTRL" },
	{ 31, "ACTIVATE_SECONDARY_CONTROLS" },
};

static const struct vmcsinfo_bit_name exit2_bits[] = {
	{ 3, "PREMATURELY_BUSY_SHADOW_STACK" },
};

static const struct vmcsinfo_bit_name entry_bits[] = {
	{ 2, "LOAD_DEBUG_CONTROLS" },
	{ 9, "IA32E_MODE_GUEST" },
	{ 10, "ENTRY_TO_SMM" },
	{ 11, "DEACTIVATE_DUAL_MONITOR_TREATMENT" },
	{ 13, "LOAD_IA32_PERF_GLOBAL_CTRL" },
	{ 14, "LOAD_IA32_PAT" },
	{ 15, "LOAD_IA32_EFER" },
	{ 16, "LOAD_IA32_BNDCFGS" },
	{ 17, "CONCEAL_VMX_FROM_PT" },
	{ 18, "LOAD_IA32_RTIT_CTL" },
	{ 19, "LOAD_UINV" },
	{ 20, "LOAD_CET_STATE" },
	{ 21, "LOAD_IA32_LBR_CTL" },
	{ 22, "LOAD_IA32_PKRS" },
};

static const struct vmcsinfo_bit_name cr0_bits[] = {
	{ 0, "PE" }, { 1, "MP" }, { 2, "EM" }, { 3, "TS" }, { 4, "ET" },
	{ 5, "NE" }, { 16, "WP" }, { 18, "AM" }, { 29, "NW" }, { 30, "CD" },
	{ 31, "PG" },
};

static const struct vmcsinfo_bit_name cr4_bits[] = {
	{ 0, "VME" }, { 1, "PVI" }, { 2, "TSD" }, { 3, "DE" }, { 4, "PSE" },
	{ 5, "PAE" }, { 6, "MCE" }, { 7, "PGE" }, { 8, "PCE" },
	{ 9, "OSFXSR" }, { 10, "OSXMMEXCPT" }, { 11, "UMIP" }, { 12, "LA57" },
	{ 13, "VMXE" }, { 14, "SMXE" }, { 16, "FSGSBASE" }, { 17, "PCIDE" },
	{ 18, "OSXSAVE" }, { 19, "KL" }, { 20, "SMEP" }, { 21, "SMAP" },
	{ 22, "PKE" }, { 23, "CET" }, { 24, "PKS" }, { 25, "UINTR" },
	{ 27, "LASS" }, { 28, "LAM_SUP" }, { 32, "FRED" },
};

static const struct vmcsinfo_bit_name efer_bits[] = {
	{ 0, "SCE" }, { 8, "LME" }, { 10, "LMA" }, { 11, "NXE" },
	{ 12, "SVME" }, { 13, "LMSLE" }, { 14, "FFXSR" }, { 15, "TCE" },
};

static const struct vmcsinfo_bit_name rflags_bits[] = {
	{ 0, "CF" }, { 2, "PF" }, { 4, "AF" }, { 6, "ZF" }, { 7, "SF" },
	{ 8, "TF" }, { 9, "IF" }, { 10, "DF" }, { 11, "OF" },
	{ 12, "IOPL0" }, { 13, "IOPL1" }, { 14, "NT" }, { 16, "RF" },
	{ 17, "VM" }, { 18, "AC" }, { 19, "VIF" }, { 20, "VIP" }, { 21, "ID" },
};

static const struct vmcsinfo_bit_name interruptibility_bits[] = {
	{ 0, "BLOCKING_BY_STI" },
	{ 1, "BLOCKING_BY_MOV_SS" },
	{ 2, "BLOCKING_BY_SMI" },
	{ 3, "BLOCKING_BY_NMI" },
	{ 4, "ENCLAVE_INTERRUPTION" },
};

static const struct vmcsinfo_bit_name pending_dbg_bits[] = {
	{ 0, "B0" }, { 1, "B1" }, { 2, "B2" }, { 3, "B3" },
	{ 12, "ENABLED_BREAKPOINT" }, { 14, "BS" }, { 16, "RTM" },
};

static const struct vmcsinfo_bit_name exit_reason_bits[] = {
	{ 26, "BUS_LOCK_DETECTED" },
	{ 27, "ENCLAVE_MODE" },
	{ 28, "PENDING_MTF" },
	{ 29, "FROM_VMX_ROOT" },
	{ 31, "FAILED_VMENTRY" },
};

struct field_bits {
	uint32_t encoding;
	const struct vmcsinfo_bit_name *bits;
	size_t n;
	uint64_t default1;	/* reserved bits that read 1 (SDM A.3-A.5) */
};

#define FB(enc, tab, d1)	{ enc, tab, N(tab), d1 }

/* Sorted by encoding. */
static const struct field_bits flag_fields[] = {
	FB(0x00002034, tertiary_bits, 0),
	FB(0x00002044, exit2_bits, 0),
	FB(0x00002806, efer_bits, 0),
	FB(0x00002c02, efer_bits, 0),
	FB(0x00004000, pin_bits, 0x16),
	FB(0x00004002, primary_bits, 0x0401e172),
	FB(0x0000400c, exit_bits, 0x00036dff),
	FB(0x00004012, entry_bits, 0x000011ff),
	FB(0x0000401e, secondary_bits, 0),
	FB(0x00004824, interruptibility_bits, 0),
	FB(0x00006000, cr0_bits, 0),
	FB(0x00006002, cr4_bits, 0),
	FB(0x00006004, cr0_bits, 0),
	FB(0x00006006, cr4_bits, 0),
	FB(0x00006800, cr0_bits, 0),
	FB(0x00006804, cr4_bits, 0),
	FB(0x00006820, rflags_bits, 0x2),
	FB(0x00006822, pending_dbg_bits, 0),
	FB(0x00006c00, cr0_bits, 0),
	FB(0x00006c04, cr4_bits, 0),
};

static const struct field_bits *find_flags(uint32_t encoding)
{
	size_t i;

	for (i = 0; i < N(flag_fields); i++)
		if (flag_fields[i].encoding == encoding)
			return &flag_fields[i];
	return NULL;
}

enum vmcsinfo_value_kind vmcsinfo_value_kind(uint32_t encoding)
{
	if (find_flags(encoding))
		return VMCSINFO_VAL_FLAGS;
	if (encoding >= 0x4814 && encoding <= 0x4822 && !(encoding & 1))
		return VMCSINFO_VAL_ACCESS_RIGHTS;
	switch (encoding) {
	case 0x0000201a:
		return VMCSINFO_VAL_EPTP;
	case 0x00004016:	/* VM_ENTRY_INTR_INFO_FIELD */
	case 0x00004404:	/* VM_EXIT_INTR_INFO */
	case 0x00004408:	/* IDT_VECTORING_INFO_FIELD */
		return VMCSINFO_VAL_INTR_INFO;
	case 0x00004400:
		return VMCSINFO_VAL_VM_INSN_ERROR;
	case 0x00004402:
		return VMCSINFO_VAL_EXIT_REASON;
	case 0x00004826:
		return VMCSINFO_VAL_ACTIVITY;
	default:
		return VMCSINFO_VAL_PLAIN;
	}
}

const struct vmcsinfo_bit_name *vmcsinfo_value_bits(uint32_t encoding,
						    size_t *n)
{
	const struct field_bits *f = find_flags(encoding);

	*n = f ? f->n : 0;
	return f ? f->bits : NULL;
}

uint64_t vmcsinfo_value_default1(uint32_t encoding)
{
	const struct field_bits *f = find_flags(encoding);

	return f ? f->default1 : 0;
}

const struct vmcsinfo_bit_name *vmcsinfo_exit_reason_flags(size_t *n)
{
	*n = N(exit_reason_bits);
	return exit_reason_bits;
}

static const char *const exit_reasons[] = {
	[0] = "EXCEPTION_NMI",
	[1] = "EXTERNAL_INTERRUPT",
	[2] = "TRIPLE_FAULT",
	[3] = "INIT_SIGNAL",
	[4] = "SIPI_SIGNAL",
	[5] = "IO_SMI",
	[6] = "OTHER_SMI",
	[7] = "PENDING_INTERRUPT",
	[8] = "NMI_WINDOW",
	[9] = "TASK_SWITCH",
	[10] = "CPUID",
	[11] = "GETSEC",
	[12] = "HLT",
	[13] = "INVD",
	[14] = "INVLPG",
	[15] = "RDPMC",
	[16] = "RDTSC",
	[17] = "RSM",
	[18] = "VMCALL",
	[19] = "VMCLEAR",
	[20] = "VMLAUNCH",
	[21] = "VMPTRLD",
	[22] = "VMPTRST",
	[23] = "VMREAD",
	[24] = "VMRESUME",
	[25] = "VMWRITE",
	[26] = "VMOFF",
	[27] = "VMON",
	[28] = "CR_ACCESS",
	[29] = "DR_ACCESS",
	[30] = "IO_INSTRUCTION",
	[31] = "MSR_READ",
	[32] = "MSR_WRITE",
	[33] = "INVALID_STATE",
	[34] = "MSR_LOAD_FAIL",
	[36] = "MWAIT_INSTRUCTION",
	[37] = "MONITOR_TRAP_FLAG",
	[39] = "MONITOR_INSTRUCTION",
	[40] = "PAUSE_INSTRUCTION",
	[41] = "MCE_DURING_VMENTRY",
	[43] = "TPR_BELOW_THRESHOLD",
	[44] = "APIC_ACCESS",
	[45] = "EOI_INDUCED",
	[46] = "GDTR_IDTR",
	[47] = "LDTR_TR",
	[48] = "EPT_VIOLATION",
	[49] = "EPT_MISCONFIG",
	[50] = "INVEPT",
	[51] = "RDTSCP",
	[52] = "PREEMPTION_TIMER",
	[53] = "INVVPID",
	[54] = "WBINVD",
	[55] = "XSETBV",
	[56] = "APIC_WRITE",
	[57] = "RDRAND",
	[58] = "INVPCID",
	[59] = "VMFUNC",
	[60] = "ENCLS",
	[61] = "RDSEED",
	[62] = "PML_FULL",
	[63] = "XSAVES",
	[64] = "XRSTORS",
	[65] = "PCONFIG",
	[66] = "SPP",
	[67] = "UMWAIT",
	[68] = "TPAUSE",
	[69] = "LOADIWKEY",
	[70] = "ENCLV",
	[72] = "ENQCMD_PASID_FAIL",
	[73] = "ENQCMDS_PASID_FAIL",
	[74] = "BUS_LOCK",
	[75] = "NOTIFY",
	[76] = "SEAMCALL",
	[77] = "TDCALL",
	[78] = "RDMSRLIST",
	[79] = "WRMSRLIST",
	[84] = "MSR_READ_IMM",
	[85] = "MSR_WRITE_IMM",
};

const char *vmcsinfo_exit_reason_name(uint32_t basic)
{
	return basic < N(exit_reasons) ? exit_reasons[basic] : NULL;
}

const char *vmcsinfo_intr_type_name(unsigned int type)
{
	static const char *const names[8] = {
		"external interrupt", NULL, "NMI", "hardware exception",
		"software interrupt", "privileged software exception",
		"software exception", "other event",
	};

	return type < 8 ? names[type] : NULL;
}

const char *vmcsinfo_activity_state_name(uint32_t state)
{
	static const char *const names[] = {
		"ACTIVE", "HLT", "SHUTDOWN", "WAIT_FOR_SIPI",
	};

	return state < N(names) ? names[state] : NULL;
}

const char *vmcsinfo_vm_insn_error_name(uint32_t error)
{
	static const char *const names[] = {
		[1] = "VMCALL executed in VMX root operation",
		[2] = "VMCLEAR with invalid physical address",
		[3] = "VMCLEAR with VMXON pointer",
		[4] = "VMLAUNCH with non-clear VMCS",
		[5] = "VMRESUME with non-launched VMCS",
		[6] = "VMRESUME after VMXOFF",
		[7] = "VM entry with invalid control field(s)",
		[8] = "VM entry with invalid host-state field(s)",
		[9] = "VMPTRLD with invalid physical address",
		[10] = "VMPTRLD with VMXON pointer",
		[11] = "VMPTRLD with incorrect VMCS revision identifier",
		[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
		[13] = "VMWRITE to read-only VMCS component",
		[15] = "VMXON executed in VMX root operation",
		[16] = "VM entry with invalid executive-VMCS pointer",
		[17] = "VM entry with non-launched executive VMCS",
		[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
		[19] = "VMCALL with non-clear VMCS",
		[20] = "VMCALL with invalid VM-exit control fields",
		[22] = "VMCALL with incorrect MSEG revision identifier",
		[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
		[24] = "VMCALL with invalid SMM-monitor features",
		[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
		[26] = "VM entry with events blocked by MOV SS",
		[28] = "invalid operand to INVEPT/INVVPID",
	};

	return error < N(names) ? names[error] : NULL;
}

const char *vmcsinfo_segment_type_name(unsigned int type, bool s)
{
	static const char *const code_data[16] = {
		"data, read-only", "data, read-only, accessed",
		"data, read/write", "data, read/write, accessed",
		"data, read-only, expand-down",
		"data, read-only, expand-down, accessed",
		"data, read/write, expand-down",
		"data, read/write, expand-down, accessed",
		"code, execute-only", "code, execute-only, accessed",
		"code, execute/read", "code, execute/read, accessed",
		"code, execute-only, conforming",
		"code, execute-only, conforming, accessed",
		"code, execute/read, conforming",
		"code, execute/read, conforming, accessed",
	};
	/* IA-32e mode system descriptor types; 1-3 are 16-bit leftovers. */
	static const char *const system[16] = {
		"reserved", "16-bit TSS (available)", "LDT", "16-bit TSS (busy)",
		"16-bit call gate", "task gate", "16-bit interrupt gate",
		"16-bit trap gate", "reserved", "TSS (available)", "reserved",
		"TSS (busy)", "call gate", "reserved", "interrupt gate",
		"trap gate",
	};

	return (s ? code_data : system)[type & 15];
}

const char *vmcsinfo_memory_type_name(unsigned int type)
{
	static const char *const names[8] = {
		"UC", "WC", NULL, NULL, "WT", "WP", "WB", NULL,
	};

	return type < 8 ? names[type] : NULL;
}
