/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The probe core: discovers the in-memory layout of the VMCS on the CPU it
 * talks to.  Freestanding C, compiled unchanged into vmcsinfo.ko and into
 * the user-space simulator and tests.  It reaches the CPU only through
 * struct vmcsinfo_vmx_ops and the probe region's memory.
 *
 * The caller must already be in VMX root operation, on one CPU, with
 * nothing able to run VMX instructions on that CPU while the probe runs
 * (in the kernel: interrupts and preemption off).  On return the probe
 * region is clear (not active, not current): the caller restores any VMCS
 * pointer it saved.
 */
#ifndef VMCSINFO_PROBE_H
#define VMCSINFO_PROBE_H

#include "types.h"
#include "layout.h"

/*
 * Result of one VMX instruction: VMCSINFO_VM_OK (VMsucceed),
 * VMCSINFO_VM_FAIL_INVALID (VMfailInvalid: no current VMCS or bad
 * pointer), VMCSINFO_VM_FAULT (the instruction raised #UD or #GP and was
 * caught), or a positive VM-instruction error number (VMfailValid).
 */
#define VMCSINFO_VM_OK			0
#define VMCSINFO_VM_FAIL_INVALID	(-1)
#define VMCSINFO_VM_FAULT		(-2)

/* VM-instruction error numbers the probe interprets (SDM Vol. 3, 31.4). */
#define VMCSINFO_VMERR_UNSUPPORTED	12	/* field does not exist */
#define VMCSINFO_VMERR_READONLY		13	/* VMWRITE to read-only field */

struct vmcsinfo_vmx_ops {
	int (*vmclear)(void *ctx, u64 pa);
	int (*vmptrld)(void *ctx, u64 pa);
	int (*vmread)(void *ctx, u32 encoding, u64 *value);
	int (*vmwrite)(void *ctx, u32 encoding, u64 value);
};

struct vmcsinfo_probe_env {
	const struct vmcsinfo_vmx_ops *ops;
	void *ctx;			/* passed to every op */
	u8 *region;			/* the probe region, mapped */
	u64 region_pa;			/* its physical address, 4 KiB aligned */
	u32 revision_id;		/* IA32_VMX_BASIC[30:0] */
	u32 region_size;		/* IA32_VMX_BASIC[44:32] */
	u64 vmx_misc;			/* IA32_VMX_MISC */
	u64 vmcs_enum;			/* IA32_VMX_VMCS_ENUM (a hint only) */
	void *work;			/* scratch, vmcsinfo_probe_work_size() */
	size_t work_size;
};

/* Probe errors (negative return values of vmcsinfo_probe_run()). */
enum vmcsinfo_probe_err {
	VMCSINFO_PE_OK = 0,
	VMCSINFO_PE_ARGS = -1,		/* bad environment (size, alignment) */
	VMCSINFO_PE_VMFAIL = -2,	/* a VMX instruction failed unexpectedly */
	VMCSINFO_PE_NOSPC = -3,		/* more fields than layout->cap */
	VMCSINFO_PE_NOTBITS = -4,	/* a VMREAD bit is not a copy of one bit */
};

/* Where the probe stopped, for a clear message. */
struct vmcsinfo_probe_error {
	int code;			/* enum vmcsinfo_probe_err */
	const char *insn;		/* "VMREAD", "VMPTRLD", ... or NULL */
	const char *stage;		/* "sweep", "read method", ... */
	u32 encoding;			/* field concerned, if any */
	int vmresult;			/* the op's result */
	unsigned int bit;		/* VMREAD bit concerned, if any */
};

/* Bytes of scratch the probe needs for a layout of cap fields. */
size_t vmcsinfo_probe_work_size(u32 cap);

/*
 * Run the whole probe: sweep, read method, launch state, write method.
 * out->fields must have room for out->cap entries.  Returns 0 or a
 * negative enum vmcsinfo_probe_err with *err filled in.
 */
int vmcsinfo_probe_run(const struct vmcsinfo_probe_env *env,
		       struct vmcsinfo_layout *out,
		       struct vmcsinfo_probe_error *err);

/* One-line English description of a probe error into buf. */
void vmcsinfo_probe_strerror(const struct vmcsinfo_probe_error *err,
			     char *buf, size_t len);

#endif /* VMCSINFO_PROBE_H */
