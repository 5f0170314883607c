// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The bring-up decisions (core/bringup.c) on simulated CPUs, including the
 * ones Bochs cannot produce (its kernel locks IA32_FEATURE_CONTROL with VMX
 * on at boot; its capability MSRs and control registers are always sane).
 *
 * Every simulated CPU is a healthy one with a few deviations.  The expected
 * verdicts, values to write and errnos come from the Intel SDM, Vol. 3
 * ("Enabling and Entering VMX Operation", "Restrictions on VMX Operation",
 * Appendix A) and from the errno table of kmod/README.md, never from the
 * code's output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "vmcsinfo/bringup.h"

#define IDX(msr)		((msr) - VMCSINFO_MSR_FIRST)

/* IA32_FEATURE_CONTROL bits, SDM Vol. 4, MSR 0x3a. */
#define FC_LOCK			0x1ULL
#define FC_IN_SMX		0x2ULL
#define FC_OUT_SMX		0x4ULL
#define FC_SGX			0x40000ULL	/* bit 18 */
#define FC_LMCE			0x100000ULL	/* bit 20 */

/* A Skylake-like CPU: CPUID.1:ECX with VMX (bit 5) among others. */
#define ECX_HEALTHY		0x7ffafbffu
#define ECX_NO_VMX		(ECX_HEALTHY & ~0x20u)

/* IA32_VMX_BASIC from its fields (SDM A.1). */
#define BASIC_OF(revision, size, memtype, pa32)				\
	((u64)(revision) | (u64)(size) << 32 | ((pa32) ? 1ULL << 48 : 0) | \
	 (u64)(memtype) << 50)

/*
 * 0x00da040000000004 on a real Skylake: revision 4, 1024 bytes, dual
 * monitor (49), write-back (6 << 50), INS/OUTS info (54), TRUE controls
 * (55).
 */
#define BASIC_HEALTHY		0x00da040000000004ULL

#define CR0_PE			0x1ULL
#define CR0_NE			0x20ULL
#define CR0_CD			0x40000000ULL
#define CR0_PG			0x80000000ULL
#define CR4_PAE			0x20ULL
#define CR4_VMXE		0x2000ULL
#define CR4_PKE			0x400000ULL

/* CR0 of a running Linux: PG AM WP NE ET MP PE. */
#define CR0_HEALTHY		0x80050033ULL
/* CR4 of a running Linux, VMXE clear (the module sets it). */
#define CR4_HEALTHY		0x003706f0ULL
/* PE, NE, PG must be 1 (no unrestricted guest for VMXON). */
#define CR0_FIXED0_HEALTHY	(CR0_PG | CR0_NE | CR0_PE)
#define CR0_FIXED1_HEALTHY	0xffffffffULL
#define CR4_FIXED0_HEALTHY	CR4_VMXE
/* Bits 0-10, 13-14, 16-18, 20-21 may be 1. */
#define CR4_FIXED1_HEALTHY	0x003767ffULL

/* What can deviate from the healthy CPU. */
enum knob {
	END = 0,
	ECX,		/* CPUID.1:ECX */
	FC,		/* IA32_FEATURE_CONTROL value */
	FC_UNREADABLE,	/* RDMSR of it faults */
	MAY_WRITE,	/* enable_feature_control=1 */
	MISSING,	/* this capability MSR did not read */
	VALID,		/* msr_valid as a whole */
	BASIC,
	CR_UNKNOWN,	/* checks before the probe window: no CR0/CR4 */
	CR0,
	CR4,
	CR0_F0,
	CR0_F1,
	CR4_F0,
	CR4_F1,
};

struct deviation {
	enum knob knob;
	u64 value;
};

struct sim_cpu {
	const char *name;
	struct deviation dev[4];
	enum vmcsinfo_bringup_verdict verdict;
	int err;		/* the load's errno, kmod/README.md */
	u64 write;		/* what IA32_FEATURE_CONTROL must get, or 0 */
	bool below_4g;
};

