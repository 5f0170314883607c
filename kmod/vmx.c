// SPDX-License-Identifier: GPL-2.0
/*
 * VMX instructions and the probe window.
 *
 * Each instruction is inline assembly with an exception-table entry, so a
 * #UD or #GP (VMX not on, bad operand) lands on a C label instead of
 * oopsing, and the RFLAGS outcome (VMsucceed, VMfailInvalid = CF,
 * VMfailValid = ZF) is turned into the result codes of probe.h.
 *
 * The window runs on one CPU with interrupts off, from the first VMX
 * instruction to the last, so nothing else on that CPU (KVM included) can
 * run a VMX instruction or change CR4 in between.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <asm/asm.h>
#include <asm/io.h>
#include <asm/msr-index.h>
#include <asm/perf_event.h>
#include <asm/processor-flags.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "vmcsinfo_kmod.h"

#define VMCS_VM_INSTRUCTION_ERROR	0x4400u
/* VMfailValid whose error number could not be read back. */
#define VM_ERROR_UNREADABLE		INT_MAX
/* With fail_at=probe, this VMREAD of the probe reports a fault. */
#define FAIL_PROBE_AT_VMREAD		64

/*
 * Tail of the asm of every VMX instruction but VMPTRST, whose first
 * instruction carries the local label 1: VMfailInvalid (CF) and
 * VMfailValid (ZF) jump to the C labels invalid and valid; a #UD or #GP
 * lands through the exception table on 2:, which jumps to the C label
 * fault.  (Going through 2: keeps every "%l[...]" inside a string, where
 * checkpatch does not take it for the modulo operator.)
 */
#define VMX_OUTCOME				\
	"jc %l[invalid]\n\t"			\
	"jz %l[valid]\n\t"			\
	"jmp 3f\n\t"				\
	"2: jmp %l[fault]\n\t"			\
	"3:\n\t"				\
	_ASM_EXTABLE(1b, 2b)

static int vm_instruction_error(void)
{
	u64 value = 0;

	asm volatile goto("1: vmread %[enc], %[val]\n\t"
			  VMX_OUTCOME
			  : : [enc] "r" ((u64)VMCS_VM_INSTRUCTION_ERROR),
			      [val] "m" (value)
			  : "cc", "memory" : invalid, valid, fault);
	/* Error number 0 would read as success: never return it. */
	return value ? (int)(u32)value : VM_ERROR_UNREADABLE;
invalid:
valid:
fault:
	return VM_ERROR_UNREADABLE;
}

static int vmx_on(u64 pa)
{
	asm volatile goto("1: vmxon %[pa]\n\t"
			  VMX_OUTCOME
			  : : [pa] "m" (pa)
			  : "cc", "memory" : invalid, valid, fault);
	return VMCSINFO_VM_OK;
invalid:
	return VMCSINFO_VM_FAIL_INVALID;
valid:
	return vm_instruction_error();
fault:
	return VMCSINFO_VM_FAULT;
}

static int vmx_off(void)
{
	asm volatile goto("1: vmxoff\n\t"
			  VMX_OUTCOME
			  : : : "cc", "memory" : invalid, valid, fault);
	return VMCSINFO_VM_OK;
invalid:
	return VMCSINFO_VM_FAIL_INVALID;
valid:
	return vm_instruction_error();
fault:
	return VMCSINFO_VM_FAULT;
}

static int vmx_clear(u64 pa)
{
	asm volatile goto("1: vmclear %[pa]\n\t"
			  VMX_OUTCOME
			  : : [pa] "m" (pa)
			  : "cc", "memory" : invalid, valid, fault);
	return VMCSINFO_VM_OK;
invalid:
	return VMCSINFO_VM_FAIL_INVALID;
valid:
	return vm_instruction_error();
fault:
	return VMCSINFO_VM_FAULT;
}

