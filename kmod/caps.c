// SPDX-License-Identifier: GPL-2.0
/*
 * VMX capabilities: reading them on each CPU, the bring-up checks that
 * decide whether VMXON may be tried at all, and the comparison of all
 * online CPUs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/cpumask.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>

#include "vmcsinfo_kmod.h"

#define CPUID1_ECX_VMX		BIT(5)

/* Allowed-1 settings are the high 32 bits of a control capability MSR. */
#define PROCBASED_ALLOW_SECONDARY	BIT_ULL(32 + 31)
#define PROCBASED_ALLOW_TERTIARY	BIT_ULL(32 + 17)
#define SECONDARY_ALLOW_EPT		BIT_ULL(32 + 1)
#define SECONDARY_ALLOW_VPID		BIT_ULL(32 + 5)
#define SECONDARY_ALLOW_VMFUNC		BIT_ULL(32 + 13)
#define EXIT_ALLOW_SECONDARY		BIT_ULL(32 + 31)

#define BASIC_REGION_SIZE(basic)	((u32)((basic) >> 32) & 0x1fff)
#define BASIC_MEM_TYPE(basic)		\
	((u32)(((basic) & VMX_BASIC_MEM_TYPE_MASK) >> VMX_BASIC_MEM_TYPE_SHIFT))

/* At most this many capability differences are logged. */
#define MAX_DIFFS_LOGGED		16

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
	if (!(ecx & CPUID1_ECX_VMX))
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
 * IA32_FEATURE_CONTROL must be locked with "VMX outside SMX" set or VMXON
 * raises #GP.  Firmware normally locks it and Linux locks it at boot, so an
 * unlocked MSR is changed only when the administrator asked for it.
 */
static int check_feature_control(const struct vmcsinfo_caps *caps,
				 unsigned int cpu, bool enable_feature_control)
{
	u64 fc = caps->feat_ctl;
	u64 want = fc | FEAT_CTL_LOCKED | FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX;

	if (!caps->feat_ctl_ok) {
		pr_err("cannot read IA32_FEATURE_CONTROL on CPU %u\n", cpu);
		return -EIO;
	}
	if (fc & FEAT_CTL_LOCKED) {
		if (fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)
			return 0;
		pr_err("VMX disabled by firmware: IA32_FEATURE_CONTROL 0x%llx is locked without VMX outside SMX (CPU %u)\n",
		       fc, cpu);
		return -EPERM;
	}
	if (!enable_feature_control) {
		pr_err("IA32_FEATURE_CONTROL 0x%llx is unlocked on CPU %u: load with enable_feature_control=1 to enable VMX and lock it\n",
		       fc, cpu);
		return -EACCES;
	}
	if (wrmsrl_safe_on_cpu(cpu, MSR_IA32_FEAT_CTL, want)) {
		pr_err("cannot write IA32_FEATURE_CONTROL on CPU %u\n", cpu);
		return -EIO;
	}
	pr_info("CPU %u: IA32_FEATURE_CONTROL 0x%llx -> 0x%llx (enable_feature_control=1)\n",
		cpu, fc, want);
	return 0;
}

/*
 * The bring-up checks for one CPU, from what vmcsinfo_read_caps() saw
 * there.  Each refusal has its own errno (see docs/ABI and kmod/README).
 */
int vmcsinfo_check_caps(const struct vmcsinfo_caps *caps, unsigned int cpu,
			bool enable_feature_control)
{
	u64 basic;
	u32 size, memtype;
	int ret;

	if (!(caps->cpuid1_ecx & CPUID1_ECX_VMX)) {
		pr_err("CPU has no VMX (CPUID.1:ECX[5] clear on CPU %u)\n",
		       cpu);
		return -ENODEV;
	}
	ret = check_feature_control(caps, cpu, enable_feature_control);
	if (ret)
		return ret;

	if (!cap_valid(caps, MSR_IA32_VMX_BASIC) ||
	    !cap_valid(caps, MSR_IA32_VMX_MISC) ||
	    !cap_valid(caps, MSR_IA32_VMX_CR0_FIXED0) ||
	    !cap_valid(caps, MSR_IA32_VMX_CR0_FIXED1) ||
	    !cap_valid(caps, MSR_IA32_VMX_CR4_FIXED0) ||
	    !cap_valid(caps, MSR_IA32_VMX_CR4_FIXED1)) {
		pr_err("cannot read the VMX capability MSRs on CPU %u (valid mask 0x%x)\n",
		       cpu, caps->msr_valid);
		return -EIO;
	}
	basic = vmcsinfo_cap(caps, MSR_IA32_VMX_BASIC);
	size = BASIC_REGION_SIZE(basic);
	if (size == 0 || size > VMCSINFO_MAX_REGION) {
		pr_err("IA32_VMX_BASIC 0x%llx gives a VMCS region of %u bytes, not 1..%u\n",
		       basic, size, VMCSINFO_MAX_REGION);
		return -EMSGSIZE;
	}
	memtype = BASIC_MEM_TYPE(basic);
	if (memtype != VMX_BASIC_MEM_TYPE_WB) {
		pr_err("IA32_VMX_BASIC 0x%llx gives VMCS memory type %u, only write-back (6) is supported\n",
		       basic, memtype);
		return -EOPNOTSUPP;
	}
	return 0;
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