static void healthy_cpu(struct vmcsinfo_bringup_in *in)
{
	unsigned int i;

	memset(in, 0, sizeof(*in));
	in->cpuid1_ecx = ECX_HEALTHY;
	in->feat_ctl_readable = true;
	in->feat_ctl = FC_LOCK | FC_OUT_SMX;
	/* 0x480-0x491 as on a CPU with secondary, EPT, TRUE, VMFUNC. */
	for (i = 0; i <= IDX(0x491u); i++)
		in->msr_valid |= 1u << i;
	for (i = 0; i < VMCSINFO_NR_MSRS; i++)
		in->msrs[i] = 0x1111111111111111ULL * (i + 1);	/* noise */
	in->msrs[IDX(VMCSINFO_MSR_VMX_BASIC)] = BASIC_HEALTHY;
	in->msrs[IDX(VMCSINFO_MSR_VMX_MISC)] = 0x7004c1e7ULL;
	in->msrs[IDX(VMCSINFO_MSR_VMX_CR0_FIXED0)] = CR0_FIXED0_HEALTHY;
	in->msrs[IDX(VMCSINFO_MSR_VMX_CR0_FIXED1)] = CR0_FIXED1_HEALTHY;
	in->msrs[IDX(VMCSINFO_MSR_VMX_CR4_FIXED0)] = CR4_FIXED0_HEALTHY;
	in->msrs[IDX(VMCSINFO_MSR_VMX_CR4_FIXED1)] = CR4_FIXED1_HEALTHY;
	in->cr_known = true;
	in->cr0 = CR0_HEALTHY;
	in->cr4 = CR4_HEALTHY;
}

static void deviate(struct vmcsinfo_bringup_in *in, const struct deviation *d)
{
	switch (d->knob) {
	case END:
		break;
	case ECX:
		in->cpuid1_ecx = (u32)d->value;
		break;
	case FC:
		in->feat_ctl = d->value;
		break;
	case FC_UNREADABLE:
		in->feat_ctl_readable = false;
		in->feat_ctl = 0;
		break;
	case MAY_WRITE:
		in->may_write_feat_ctl = true;
		break;
	case MISSING:
		in->msr_valid &= ~(1u << IDX((u32)d->value));
		in->msrs[IDX((u32)d->value)] = 0;
		break;
	case VALID:
		in->msr_valid = (u32)d->value;
		break;
	case BASIC:
		in->msrs[IDX(VMCSINFO_MSR_VMX_BASIC)] = d->value;
		break;
	case CR_UNKNOWN:
		in->cr_known = false;
		break;
	case CR0:
		in->cr0 = d->value;
		break;
	case CR4:
		in->cr4 = d->value;
		break;
	case CR0_F0:
		in->msrs[IDX(VMCSINFO_MSR_VMX_CR0_FIXED0)] = d->value;
		break;
	case CR0_F1:
		in->msrs[IDX(VMCSINFO_MSR_VMX_CR0_FIXED1)] = d->value;
		break;
	case CR4_F0:
		in->msrs[IDX(VMCSINFO_MSR_VMX_CR4_FIXED0)] = d->value;
		break;
	case CR4_F1:
		in->msrs[IDX(VMCSINFO_MSR_VMX_CR4_FIXED1)] = d->value;
		break;
	}
}

static void build(const struct sim_cpu *c, struct vmcsinfo_bringup_in *in)
{
	unsigned int i;

	healthy_cpu(in);
	for (i = 0; i < sizeof(c->dev) / sizeof(c->dev[0]); i++)
		deviate(in, &c->dev[i]);
}

#define V(x)	VMCSINFO_BRINGUP_##x
/* One deviation from the healthy CPU, with and without a value. */
#define D(k, v)	{ .knob = (k), .value = (v) }
#define D1(k)	{ .knob = (k) }
/* Rows: refused with an errno, or passed (writing nothing). */
#define REFUSED(name_, verdict_, err_, ...)				\
	{ .name = (name_), .verdict = V(verdict_), .err = (err_),	\
	  .dev = { __VA_ARGS__ } }
