// SPDX-License-Identifier: GPL-2.0
/*
 * VMX capabilities: reading them on each CPU, the bring-up checks that
 * decide whether VMXON may be tried at all (decided by the shared core,
 * core/bringup.c; acted on and logged here), and the comparison of all
 * online CPUs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>

#include "vmcsinfo_kmod.h"

/* Allowed-1 settings are the high 32 bits of a control capability MSR. */
#define PROCBASED_ALLOW_SECONDARY	BIT_ULL(32 + 31)
#define PROCBASED_ALLOW_TERTIARY	BIT_ULL(32 + 17)
#define SECONDARY_ALLOW_EPT		BIT_ULL(32 + 1)
#define SECONDARY_ALLOW_VPID		BIT_ULL(32 + 5)
#define SECONDARY_ALLOW_VMFUNC		BIT_ULL(32 + 13)
#define EXIT_ALLOW_SECONDARY		BIT_ULL(32 + 31)

/* At most this many capability differences are logged. */
#define MAX_DIFFS_LOGGED		16

/* The shared core spells the architecture itself: it must agree. */
static_assert(VMCSINFO_FC_LOCKED == FEAT_CTL_LOCKED);
static_assert(VMCSINFO_FC_VMX_INSIDE_SMX == FEAT_CTL_VMX_ENABLED_INSIDE_SMX);
static_assert(VMCSINFO_FC_VMX_OUTSIDE_SMX == FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX);
static_assert(VMCSINFO_MSR_VMX_BASIC == MSR_IA32_VMX_BASIC);
static_assert(VMCSINFO_MSR_VMX_MISC == MSR_IA32_VMX_MISC);
static_assert(VMCSINFO_MSR_VMX_CR0_FIXED0 == MSR_IA32_VMX_CR0_FIXED0);
static_assert(VMCSINFO_MSR_VMX_CR0_FIXED1 == MSR_IA32_VMX_CR0_FIXED1);
static_assert(VMCSINFO_MSR_VMX_CR4_FIXED0 == MSR_IA32_VMX_CR4_FIXED0);
static_assert(VMCSINFO_MSR_VMX_CR4_FIXED1 == MSR_IA32_VMX_CR4_FIXED1);
static_assert(VMCSINFO_BASIC_SIZE_SHIFT == VMX_BASIC_VMCS_SIZE_SHIFT);
static_assert(VMCSINFO_BASIC_PA_32BIT == VMX_BASIC_64);
static_assert(VMCSINFO_BASIC_MEMTYPE_SHIFT == VMX_BASIC_MEM_TYPE_SHIFT);
static_assert((u64)VMCSINFO_BASIC_MEMTYPE_MASK << VMCSINFO_BASIC_MEMTYPE_SHIFT ==
	      VMX_BASIC_MEM_TYPE_MASK);
static_assert(VMCSINFO_MEMTYPE_WB == VMX_BASIC_MEM_TYPE_WB);
static_assert(VMCSINFO_CR4_VMXE == X86_CR4_VMXE);

static void read_cap_msr(struct vmcsinfo_caps *caps, u32 msr)
{
	u64 value;

	if (rdmsrl_safe(msr, &value))
		return;
	caps->msrs[VMCSINFO_MSR_IDX(msr)] = value;
	caps->msr_valid |= BIT(VMCSINFO_MSR_IDX(msr));
}

static bool cap_valid(const struct vmcsinfo_caps *caps, u32 msr)
{
	return caps->msr_valid & BIT(VMCSINFO_MSR_IDX(msr));
}

static bool cap_has(const struct vmcsinfo_caps *caps, u32 msr, u64 bits)
{
	return cap_valid(caps, msr) && (vmcsinfo_cap(caps, msr) & bits);
}

