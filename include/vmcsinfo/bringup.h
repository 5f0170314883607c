/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The bring-up decisions: from what a CPU reports (CPUID, the
 * IA32_FEATURE_CONTROL MSR, the VMX capability MSRs, CR0 and CR4), may
 * VMXON be tried on it, and what must be done first?  Pure functions of
 * their input, freestanding C compiled unchanged into vmcsinfo.ko and the
 * unit tests, so that every outcome can be tested on simulated CPUs,
 * including the ones no emulator produces.  The caller reads the MSRs,
 * writes IA32_FEATURE_CONTROL when told to, and logs the text.
 *
 * The rules are those of the Intel SDM, Vol. 3: "Discovering Support for
 * VMX", "Enabling and Entering VMX Operation", "Restrictions on VMX
 * Operation" and Appendix A ("VMX Capability Reporting Facility").
 */
#ifndef VMCSINFO_BRINGUP_H
#define VMCSINFO_BRINGUP_H

#include "types.h"
#include "note.h"

/* CPUID.1:ECX[5]: the processor supports VMX. */
#define VMCSINFO_CPUID1_ECX_VMX		BIT(5)

/* IA32_FEATURE_CONTROL (MSR 0x3a) bits. */
#define VMCSINFO_FC_LOCKED		BIT_ULL(0)
#define VMCSINFO_FC_VMX_INSIDE_SMX	BIT_ULL(1)
#define VMCSINFO_FC_VMX_OUTSIDE_SMX	BIT_ULL(2)

/* The capability MSRs the bring-up checks cannot do without. */
#define VMCSINFO_MSR_VMX_BASIC		0x480u
#define VMCSINFO_MSR_VMX_MISC		0x485u
#define VMCSINFO_MSR_VMX_CR0_FIXED0	0x486u
#define VMCSINFO_MSR_VMX_CR0_FIXED1	0x487u
#define VMCSINFO_MSR_VMX_CR4_FIXED0	0x488u
#define VMCSINFO_MSR_VMX_CR4_FIXED1	0x489u

/* IA32_VMX_BASIC fields. */
#define VMCSINFO_BASIC_REVISION_MASK	0x7fffffffu	/* bits 30:0 */
#define VMCSINFO_BASIC_SIZE_SHIFT	32		/* bits 44:32 */
#define VMCSINFO_BASIC_SIZE_MASK	0x1fffu
#define VMCSINFO_BASIC_PA_32BIT		BIT_ULL(48)
#define VMCSINFO_BASIC_MEMTYPE_SHIFT	50		/* bits 53:50 */
#define VMCSINFO_BASIC_MEMTYPE_MASK	0xfu
#define VMCSINFO_MEMTYPE_UC		0u
#define VMCSINFO_MEMTYPE_WB		6u

/* CR4.VMXE: VMXON needs it, and the module sets it itself. */
#define VMCSINFO_CR4_VMXE		BIT_ULL(13)

static inline u32 vmcsinfo_basic_revision(u64 basic)
{
	return (u32)basic & VMCSINFO_BASIC_REVISION_MASK;
}

/* Bytes of the VMXON region and of a VMCS region. */
static inline u32 vmcsinfo_basic_region_size(u64 basic)
{
	return (u32)(basic >> VMCSINFO_BASIC_SIZE_SHIFT) &
	       VMCSINFO_BASIC_SIZE_MASK;
}

/* Memory type the CPU uses to access the VMCS and the structures it names. */
static inline u32 vmcsinfo_basic_memtype(u64 basic)
{
	return (u32)(basic >> VMCSINFO_BASIC_MEMTYPE_SHIFT) &
	       VMCSINFO_BASIC_MEMTYPE_MASK;
}

/* Bit 48: the VMXON region and every VMCS must lie below 4 GiB. */
static inline bool vmcsinfo_basic_pa_32bit(u64 basic)
{
	return basic & VMCSINFO_BASIC_PA_32BIT;
}

/*
 * The outcome, checked in this order; the first refusal wins.  Every
 * refusal has its own errno (vmcsinfo_bringup_errno(), kmod/README.md).
 */