#define PASSES(name_, ...)						\
	{ .name = (name_), .verdict = V(OK), .dev = { __VA_ARGS__ } }
/* Passes once IA32_FEATURE_CONTROL gets write_. */
#define WRITES(name_, write_, ...)					\
	{ .name = (name_), .verdict = V(OK_WRITE_FEAT_CTL),		\
	  .write = (write_), .dev = { __VA_ARGS__ } }

static const struct sim_cpu cpus[] = {
	PASSES("healthy", D1(END)),

	/* CPUID */
	REFUSED("no VMX in CPUID", NO_VMX, -ENODEV, D(ECX, ECX_NO_VMX)),
	/* What vmcsinfo_read_caps() leaves: nothing read after CPUID. */
	REFUSED("no VMX, nothing else read", NO_VMX, -ENODEV,
		D(ECX, ECX_NO_VMX), D1(FC_UNREADABLE), D(VALID, 0)),

	/* IA32_FEATURE_CONTROL */
	REFUSED("locked without VMX (firmware disabled it)",
		FEAT_CTL_DISABLED, -EPERM, D(FC, FC_LOCK)),
	REFUSED("locked without VMX, may write: still never written",
		FEAT_CTL_DISABLED, -EPERM, D(FC, FC_LOCK), D1(MAY_WRITE)),
	REFUSED("locked with VMX inside SMX only",
		FEAT_CTL_DISABLED, -EPERM, D(FC, FC_LOCK | FC_IN_SMX)),
	PASSES("locked with VMX outside SMX", D(FC, FC_LOCK | FC_OUT_SMX)),
	PASSES("locked with VMX in and outside SMX",
	       D(FC, FC_LOCK | FC_IN_SMX | FC_OUT_SMX)),
	PASSES("locked with VMX and LMCE",
	       D(FC, FC_LOCK | FC_OUT_SMX | FC_LMCE)),
	PASSES("locked with VMX, may write: nothing to write",
	       D(FC, FC_LOCK | FC_OUT_SMX), D1(MAY_WRITE)),
	REFUSED("unlocked, not allowed", FEAT_CTL_UNLOCKED, -EACCES,
		D(FC, 0)),
	REFUSED("unlocked with VMX outside SMX set, not allowed",
		FEAT_CTL_UNLOCKED, -EACCES, D(FC, FC_OUT_SMX)),
	WRITES("unlocked, allowed", FC_LOCK | FC_OUT_SMX,
	       D(FC, 0), D1(MAY_WRITE)),
	WRITES("unlocked with SGX and LMCE, allowed: both kept",
	       FC_SGX | FC_LMCE | FC_LOCK | FC_OUT_SMX,
	       D(FC, FC_SGX | FC_LMCE), D1(MAY_WRITE)),
	WRITES("unlocked with VMX inside SMX, allowed: inside kept",
	       FC_IN_SMX | FC_LOCK | FC_OUT_SMX,
	       D(FC, FC_IN_SMX), D1(MAY_WRITE)),
	WRITES("unlocked with VMX outside SMX, allowed: only the lock added",
	       FC_LOCK | FC_OUT_SMX, D(FC, FC_OUT_SMX), D1(MAY_WRITE)),
	REFUSED("feature control unreadable", FEAT_CTL_UNREADABLE, -EIO,
		D1(FC_UNREADABLE)),
	REFUSED("feature control unreadable, may write", FEAT_CTL_UNREADABLE,
		-EIO, D1(FC_UNREADABLE), D1(MAY_WRITE)),

	/* IA32_VMX_BASIC */
	REFUSED("region size 0", REGION_SIZE, -EMSGSIZE,
		D(BASIC, BASIC_OF(4, 0, 6, false))),
	PASSES("region size 1", D(BASIC, BASIC_OF(4, 1, 6, false))),
	PASSES("region size 4096", D(BASIC, BASIC_OF(4, 4096, 6, false))),
	REFUSED("region size 4097", REGION_SIZE, -EMSGSIZE,
		D(BASIC, BASIC_OF(4, 4097, 6, false))),
	REFUSED("region size 8191 (all 13 bits)", REGION_SIZE, -EMSGSIZE,
		D(BASIC, BASIC_OF(4, 0x1fff, 6, false))),
	REFUSED("memory type uncacheable", MEMTYPE, -EOPNOTSUPP,
		D(BASIC, BASIC_OF(4, 1024, 0, false))),
	REFUSED("memory type 15", MEMTYPE, -EOPNOTSUPP,
		D(BASIC, BASIC_OF(4, 1024, 15, false))),
	PASSES("memory type write-back", D(BASIC, BASIC_OF(4, 1024, 6, false))),
	{ .name = "32-bit physical addresses", .verdict = V(OK),
	  .below_4g = true, .dev = { D(BASIC, BASIC_OF(4, 1024, 6, true)) } },
	{ .name = "32-bit addresses and unlocked, allowed",
	  .verdict = V(OK_WRITE_FEAT_CTL), .write = FC_LOCK | FC_OUT_SMX,
	  .below_4g = true,
	  .dev = { D(BASIC, BASIC_OF(4, 1024, 6, true)), D(FC, 0),
		   D1(MAY_WRITE) } },

	/* CR0 and CR4 against the FIXED MSRs */
	REFUSED("CR0 without PG", CR0, -EDOM, D(CR0, CR0_HEALTHY & ~CR0_PG)),
	REFUSED("CR0 without NE", CR0, -EDOM, D(CR0, CR0_HEALTHY & ~CR0_NE)),
	REFUSED("CR0 with CD where FIXED1 forbids it", CR0, -EDOM,
		D(CR0, CR0_HEALTHY | CR0_CD), D(CR0_F1, 0x9fffffffULL)),
	PASSES("CR0 with CD allowed", D(CR0, CR0_HEALTHY | CR0_CD)),
	PASSES("CR4 without VMXE: the module sets it", D(CR4, CR4_HEALTHY)),
	PASSES("CR4 with VMXE already set", D(CR4, CR4_HEALTHY | CR4_VMXE)),
	REFUSED("CR4 with PKE where FIXED1 forbids it", CR4, -ERANGE,
		D(CR4, CR4_HEALTHY | CR4_PKE)),
	REFUSED("CR4 without PAE where FIXED0 requires it", CR4, -ERANGE,
		D(CR4, CR4_HEALTHY & ~CR4_PAE), D(CR4_F0, CR4_VMXE | CR4_PAE)),
	REFUSED("CR4 FIXED1 forbids VMXE itself", CR4, -ERANGE,
		D(CR4_F1, CR4_FIXED1_HEALTHY & ~CR4_VMXE)),
	REFUSED("bad CR0 and CR4: CR0 first", CR0, -EDOM,
		D(CR0, 0), D(CR4, CR4_PKE)),
	PASSES("bad CR0, CRs not known yet", D(CR0, 0), D1(CR_UNKNOWN)),

	/* Capability MSRs the checks need, one missing at a time */
	REFUSED("no IA32_VMX_BASIC", CAPS_UNREADABLE, -EIO,
		D(MISSING, VMCSINFO_MSR_VMX_BASIC)),
	REFUSED("no IA32_VMX_MISC", CAPS_UNREADABLE, -EIO,
		D(MISSING, VMCSINFO_MSR_VMX_MISC)),
	REFUSED("no IA32_VMX_CR0_FIXED0", CAPS_UNREADABLE, -EIO,
		D(MISSING, VMCSINFO_MSR_VMX_CR0_FIXED0)),
	REFUSED("no IA32_VMX_CR0_FIXED1", CAPS_UNREADABLE, -EIO,
		D(MISSING, VMCSINFO_MSR_VMX_CR0_FIXED1)),
	REFUSED("no IA32_VMX_CR4_FIXED0", CAPS_UNREADABLE, -EIO,
		D(MISSING, VMCSINFO_MSR_VMX_CR4_FIXED0)),
	REFUSED("no IA32_VMX_CR4_FIXED1", CAPS_UNREADABLE, -EIO,
		D(MISSING, VMCSINFO_MSR_VMX_CR4_FIXED1)),
	REFUSED("no capability MSR at all", CAPS_UNREADABLE, -EIO,
		D(VALID, 0)),
	REFUSED("no capability MSR, CRs not known", CAPS_UNREADABLE, -EIO,
		D(VALID, 0), D1(CR_UNKNOWN)),
	/* The rest are not needed to decide (VMCS_ENUM is only a hint). */
	PASSES("no IA32_VMX_PINBASED_CTLS", D(MISSING, 0x481)),
	PASSES("no IA32_VMX_VMCS_ENUM", D(MISSING, 0x48a)),
	PASSES("only the six needed MSRs", D(VALID, 0x3e1)),

	/* Several faults: the first in SDM order wins, nothing is written */
	REFUSED("no VMX and everything else wrong", NO_VMX, -ENODEV,
		D(ECX, ECX_NO_VMX), D(FC, FC_LOCK), D(VALID, 0), D(CR0, 0)),
	REFUSED("firmware disabled VMX, no capability MSRs",
		FEAT_CTL_DISABLED, -EPERM, D(FC, FC_LOCK), D(VALID, 0)),
	REFUSED("unlocked, allowed, region size 0: not written",
		REGION_SIZE, -EMSGSIZE, D(FC, 0), D1(MAY_WRITE),
		D(BASIC, BASIC_OF(4, 0, 6, false))),
	REFUSED("unlocked, allowed, uncacheable: not written",
		MEMTYPE, -EOPNOTSUPP, D(FC, 0), D1(MAY_WRITE),
		D(BASIC, BASIC_OF(4, 1024, 0, false))),
	REFUSED("unlocked, allowed, bad CR4: not written", CR4, -ERANGE,
		D(FC, 0), D1(MAY_WRITE), D(CR4, CR4_PKE)),
	REFUSED("region size 0 and uncacheable: size first",
		REGION_SIZE, -EMSGSIZE, D(BASIC, BASIC_OF(4, 0, 0, false))),
	REFUSED("uncacheable and bad CR0: memory type first",
		MEMTYPE, -EOPNOTSUPP,
		D(BASIC, BASIC_OF(4, 1024, 0, false)), D(CR0, 0)),
};