/*
 * smp_call_function_single() callback: fill the struct vmcsinfo_caps at
 * info with what this CPU reports.  MSRs 0x48B..0x493 exist only when
 * other capabilities say so; rdmsrl_safe() would catch the #GP anyway, but
 * not reading them keeps msr_valid an honest statement of what exists.
 */
void vmcsinfo_read_caps(void *info)
{
	struct vmcsinfo_caps *caps = info;
	u32 eax, ebx, ecx, edx;
	u32 msr;

	memset(caps, 0, sizeof(*caps));
	cpuid(0, &eax, &ebx, &ecx, &edx);
	caps->vendor[0] = ebx;
	caps->vendor[1] = edx;
	caps->vendor[2] = ecx;
	cpuid(1, &eax, &ebx, &ecx, &edx);
	caps->cpuid1_eax = eax;
	caps->cpuid1_ecx = ecx;
	if (!(ecx & VMCSINFO_CPUID1_ECX_VMX))
		return;

	caps->feat_ctl_ok = !rdmsrl_safe(MSR_IA32_FEAT_CTL, &caps->feat_ctl);
	for (msr = MSR_IA32_VMX_BASIC; msr <= MSR_IA32_VMX_VMCS_ENUM; msr++)
		read_cap_msr(caps, msr);

	if (cap_has(caps, MSR_IA32_VMX_PROCBASED_CTLS,
		    PROCBASED_ALLOW_SECONDARY))
		read_cap_msr(caps, MSR_IA32_VMX_PROCBASED_CTLS2);
	if (cap_has(caps, MSR_IA32_VMX_PROCBASED_CTLS2,
		    SECONDARY_ALLOW_EPT | SECONDARY_ALLOW_VPID))
		read_cap_msr(caps, MSR_IA32_VMX_EPT_VPID_CAP);
	if (cap_has(caps, MSR_IA32_VMX_BASIC, VMX_BASIC_TRUE_CTLS))
		for (msr = MSR_IA32_VMX_TRUE_PINBASED_CTLS;
		     msr <= MSR_IA32_VMX_TRUE_ENTRY_CTLS; msr++)
			read_cap_msr(caps, msr);
	if (cap_has(caps, MSR_IA32_VMX_PROCBASED_CTLS2,
		    SECONDARY_ALLOW_VMFUNC))
		read_cap_msr(caps, MSR_IA32_VMX_VMFUNC);
	if (cap_has(caps, MSR_IA32_VMX_PROCBASED_CTLS,
		    PROCBASED_ALLOW_TERTIARY))
		read_cap_msr(caps, MSR_IA32_VMX_PROCBASED_CTLS3);
	/* IA32_VMX_EXIT_CTLS2: no name for it in the 6.1 headers. */
	if (cap_has(caps, MSR_IA32_VMX_EXIT_CTLS, EXIT_ALLOW_SECONDARY))
		read_cap_msr(caps, VMCSINFO_MSR_FIRST + 0x13);
}

/*
 * The input of the shared bring-up decisions (core/bringup.c) from what
 * vmcsinfo_read_caps() saw on one CPU.  CR0 and CR4 are not known here:
 * the probe window reads them and sets cr_known.
 */
void vmcsinfo_bringup_input(const struct vmcsinfo_caps *caps,
			    bool may_write_feat_ctl,
			    struct vmcsinfo_bringup_in *in)
{
	memset(in, 0, sizeof(*in));
	in->cpuid1_ecx = caps->cpuid1_ecx;
	in->feat_ctl_readable = caps->feat_ctl_ok;
	in->feat_ctl = caps->feat_ctl;
	in->may_write_feat_ctl = may_write_feat_ctl;
	in->msr_valid = caps->msr_valid;
	memcpy(in->msrs, caps->msrs, sizeof(in->msrs));
}