static int vmx_ptrld(u64 pa)
{
	asm volatile goto("1: vmptrld %[pa]\n\t"
			  VMX_OUTCOME
			  : : [pa] "m" (pa)
			  : "cc", "memory" : invalid, valid, fault);
	return VMCSINFO_VM_OK;
invalid:
	return VMCSINFO_VM_FAIL_INVALID;
valid:
	return vm_instruction_error();
fault:
	return VMCSINFO_VM_FAULT;
}

/* VMPTRST cannot VMfail; it raises #UD outside VMX operation. */
static int vmx_ptrst(u64 *pa)
{
	asm volatile goto("1: vmptrst %[pa]\n\t"
			  "jmp 3f\n\t"
			  "2: jmp %l[fault]\n\t"
			  "3:\n\t"
			  _ASM_EXTABLE(1b, 2b)
			  : : [pa] "m" (*pa) : "cc", "memory" : fault);
	return VMCSINFO_VM_OK;
fault:
	return VMCSINFO_VM_FAULT;
}

/* VMREAD stores into memory, so no asm-goto output operand is needed. */
static int vmx_read(u32 encoding, u64 *value)
{
	*value = 0;
	asm volatile goto("1: vmread %[enc], %[val]\n\t"
			  VMX_OUTCOME
			  : : [enc] "r" ((u64)encoding), [val] "m" (*value)
			  : "cc", "memory" : invalid, valid, fault);
	return VMCSINFO_VM_OK;
invalid:
	return VMCSINFO_VM_FAIL_INVALID;
valid:
	return vm_instruction_error();
fault:
	return VMCSINFO_VM_FAULT;
}

static int vmx_write(u32 encoding, u64 value)
{
	asm volatile goto("1: vmwrite %[val], %[enc]\n\t"
			  VMX_OUTCOME
			  : : [val] "r" (value), [enc] "r" ((u64)encoding)
			  : "cc", "memory" : invalid, valid, fault);
	return VMCSINFO_VM_OK;
invalid:
	return VMCSINFO_VM_FAIL_INVALID;
valid:
	return vm_instruction_error();
fault:
	return VMCSINFO_VM_FAULT;
}

/* struct vmcsinfo_vmx_ops for the probe core; ctx is the job. */
static int op_vmclear(void *ctx, u64 pa)
{
	return vmx_clear(pa);
}

static int op_vmptrld(void *ctx, u64 pa)
{
	return vmx_ptrld(pa);
}

static int op_vmread(void *ctx, u32 encoding, u64 *value)
{
	struct vmcsinfo_job *job = ctx;

	if (vmcsinfo_should_fail(VMCSINFO_FAIL_PROBE) &&
	    ++job->vmreads == FAIL_PROBE_AT_VMREAD) {
		*value = 0;
		return VMCSINFO_VM_FAULT;
	}
	return vmx_read(encoding, value);
}

static int op_vmwrite(void *ctx, u32 encoding, u64 value)
{
	return vmx_write(encoding, value);
}

static const struct vmcsinfo_vmx_ops vmcsinfo_ops = {
	.vmclear = op_vmclear,
	.vmptrld = op_vmptrld,
	.vmread = op_vmread,
	.vmwrite = op_vmwrite,
};

/* Run the probe core in VMX root operation; the region ends clear. */
static void run_probe(struct vmcsinfo_job *job)
{
	u64 basic = vmcsinfo_cap(job->caps, MSR_IA32_VMX_BASIC);
	u64 region_pa = page_to_phys(job->region_page);
	struct vmcsinfo_probe_env env = {
		.ops = &vmcsinfo_ops,
		.ctx = job,
		.region = page_address(job->region_page),
		.region_pa = region_pa,
		.revision_id = vmcsinfo_basic_revision(basic),
		.region_size = vmcsinfo_basic_region_size(basic),
		.vmx_misc = vmcsinfo_cap(job->caps, MSR_IA32_VMX_MISC),
		.vmcs_enum = vmcsinfo_cap(job->caps, MSR_IA32_VMX_VMCS_ENUM),
		.work = job->work,
		.work_size = job->work_size,
	};

	job->probe_rc = vmcsinfo_probe_run(&env, &job->layout, &job->perr);
	/*
	 * The core clears its region before it returns, also after most
	 * errors; clear it once more so that it is certainly neither current
	 * nor active when VMX operation ends or the page is freed.
	 */
	vmx_clear(region_pa);
}