static void test_simulated_cpus(void **state)
{
	struct vmcsinfo_bringup_in in;
	struct vmcsinfo_bringup_out out;
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cpus); i++) {
		const struct sim_cpu *c = &cpus[i];

		build(c, &in);
		memset(&out, 0xa5, sizeof(out));
		vmcsinfo_bringup_check(&in, &out);
		if (out.verdict != c->verdict || out.feat_ctl_write != c->write ||
		    (c->err == 0 && out.below_4g != c->below_4g) ||
		    vmcsinfo_bringup_errno(out.verdict) != c->err)
			fail_msg("%s: verdict %d write 0x%llx below_4g %d errno %d, want %d 0x%llx %d %d",
				 c->name, out.verdict,
				 (unsigned long long)out.feat_ctl_write,
				 out.below_4g,
				 vmcsinfo_bringup_errno(out.verdict),
				 c->verdict, (unsigned long long)c->write,
				 c->below_4g, c->err);
	}
}

/* The window's check alone: CR0, CR4 and the FIXED MSRs, nothing else. */
static void test_check_cr_alone(void **state)
{
	struct vmcsinfo_bringup_in in;

	(void)state;
	healthy_cpu(&in);
	in.cr_known = false;		/* not looked at */
	in.feat_ctl = FC_LOCK;		/* not looked at either */
	in.cpuid1_ecx = ECX_NO_VMX;
	assert_int_equal(vmcsinfo_bringup_check_cr(&in), V(OK));
	in.cr0 = CR0_HEALTHY & ~CR0_PE;
	assert_int_equal(vmcsinfo_bringup_check_cr(&in), V(CR0));
	in.cr0 = CR0_HEALTHY;
	in.cr4 = CR4_HEALTHY | CR4_PKE;
	assert_int_equal(vmcsinfo_bringup_check_cr(&in), V(CR4));
	in.cr4 = CR4_HEALTHY;
	in.msr_valid &= ~(1u << IDX(VMCSINFO_MSR_VMX_CR4_FIXED1));
	assert_int_equal(vmcsinfo_bringup_check_cr(&in), V(CAPS_UNREADABLE));
}