/* A refusal is an error; the one thing done on the way is news. */
void vmcsinfo_log_bringup(const struct vmcsinfo_bringup_in *in,
			  const struct vmcsinfo_bringup_out *out,
			  unsigned int cpu)
{
	char text[VMCSINFO_BRINGUP_TEXT_MAX];

	if (out->verdict == VMCSINFO_BRINGUP_OK)
		return;
	vmcsinfo_bringup_text(in, out, cpu, text, sizeof(text));
	if (out->verdict == VMCSINFO_BRINGUP_OK_WRITE_FEAT_CTL)
		pr_info("%s\n", text);
	else
		pr_err("%s\n", text);
}

/*
 * The bring-up checks for one CPU, from what vmcsinfo_read_caps() saw
 * there; CR0 and CR4 are checked in the probe window.  The shared core
 * decides; the only action, locking IA32_FEATURE_CONTROL, is taken here,
 * and only when the administrator allowed it and every other check
 * passed.  Each refusal has its own errno (see docs/ABI and kmod/README).
 */
int vmcsinfo_check_caps(const struct vmcsinfo_caps *caps, unsigned int cpu,
			bool enable_feature_control)
{
	struct vmcsinfo_bringup_in in;
	struct vmcsinfo_bringup_out out;

	vmcsinfo_bringup_input(caps, enable_feature_control, &in);
	vmcsinfo_bringup_check(&in, &out);
	if (out.verdict == VMCSINFO_BRINGUP_OK_WRITE_FEAT_CTL &&
	    wrmsrl_safe_on_cpu(cpu, MSR_IA32_FEAT_CTL, out.feat_ctl_write)) {
		pr_err("cannot write IA32_FEATURE_CONTROL on CPU %u\n", cpu);
		return -EIO;
	}
	vmcsinfo_log_bringup(&in, &out, cpu);
	return vmcsinfo_bringup_errno(out.verdict);
}

static bool report_diff(unsigned int *logged, unsigned int cpu,
			unsigned int ref_cpu, u32 msr, u64 value, u64 ref)
{
	if (*logged < MAX_DIFFS_LOGGED)
		pr_warn("CPU %u: MSR 0x%x = 0x%llx, CPU %u has 0x%llx\n",
			cpu, msr, value, ref_cpu, ref);
	else if (*logged == MAX_DIFFS_LOGGED)
		pr_warn("more capability differences not logged\n");
	(*logged)++;
	return true;
}

/*
 * Compare every online CPU's capability MSRs with those of ref_cpu, the
 * CPU that was probed.  A VMCS layout belongs to one processor design; a
 * machine whose CPUs report different VMX capabilities may use more than
 * one.  Returns the number of CPUs that differ; *nr_cpus gets the number
 * compared.
 */
int vmcsinfo_compare_caps(const struct vmcsinfo_caps *all,
			  unsigned int ref_cpu, unsigned int *nr_cpus)
{
	const struct vmcsinfo_caps *ref = &all[ref_cpu];
	unsigned int cpu, i, logged = 0;
	int differ = 0;

	*nr_cpus = 0;
	for_each_online_cpu(cpu) {
		const struct vmcsinfo_caps *c = &all[cpu];
		bool diff = false;

		(*nr_cpus)++;
		if (c->cpuid1_eax != ref->cpuid1_eax)
			pr_info("CPU %u: CPUID signature 0x%x, CPU %u has 0x%x\n",
				cpu, c->cpuid1_eax, ref_cpu, ref->cpuid1_eax);
		for (i = 0; i < VMCSINFO_NR_MSRS; i++) {
			bool valid = c->msr_valid & BIT(i);
			bool ref_valid = ref->msr_valid & BIT(i);

			if (valid != ref_valid ||
			    (valid && c->msrs[i] != ref->msrs[i]))
				diff = report_diff(&logged, cpu, ref_cpu,
						   VMCSINFO_MSR_FIRST + i,
						   valid ? c->msrs[i] : 0,
						   ref_valid ? ref->msrs[i] : 0);
		}
		if (diff)
			differ++;
	}
	return differ;
}
