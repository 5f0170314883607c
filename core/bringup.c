// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The bring-up decisions.  See include/vmcsinfo/bringup.h for the
 * contract; the rules, all from the Intel SDM, Vol. 3:
 *
 * - VMX exists when CPUID.1:ECX[5] is set; only then do
 *   IA32_FEATURE_CONTROL and the capability MSRs 0x480-0x48A exist.
 * - VMXON raises #GP unless IA32_FEATURE_CONTROL is locked (bit 0) with
 *   "VMX outside SMX" (bit 2) set.  Once locked, the MSR cannot be
 *   written until reset: a lock without bit 2 is firmware's final word.
 *   An unlocked MSR may be given bit 2 and the lock, keeping its other
 *   bits (SGX, SENTER, LMCE, ... enables that firmware set up).
 * - IA32_VMX_BASIC[44:32] is the size of the VMXON and VMCS regions,
 *   between 1 and 4096 bytes; [53:50] the memory type the CPU uses for
 *   them (0 uncacheable, 6 write-back; the module's pages are write-back);
 *   [48] set limits their physical addresses to 32 bits.
 * - In VMX operation, a CR0 or CR4 bit set in IA32_VMX_CRn_FIXED0 must be
 *   1 and a bit clear in IA32_VMX_CRn_FIXED1 must be 0; VMXON checks it.
 *   CR4.VMXE, which FIXED0 requires, is set by the module right before
 *   VMXON, so CR4 is judged with it set.
 */
#include "vmcsinfo/bringup.h"
#include "vmcsinfo/layout.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif

/* Without these the checks cannot be made or the probe cannot run. */
#define NEEDED_MSRS	(BIT(VMCSINFO_MSR_VMX_BASIC - VMCSINFO_MSR_FIRST) | \
			 BIT(VMCSINFO_MSR_VMX_MISC - VMCSINFO_MSR_FIRST) | \
			 CR_FIXED_MSRS)
#define CR_FIXED_MSRS	(BIT(VMCSINFO_MSR_VMX_CR0_FIXED0 - VMCSINFO_MSR_FIRST) | \
			 BIT(VMCSINFO_MSR_VMX_CR0_FIXED1 - VMCSINFO_MSR_FIRST) | \
			 BIT(VMCSINFO_MSR_VMX_CR4_FIXED0 - VMCSINFO_MSR_FIRST) | \
			 BIT(VMCSINFO_MSR_VMX_CR4_FIXED1 - VMCSINFO_MSR_FIRST))

static u64 cap(const struct vmcsinfo_bringup_in *in, u32 msr)
{
	return in->msrs[msr - VMCSINFO_MSR_FIRST];
}

static bool have_msrs(const struct vmcsinfo_bringup_in *in, u32 mask)
{
	return (in->msr_valid & mask) == mask;
}

static bool cr_fixed_ok(u64 cr, u64 fixed0, u64 fixed1)
{
	/* FIXED0: bits that must be 1; FIXED1: bits that may be 1. */
	return (cr & fixed0) == fixed0 && !(cr & ~fixed1);
}

enum vmcsinfo_bringup_verdict
vmcsinfo_bringup_check_cr(const struct vmcsinfo_bringup_in *in)
{
	if (!have_msrs(in, CR_FIXED_MSRS))
		return VMCSINFO_BRINGUP_CAPS_UNREADABLE;
	if (!cr_fixed_ok(in->cr0, cap(in, VMCSINFO_MSR_VMX_CR0_FIXED0),
			 cap(in, VMCSINFO_MSR_VMX_CR0_FIXED1)))
		return VMCSINFO_BRINGUP_CR0;
	if (!cr_fixed_ok(in->cr4 | VMCSINFO_CR4_VMXE,
			 cap(in, VMCSINFO_MSR_VMX_CR4_FIXED0),
			 cap(in, VMCSINFO_MSR_VMX_CR4_FIXED1)))
		return VMCSINFO_BRINGUP_CR4;
	return VMCSINFO_BRINGUP_OK;
}

/* OK, or a refusal; *write gets the value to write, or 0 for none. */
static enum vmcsinfo_bringup_verdict
check_feature_control(const struct vmcsinfo_bringup_in *in, u64 *write)
{
	u64 fc = in->feat_ctl;

	*write = 0;
	if (!in->feat_ctl_readable)
		return VMCSINFO_BRINGUP_FEAT_CTL_UNREADABLE;
	if (fc & VMCSINFO_FC_LOCKED)
		return fc & VMCSINFO_FC_VMX_OUTSIDE_SMX ?
		       VMCSINFO_BRINGUP_OK : VMCSINFO_BRINGUP_FEAT_CTL_DISABLED;
	if (!in->may_write_feat_ctl)
		return VMCSINFO_BRINGUP_FEAT_CTL_UNLOCKED;
	*write = fc | VMCSINFO_FC_LOCKED | VMCSINFO_FC_VMX_OUTSIDE_SMX;
	return VMCSINFO_BRINGUP_OK;
}