/* kmod/README.md "Load errors": one errno per cause, EIO for unreadable. */
static void test_errnos(void **state)
{
	static const struct {
		enum vmcsinfo_bringup_verdict verdict;
		int err;
	} table[] = {
		{ V(OK), 0 },
		{ V(OK_WRITE_FEAT_CTL), 0 },
		{ V(NO_VMX), -ENODEV },
		{ V(FEAT_CTL_UNREADABLE), -EIO },
		{ V(FEAT_CTL_DISABLED), -EPERM },
		{ V(FEAT_CTL_UNLOCKED), -EACCES },
		{ V(CAPS_UNREADABLE), -EIO },
		{ V(REGION_SIZE), -EMSGSIZE },
		{ V(MEMTYPE), -EOPNOTSUPP },
		{ V(CR0), -EDOM },
		{ V(CR4), -ERANGE },
	};
	unsigned int i;

	(void)state;
	assert_int_equal(ARRAY_SIZE(table), V(NR_VERDICTS));
	for (i = 0; i < ARRAY_SIZE(table); i++)
		assert_int_equal(vmcsinfo_bringup_errno(table[i].verdict),
				 table[i].err);
	assert_int_equal(vmcsinfo_bringup_errno(V(NR_VERDICTS)), -EINVAL);
}