/*
 * CR4.VMXE was set on entry: the CPU is in VMX root operation that
 * belongs to someone else (KVM).  Probe inside it and give the current
 * VMCS back.
 */
static void probe_in_vmx_operation(struct vmcsinfo_job *job)
{
	job->saved_vmcs = ~0ULL;
	job->vmresult = vmx_ptrst(&job->saved_vmcs);
	if (job->vmresult) {
		job->err = -EBUSY;
		return;
	}
	job->in_vmx_op = true;
	run_probe(job);
	if (job->saved_vmcs != ~0ULL)
		job->restore_result = vmx_ptrld(job->saved_vmcs);
}

/* CR4.VMXE was clear: enter VMX operation for the probe and leave it. */
static void probe_own_vmx_operation(struct vmcsinfo_job *job)
{
	struct vmcsinfo_bringup_in *in = &job->cr_check_in;
	bool set_vmxe = !vmcsinfo_should_fail(VMCSINFO_FAIL_VMXON_FAULT);
	u64 vmxon_pa = page_to_phys(job->vmxon_page);

	/* The shared core judges; job_result() logs (-EDOM, -ERANGE). */
	vmcsinfo_bringup_input(job->caps, false, in);
	in->cr_known = true;
	in->cr0 = job->cr0;
	in->cr4 = job->cr4;
	job->cr_check.verdict = vmcsinfo_bringup_check_cr(in);
	if (job->cr_check.verdict != VMCSINFO_BRINGUP_OK) {
		job->err = vmcsinfo_bringup_errno(job->cr_check.verdict);
		return;
	}
	if (vmcsinfo_should_fail(VMCSINFO_FAIL_VMXON))
		vmxon_pa |= 1;	/* not 4 KiB aligned: VMfailInvalid */

	/* As KVM does: Intel PT must not trace in VMX operation. */
	intel_pt_handle_vmx(1);
	if (set_vmxe)
		cr4_set_bits_irqsoff(X86_CR4_VMXE);
	job->vmresult = vmx_on(vmxon_pa);
	if (job->vmresult) {
		job->err = job->vmresult == VMCSINFO_VM_FAULT ?
			   -EFAULT : -ENXIO;
	} else {
		run_probe(job);
		job->vmxoff_result = vmx_off();
	}
	/*
	 * Clearing CR4.VMXE in VMX operation raises #GP.  VMXOFF can only
	 * VMfail with an SMM monitor active (and fault when VMX operation is
	 * not on): then the CPU stays in VMX operation with VMXE set, and
	 * the caller reports it.
	 */
	if (set_vmxe && (job->vmxoff_result == VMCSINFO_VM_OK ||
			 job->vmxoff_result == VMCSINFO_VM_FAULT))
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
	intel_pt_handle_vmx(0);
}

/* work_on_cpu() callback: one probe window on the current CPU. */
long vmcsinfo_probe_on_cpu(void *arg)
{
	struct vmcsinfo_job *job = arg;
	unsigned long flags;
	ktime_t start;

	local_irq_save(flags);
	start = ktime_get();
	WARN_ON_ONCE(smp_processor_id() != job->cpu);
	job->cr0 = read_cr0();
	job->cr4 = __read_cr4();
	if (job->cr4 & X86_CR4_VMXE)
		probe_in_vmx_operation(job);
	else
		probe_own_vmx_operation(job);
	job->cr4_after = __read_cr4();
	job->usecs = (u32)min_t(s64, ktime_us_delta(ktime_get(), start),
				U32_MAX);
	local_irq_restore(flags);
	return 0;
}