static enum vmcsinfo_bringup_verdict
check_basic(const struct vmcsinfo_bringup_in *in)
{
	u64 basic = cap(in, VMCSINFO_MSR_VMX_BASIC);
	u32 size = vmcsinfo_basic_region_size(basic);

	if (size == 0 || size > VMCSINFO_MAX_REGION)
		return VMCSINFO_BRINGUP_REGION_SIZE;
	if (vmcsinfo_basic_memtype(basic) != VMCSINFO_MEMTYPE_WB)
		return VMCSINFO_BRINGUP_MEMTYPE;
	return VMCSINFO_BRINGUP_OK;
}

void vmcsinfo_bringup_check(const struct vmcsinfo_bringup_in *in,
			    struct vmcsinfo_bringup_out *out)
{
	enum vmcsinfo_bringup_verdict v;
	u64 write;

	out->verdict = VMCSINFO_BRINGUP_OK;
	out->feat_ctl_write = 0;
	out->below_4g = false;

	if (!(in->cpuid1_ecx & VMCSINFO_CPUID1_ECX_VMX)) {
		out->verdict = VMCSINFO_BRINGUP_NO_VMX;
		return;
	}
	v = check_feature_control(in, &write);
	if (v == VMCSINFO_BRINGUP_OK && !have_msrs(in, NEEDED_MSRS))
		v = VMCSINFO_BRINGUP_CAPS_UNREADABLE;
	if (v == VMCSINFO_BRINGUP_OK) {
		out->below_4g = vmcsinfo_basic_pa_32bit(cap(in, VMCSINFO_MSR_VMX_BASIC));
		v = check_basic(in);
	}
	if (v == VMCSINFO_BRINGUP_OK && in->cr_known)
		v = vmcsinfo_bringup_check_cr(in);
	if (v == VMCSINFO_BRINGUP_OK && write) {
		v = VMCSINFO_BRINGUP_OK_WRITE_FEAT_CTL;
		out->feat_ctl_write = write;
	}
	out->verdict = v;
}

int vmcsinfo_bringup_errno(enum vmcsinfo_bringup_verdict verdict)
{
	switch (verdict) {
	case VMCSINFO_BRINGUP_OK:
	case VMCSINFO_BRINGUP_OK_WRITE_FEAT_CTL:
		return 0;
	case VMCSINFO_BRINGUP_NO_VMX:
		return -ENODEV;
	case VMCSINFO_BRINGUP_FEAT_CTL_UNREADABLE:
	case VMCSINFO_BRINGUP_CAPS_UNREADABLE:
		return -EIO;
	case VMCSINFO_BRINGUP_FEAT_CTL_DISABLED:
		return -EPERM;
	case VMCSINFO_BRINGUP_FEAT_CTL_UNLOCKED:
		return -EACCES;
	case VMCSINFO_BRINGUP_REGION_SIZE:
		return -EMSGSIZE;
	case VMCSINFO_BRINGUP_MEMTYPE:
		return -EOPNOTSUPP;
	case VMCSINFO_BRINGUP_CR0:
		return -EDOM;
	case VMCSINFO_BRINGUP_CR4:
		return -ERANGE;
	default:
		return -EINVAL;
	}
}

/* ---- text: the kernel's printf formats, interpreted here ---- */

static void put_char(char *buf, size_t len, size_t *pos, char c)
{
	if (*pos + 1 < len)
		buf[(*pos)++] = c;
	buf[*pos] = 0;
}

static void put_num(char *buf, size_t len, size_t *pos, u64 v,
		    unsigned int base)
{
	char tmp[21];	/* 2^64 - 1 has 20 decimal digits */
	int i = 0;

	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i > 0)
		put_char(buf, len, pos, tmp[--i]);
}

/*
 * fmt is plain text with "%u" (decimal) and "%x" (hexadecimal, lower
 * case, no prefix) taking the next of nargs values, and "%%".
 */
static void format(char *buf, size_t len, const char *fmt, const u64 *args,
		   unsigned int nargs)
{
	unsigned int next = 0;
	size_t pos = 0;

	buf[0] = 0;
	for (; *fmt; fmt++) {
		if (*fmt != '%' || (fmt[1] != 'u' && fmt[1] != 'x')) {
			if (*fmt == '%' && fmt[1] == '%')
				fmt++;
			put_char(buf, len, &pos, *fmt);
			continue;
		}
		fmt++;
		if (next < nargs)
			put_num(buf, len, &pos, args[next++],
				*fmt == 'u' ? 10 : 16);
		else
			put_char(buf, len, &pos, '?');
	}
}