static void text_of(const struct sim_cpu *c, unsigned int cpu, char *buf,
		    size_t len)
{
	struct vmcsinfo_bringup_in in;
	struct vmcsinfo_bringup_out out;

	build(c, &in);
	vmcsinfo_bringup_check(&in, &out);
	assert_int_equal(out.verdict, c->verdict);
	vmcsinfo_bringup_text(&in, &out, cpu, buf, len);
}

/*
 * The texts are the module's log lines; the e2e cases and administrators'
 * scripts grep for them, so they are pinned here word for word.
 */
static void test_texts(void **state)
{
	static const struct {
		struct sim_cpu cpu;
		unsigned int nr;
		const char *text;
	} table[] = {
		{ PASSES("", D1(END)), 0,
		  "CPU 0: VMX bring-up checks passed" },
		{ WRITES("", 0x40005, D(FC, FC_SGX), D1(MAY_WRITE)), 2,
		  "CPU 2: IA32_FEATURE_CONTROL 0x40000 -> 0x40005 (enable_feature_control=1)" },
		{ REFUSED("", NO_VMX, -ENODEV, D(ECX, ECX_NO_VMX)), 3,
		  "CPU has no VMX (CPUID.1:ECX[5] clear on CPU 3)" },
		{ REFUSED("", FEAT_CTL_UNREADABLE, -EIO, D1(FC_UNREADABLE)), 1,
		  "cannot read IA32_FEATURE_CONTROL on CPU 1" },
		{ REFUSED("", FEAT_CTL_DISABLED, -EPERM, D(FC, FC_LOCK)), 0,
		  "VMX disabled by firmware: IA32_FEATURE_CONTROL 0x1 is locked without VMX outside SMX (CPU 0)" },
		{ REFUSED("", FEAT_CTL_UNLOCKED, -EACCES, D(FC, 0)), 5,
		  "IA32_FEATURE_CONTROL 0x0 is unlocked on CPU 5: load with enable_feature_control=1 to enable VMX and lock it" },
		{ REFUSED("", CAPS_UNREADABLE, -EIO, D(VALID, 0x3c1)), 7,
		  "cannot read the VMX capability MSRs on CPU 7 (valid mask 0x3c1)" },
		{ REFUSED("", REGION_SIZE, -EMSGSIZE,
			  D(BASIC, BASIC_OF(4, 0, 6, false))), 0,
		  "IA32_VMX_BASIC 0x18000000000004 gives a VMCS region of 0 bytes, not 1..4096" },
		{ REFUSED("", MEMTYPE, -EOPNOTSUPP,
			  D(BASIC, BASIC_OF(0x12, 1024, 0, false))), 0,
		  "IA32_VMX_BASIC 0x40000000012 gives VMCS memory type 0, only write-back (6) is supported" },
		{ REFUSED("", CR0, -EDOM, D(CR0, 0x50033)), 1,
		  "CPU 1: CR0 0x50033 violates IA32_VMX_CR0_FIXED0/1 0x80000021/0xffffffff; not changing CR0" },
		{ REFUSED("", CR4, -ERANGE, D(CR4, 0x7706f0)), 1,
		  "CPU 1: CR4 0x7706f0 with VMXE violates IA32_VMX_CR4_FIXED0/1 0x2000/0x3767ff; not changing CR4" },
	};
	char buf[VMCSINFO_BRINGUP_TEXT_MAX];
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		text_of(&table[i].cpu, table[i].nr, buf, sizeof(buf));
		assert_string_equal(buf, table[i].text);
	}
}