enum vmcsinfo_bringup_verdict {
	VMCSINFO_BRINGUP_OK = 0,
	/* OK once out->feat_ctl_write is written to IA32_FEATURE_CONTROL. */
	VMCSINFO_BRINGUP_OK_WRITE_FEAT_CTL,
	VMCSINFO_BRINGUP_NO_VMX,		/* CPUID.1:ECX[5] clear */
	VMCSINFO_BRINGUP_FEAT_CTL_UNREADABLE,
	VMCSINFO_BRINGUP_FEAT_CTL_DISABLED,	/* locked without VMX outside SMX */
	VMCSINFO_BRINGUP_FEAT_CTL_UNLOCKED,	/* and writing it not allowed */
	VMCSINFO_BRINGUP_CAPS_UNREADABLE,	/* a needed capability MSR */
	VMCSINFO_BRINGUP_REGION_SIZE,		/* 0 or above 4096 bytes */
	VMCSINFO_BRINGUP_MEMTYPE,		/* not write-back */
	VMCSINFO_BRINGUP_CR0,			/* CR0 violates CR0_FIXED0/1 */
	VMCSINFO_BRINGUP_CR4,			/* CR4 | VMXE violates CR4_FIXED0/1 */
	VMCSINFO_BRINGUP_NR_VERDICTS
};

/* What was read on one CPU. */
struct vmcsinfo_bringup_in {
	u32 cpuid1_ecx;
	bool feat_ctl_readable;		/* RDMSR of IA32_FEATURE_CONTROL worked */
	u64 feat_ctl;
	bool may_write_feat_ctl;	/* the administrator allowed it */
	u32 msr_valid;			/* bit i: msrs[i] holds MSR 0x480 + i */
	u64 msrs[VMCSINFO_NR_MSRS];
	bool cr_known;			/* cr0 and cr4 are the CPU's, checked */
	u64 cr0;
	u64 cr4;			/* as found; VMXE is the module's own */
};

struct vmcsinfo_bringup_out {
	enum vmcsinfo_bringup_verdict verdict;
	u64 feat_ctl_write;	/* OK_WRITE_FEAT_CTL: the value to write */
	bool below_4g;		/* OK*: the VMX regions must lie below 4 GiB */
};

/* Room for the longest text of vmcsinfo_bringup_text(), with the NUL. */
#define VMCSINFO_BRINGUP_TEXT_MAX	192

/*
 * All checks: CPUID, IA32_FEATURE_CONTROL, the capability MSRs,
 * IA32_VMX_BASIC and, when in->cr_known, CR0 and CR4.  Nothing is to be
 * written unless every check passes: the lock of IA32_FEATURE_CONTROL
 * lasts until the next reset.
 */
void vmcsinfo_bringup_check(const struct vmcsinfo_bringup_in *in,
			    struct vmcsinfo_bringup_out *out);

/*
 * CR0 and CR4 alone (in->cr0, in->cr4, the FIXED MSRs; in->cr_known is
 * not looked at), for the moment just before CR4.VMXE is set: OK, CR0,
 * CR4, or CAPS_UNREADABLE when a FIXED MSR is missing.  CR0 must already
 * be right, the module never changes it; CR4 is checked with VMXE set, as
 * it will be at VMXON.
 */
enum vmcsinfo_bringup_verdict
vmcsinfo_bringup_check_cr(const struct vmcsinfo_bringup_in *in);

/* 0 for OK and OK_WRITE_FEAT_CTL, else the load's negative errno. */
int vmcsinfo_bringup_errno(enum vmcsinfo_bringup_verdict verdict);

/*
 * One line of English for out->verdict on that CPU, without a newline and
 * with the values that explain it, into buf (truncated to len; at most
 * VMCSINFO_BRINGUP_TEXT_MAX bytes with the NUL).  These are the module's
 * log messages.
 */
void vmcsinfo_bringup_text(const struct vmcsinfo_bringup_in *in,
			   const struct vmcsinfo_bringup_out *out,
			   unsigned int cpu, char *buf, size_t len);

#endif /* VMCSINFO_BRINGUP_H */