/* The message of each verdict, with its values in the order of args[]. */
static const char * const bringup_fmt[VMCSINFO_BRINGUP_NR_VERDICTS] = {
	[VMCSINFO_BRINGUP_OK] =
		"CPU %u: VMX bring-up checks passed",
	[VMCSINFO_BRINGUP_OK_WRITE_FEAT_CTL] =
		"CPU %u: IA32_FEATURE_CONTROL 0x%x -> 0x%x (enable_feature_control=1)",
	[VMCSINFO_BRINGUP_NO_VMX] =
		"CPU has no VMX (CPUID.1:ECX[5] clear on CPU %u)",
	[VMCSINFO_BRINGUP_FEAT_CTL_UNREADABLE] =
		"cannot read IA32_FEATURE_CONTROL on CPU %u",
	[VMCSINFO_BRINGUP_FEAT_CTL_DISABLED] =
		"VMX disabled by firmware: IA32_FEATURE_CONTROL 0x%x is locked without VMX outside SMX (CPU %u)",
	[VMCSINFO_BRINGUP_FEAT_CTL_UNLOCKED] =
		"IA32_FEATURE_CONTROL 0x%x is unlocked on CPU %u: load with enable_feature_control=1 to enable VMX and lock it",
	[VMCSINFO_BRINGUP_CAPS_UNREADABLE] =
		"cannot read the VMX capability MSRs on CPU %u (valid mask 0x%x)",
	[VMCSINFO_BRINGUP_REGION_SIZE] =
		"IA32_VMX_BASIC 0x%x gives a VMCS region of %u bytes, not 1..%u",
	[VMCSINFO_BRINGUP_MEMTYPE] =
		"IA32_VMX_BASIC 0x%x gives VMCS memory type %u, only write-back (6) is supported",
	[VMCSINFO_BRINGUP_CR0] =
		"CPU %u: CR0 0x%x violates IA32_VMX_CR0_FIXED0/1 0x%x/0x%x; not changing CR0",
	[VMCSINFO_BRINGUP_CR4] =
		"CPU %u: CR4 0x%x with VMXE violates IA32_VMX_CR4_FIXED0/1 0x%x/0x%x; not changing CR4",
};

void vmcsinfo_bringup_text(const struct vmcsinfo_bringup_in *in,
			   const struct vmcsinfo_bringup_out *out,
			   unsigned int cpu, char *buf, size_t len)
{
	u64 basic = cap(in, VMCSINFO_MSR_VMX_BASIC);
	u64 args[4] = { cpu };

	if (!len)
		return;
	switch (out->verdict) {
	case VMCSINFO_BRINGUP_OK_WRITE_FEAT_CTL:
		args[1] = in->feat_ctl;
		args[2] = out->feat_ctl_write;
		break;
	case VMCSINFO_BRINGUP_FEAT_CTL_DISABLED:
	case VMCSINFO_BRINGUP_FEAT_CTL_UNLOCKED:
		args[0] = in->feat_ctl;
		args[1] = cpu;
		break;
	case VMCSINFO_BRINGUP_CAPS_UNREADABLE:
		args[1] = in->msr_valid;
		break;
	case VMCSINFO_BRINGUP_REGION_SIZE:
		args[0] = basic;
		args[1] = vmcsinfo_basic_region_size(basic);
		args[2] = VMCSINFO_MAX_REGION;
		break;
	case VMCSINFO_BRINGUP_MEMTYPE:
		args[0] = basic;
		args[1] = vmcsinfo_basic_memtype(basic);
		break;
	case VMCSINFO_BRINGUP_CR0:
		args[1] = in->cr0;
		args[2] = cap(in, VMCSINFO_MSR_VMX_CR0_FIXED0);
		args[3] = cap(in, VMCSINFO_MSR_VMX_CR0_FIXED1);
		break;
	case VMCSINFO_BRINGUP_CR4:
		args[1] = in->cr4;
		args[2] = cap(in, VMCSINFO_MSR_VMX_CR4_FIXED0);
		args[3] = cap(in, VMCSINFO_MSR_VMX_CR4_FIXED1);
		break;
	case VMCSINFO_BRINGUP_OK:
	case VMCSINFO_BRINGUP_NO_VMX:
	case VMCSINFO_BRINGUP_FEAT_CTL_UNREADABLE:
		break;
	default:
		args[1] = (u64)out->verdict;
		format(buf, len, "CPU %u: unknown bring-up verdict %u", args,
		       ARRAY_SIZE(args));
		return;
	}
	format(buf, len, bringup_fmt[out->verdict], args, ARRAY_SIZE(args));
}