/*
 * The same texts as the kernel's printf formats of before the decisions
 * moved to the core gave them, for values of every size.
 */
static void test_texts_match_kernel_formats(void **state)
{
	struct vmcsinfo_bringup_in in;
	struct vmcsinfo_bringup_out out;
	char got[VMCSINFO_BRINGUP_TEXT_MAX], want[256];
	unsigned long long fc = 0xfffffffffffffffaULL;	/* lock bit clear */
	unsigned long long basic = 0x3f3fffffffffffffULL; /* 8191 bytes */
	unsigned int cpu = UINT_MAX;

	(void)state;
	healthy_cpu(&in);
	in.feat_ctl = fc;
	out.verdict = V(FEAT_CTL_UNLOCKED);
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "IA32_FEATURE_CONTROL 0x%llx is unlocked on CPU %u: load with enable_feature_control=1 to enable VMX and lock it",
		 fc, cpu);
	assert_string_equal(got, want);

	out.verdict = V(OK_WRITE_FEAT_CTL);
	out.feat_ctl_write = ~0ULL;
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "CPU %u: IA32_FEATURE_CONTROL 0x%llx -> 0x%llx (enable_feature_control=1)",
		 cpu, fc, ~0ULL);
	assert_string_equal(got, want);

	in.feat_ctl = ~0ULL & ~FC_OUT_SMX;
	out.verdict = V(FEAT_CTL_DISABLED);
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "VMX disabled by firmware: IA32_FEATURE_CONTROL 0x%llx is locked without VMX outside SMX (CPU %u)",
		 ~0ULL & ~FC_OUT_SMX, cpu);
	assert_string_equal(got, want);

	in.msrs[IDX(VMCSINFO_MSR_VMX_BASIC)] = basic;
	out.verdict = V(REGION_SIZE);
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "IA32_VMX_BASIC 0x%llx gives a VMCS region of %u bytes, not 1..%u",
		 basic, 8191u, 4096u);
	assert_string_equal(got, want);

	out.verdict = V(MEMTYPE);
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "IA32_VMX_BASIC 0x%llx gives VMCS memory type %u, only write-back (6) is supported",
		 basic, 15u);
	assert_string_equal(got, want);

	in.msr_valid = 0xfffff;
	out.verdict = V(CAPS_UNREADABLE);
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "cannot read the VMX capability MSRs on CPU %u (valid mask 0x%x)",
		 cpu, 0xfffffu);
	assert_string_equal(got, want);

	in.cr0 = ~0ULL;
	in.cr4 = ~0ULL;
	in.msrs[IDX(VMCSINFO_MSR_VMX_CR0_FIXED0)] = ~0ULL;
	in.msrs[IDX(VMCSINFO_MSR_VMX_CR0_FIXED1)] = ~0ULL - 1;
	in.msrs[IDX(VMCSINFO_MSR_VMX_CR4_FIXED0)] = ~0ULL - 2;
	in.msrs[IDX(VMCSINFO_MSR_VMX_CR4_FIXED1)] = ~0ULL - 3;
	out.verdict = V(CR0);
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "CPU %u: CR0 0x%llx violates IA32_VMX_CR0_FIXED0/1 0x%llx/0x%llx; not changing CR0",
		 cpu, ~0ULL, ~0ULL, ~0ULL - 1);
	assert_string_equal(got, want);

	out.verdict = V(CR4);
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "CPU %u: CR4 0x%llx with VMXE violates IA32_VMX_CR4_FIXED0/1 0x%llx/0x%llx; not changing CR4",
		 cpu, ~0ULL, ~0ULL - 2, ~0ULL - 3);
	assert_string_equal(got, want);
	/* The longest text fits with room to spare. */
	assert_true(strlen(want) + 1 < sizeof(got));

	out.verdict = V(NO_VMX);
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "CPU has no VMX (CPUID.1:ECX[5] clear on CPU %u)", cpu);
	assert_string_equal(got, want);

	out.verdict = V(FEAT_CTL_UNREADABLE);
	vmcsinfo_bringup_text(&in, &out, cpu, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "cannot read IA32_FEATURE_CONTROL on CPU %u", cpu);
	assert_string_equal(got, want);
}

/* Short buffers are cut, always terminated, and never overrun. */
static void test_text_truncation(void **state)
{
	struct vmcsinfo_bringup_in in;
	struct vmcsinfo_bringup_out out = { .verdict = V(NO_VMX) };
	char buf[16];

	(void)state;
	healthy_cpu(&in);
	memset(buf, 'x', sizeof(buf));
	vmcsinfo_bringup_text(&in, &out, 0, buf, 10);
	assert_string_equal(buf, "CPU has n");
	assert_int_equal(buf[10], 'x');
	vmcsinfo_bringup_text(&in, &out, 0, buf, 1);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	vmcsinfo_bringup_text(&in, &out, 0, buf, 0);
	assert_int_equal(buf[0], 'x');
	out.verdict = V(NR_VERDICTS);
	vmcsinfo_bringup_text(&in, &out, 4, buf, sizeof(buf));
	assert_string_equal(buf, "CPU 4: unknown ");
}

/* The IA32_VMX_BASIC field helpers, on a real value. */
static void test_basic_fields(void **state)
{
	(void)state;
	assert_int_equal(vmcsinfo_basic_revision(BASIC_HEALTHY), 4);
	assert_int_equal(vmcsinfo_basic_region_size(BASIC_HEALTHY), 1024);
	assert_int_equal(vmcsinfo_basic_memtype(BASIC_HEALTHY), 6);
	assert_false(vmcsinfo_basic_pa_32bit(BASIC_HEALTHY));
	assert_true(vmcsinfo_basic_pa_32bit(BASIC_HEALTHY | 1ULL << 48));
	/* Bit 31 is always 0 (SDM A.1), not part of the revision. */
	assert_int_equal(vmcsinfo_basic_revision(0x80000004ULL), 4);
	assert_int_equal(BASIC_OF(4, 1024, 6, false) | 0x00c2000000000000ULL,
			 BASIC_HEALTHY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simulated_cpus),
		cmocka_unit_test(test_check_cr_alone),
		cmocka_unit_test(test_errnos),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_texts_match_kernel_formats),
		cmocka_unit_test(test_text_truncation),
		cmocka_unit_test(test_basic_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
