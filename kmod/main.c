// SPDX-License-Identifier: GPL-2.0
/*
 * vmcsinfo.ko: discover the in-memory layout of the VMCS of this machine's
 * processor and keep it, as a "VMCSINFO" ELF note, in kernel memory for
 * crash-dump tools.
 *
 * Loading the module does all the work: bring-up checks, a probe window in
 * VMX operation on the first online CPU (vmx.c, running the shared probe
 * core), a comparison of every online CPU's VMX capabilities, the note and
 * the sysfs files.  Nothing runs after that; unloading frees the note.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <asm/io.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/processor.h>

#include "vmcsinfo/fields.h"
#include "vmcsinfo_kmod.h"

/* Kbuild passes PACKAGE_VERSION of dkms.conf. */
#ifndef VMCSINFO_VERSION
#define VMCSINFO_VERSION	"unknown"
#endif

/* Room for every encoding the probe can find: no -NOSPC retry needed. */
#define LAYOUT_CAP		VMCSINFO_ENC_SPACE

static bool enable_feature_control;
module_param(enable_feature_control, bool, 0444);
MODULE_PARM_DESC(enable_feature_control,
		 "Set and lock IA32_FEATURE_CONTROL VMX-outside-SMX if firmware left it unlocked (default: refuse)");

static bool probe_all_cpus;
module_param(probe_all_cpus, bool, 0444);
MODULE_PARM_DESC(probe_all_cpus,
		 "Run the full probe on every online CPU and compare the layouts (default: first CPU only)");

static char *fail_at;
module_param(fail_at, charp, 0444);
MODULE_PARM_DESC(fail_at,
		 "Testing only: force an error at a named point (see docs/ABI/sysfs-module-vmcsinfo)");

enum vmcsinfo_fail_point vmcsinfo_fail_at;

/* Indexed by enum vmcsinfo_fail_point. */
static const char * const fail_point_names[] = {
	[VMCSINFO_FAIL_NONE] = "none",
	[VMCSINFO_FAIL_ALLOC_CAPS] = "alloc_caps",
	[VMCSINFO_FAIL_ALLOC_VMXON] = "alloc_vmxon",
	[VMCSINFO_FAIL_ALLOC_REGION] = "alloc_region",
	[VMCSINFO_FAIL_ALLOC_WORK] = "alloc_work",
	[VMCSINFO_FAIL_ALLOC_LAYOUT] = "alloc_layout",
	[VMCSINFO_FAIL_ALLOC_NOTE] = "alloc_note",
	[VMCSINFO_FAIL_ALLOC_TEXT] = "alloc_text",
	[VMCSINFO_FAIL_VMXON] = "vmxon",
	[VMCSINFO_FAIL_VMXON_FAULT] = "vmxon_fault",
	[VMCSINFO_FAIL_PROBE] = "probe",
	[VMCSINFO_FAIL_SYSFS] = "sysfs",
};

/* What stays for the module's lifetime. */
static struct page *note_pages;
static unsigned int note_order;
static char *layout_text;

static int parse_fail_at(void)
{
	int point;

	if (!fail_at || !*fail_at)
		return 0;
	point = match_string(fail_point_names, ARRAY_SIZE(fail_point_names),
			     fail_at);
	if (point < 0) {
		pr_err("fail_at=%s is not a known fault-injection point\n",
		       fail_at);
		return -EINVAL;
	}
	vmcsinfo_fail_at = point;
	if (point != VMCSINFO_FAIL_NONE)
		pr_warn("fault injection: failing at %s\n", fail_at);
	return 0;
}

static struct page *alloc_vmx_page(unsigned int cpu, gfp_t gfp,
				   enum vmcsinfo_fail_point point)
{
	if (vmcsinfo_should_fail(point))
		return NULL;
	return alloc_pages_node(cpu_to_node(cpu), gfp, 0);
}

static void job_free(struct vmcsinfo_job *job)
{
	if (!job)
		return;
	if (job->vmxon_page)
		__free_page(job->vmxon_page);
	if (job->region_page)
		__free_page(job->region_page);
	kvfree(job->work);
	kvfree(job->layout.fields);
	kfree(job);
}

static u32 revision_of(const struct vmcsinfo_caps *caps)
{
	return vmcsinfo_basic_revision(vmcsinfo_cap(caps, MSR_IA32_VMX_BASIC));
}

/*
 * Everything a probe window on cpu needs, allocated before it opens.
 * below_4g: a CPU that may use these pages has IA32_VMX_BASIC[48] set.
 */
static struct vmcsinfo_job *job_alloc(const struct vmcsinfo_caps *caps,
				      unsigned int cpu, bool below_4g)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO;
	struct vmcsinfo_job *job;

	if (below_4g)
		gfp |= GFP_DMA32;
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return NULL;
	job->cpu = cpu;
	job->caps = caps;
	job->vmxon_page = alloc_vmx_page(cpu, gfp, VMCSINFO_FAIL_ALLOC_VMXON);
	job->region_page = alloc_vmx_page(cpu, gfp, VMCSINFO_FAIL_ALLOC_REGION);
	if (!job->vmxon_page || !job->region_page)
		goto fail;
	/* VMXON checks the revision identifier of its region. */
	*(u32 *)page_address(job->vmxon_page) = revision_of(caps);

	job->work_size = vmcsinfo_probe_work_size(LAYOUT_CAP);
	if (!vmcsinfo_should_fail(VMCSINFO_FAIL_ALLOC_WORK))
		job->work = kvzalloc(job->work_size, GFP_KERNEL);
	if (!job->work)
		goto fail;
	job->layout.cap = LAYOUT_CAP;
	if (!vmcsinfo_should_fail(VMCSINFO_FAIL_ALLOC_LAYOUT))
		job->layout.fields = kvcalloc(LAYOUT_CAP,
					      sizeof(*job->layout.fields),
					      GFP_KERNEL);
	if (!job->layout.fields)
		goto fail;
	return job;

fail:
	pr_err("out of memory for the probe of CPU %u\n", cpu);
	job_free(job);
	return NULL;
}

/* Make a job ready for another window on another CPU. */
static void job_reset(struct vmcsinfo_job *job,
		      const struct vmcsinfo_caps *caps, unsigned int cpu)
{
	struct vmcsinfo_field_map *fields = job->layout.fields;

	job->cpu = cpu;
	job->caps = caps;
	*(u32 *)page_address(job->vmxon_page) = revision_of(caps);
	job->err = 0;
	job->vmresult = 0;
	memset(&job->cr_check, 0, sizeof(job->cr_check));
	job->in_vmx_op = false;
	job->restore_result = 0;
	job->vmxoff_result = 0;
	job->probe_rc = 0;
	job->vmreads = 0;
	memset(&job->perr, 0, sizeof(job->perr));
	memset(&job->layout, 0, sizeof(job->layout));
	job->layout.fields = fields;
	job->layout.cap = LAYOUT_CAP;
}

static const char *vm_result_name(int result, char *buf, size_t len)
{
	if (result == VMCSINFO_VM_FAIL_INVALID)
		return "VMfailInvalid";
	if (result == VMCSINFO_VM_FAULT)
		return "#UD/#GP";
	snprintf(buf, len, "VMfailValid, VM-instruction error %d", result);
	return buf;
}

/* Log what went wrong in a window; returns the errno for the load. */
static int job_result(const struct vmcsinfo_job *job)
{
	unsigned int cpu = job->cpu;
	char why[48], msg[160];

	if (job->cr4_after != job->cr4)
		pr_err("CPU %u: CR4 is 0x%lx after the probe, was 0x%lx\n",
		       cpu, job->cr4_after, job->cr4);
	if (job->cr_check.verdict != VMCSINFO_BRINGUP_OK) {
		/* CR0 (-EDOM) or CR4 (-ERANGE) refused: VMXE never set. */
		vmcsinfo_log_bringup(&job->cr_check_in, &job->cr_check, cpu);
		return job->err;
	}
	switch (job->err) {
	case 0:
		break;
	case -EBUSY:
		pr_err("CPU %u: CR4.VMXE is set but the CPU is not in VMX operation (VMPTRST faulted)\n",
		       cpu);
		return job->err;
	case -EFAULT:
	case -ENXIO:
		pr_err("CPU %u: VMXON failed (%s), CR4 restored to 0x%lx\n",
		       cpu, vm_result_name(job->vmresult, why, sizeof(why)),
		       job->cr4_after);
		return job->err;
	default:
		pr_err("CPU %u: probe window failed (%d)\n", cpu, job->err);
		return job->err;
	}
	if (job->vmxoff_result)
		pr_err("CPU %u: VMXOFF failed (%s)\n", cpu,
		       vm_result_name(job->vmxoff_result, why, sizeof(why)));
	if (job->restore_result) {
		pr_err("CPU %u: VMPTRLD of the saved current VMCS 0x%llx failed (%s)\n",
		       cpu, job->saved_vmcs,
		       vm_result_name(job->restore_result, why, sizeof(why)));
		return -EIO;
	}
	if (job->probe_rc) {
		vmcsinfo_probe_strerror(&job->perr, msg, sizeof(msg));
		pr_err("CPU %u: probe failed: %s\n", cpu, msg);
		return -EPROTO;
	}
	if (job->vmxoff_result)
		return -EIO;
	return 0;
}

static int run_job(struct vmcsinfo_job *job)
{
	work_on_cpu(job->cpu, vmcsinfo_probe_on_cpu, job);
	return job_result(job);
}

/* The first field of b that differs from a, or VMCSINFO_NO_OFFSET. */
static bool layouts_differ(const struct vmcsinfo_layout *a,
			   const struct vmcsinfo_layout *b, u32 *encoding)
{
	u32 i;

	*encoding = VMCSINFO_NO_OFFSET;
	if (a->revision_id != b->revision_id ||
	    a->region_size != b->region_size ||
	    a->launch_state_offset != b->launch_state_offset ||
	    a->launch_state_size != b->launch_state_size ||
	    a->abort_offset != b->abort_offset ||
	    a->methods != b->methods || a->mismatches != b->mismatches ||
	    a->nfields != b->nfields)
		return true;
	for (i = 0; i < a->nfields; i++) {
		const struct vmcsinfo_field_map *fa = &a->fields[i];
		const struct vmcsinfo_field_map *fb = &b->fields[i];

		if (fa->encoding != fb->encoding || fa->nbits != fb->nbits ||
		    fa->flags != fb->flags ||
		    memcmp(fa->map, fb->map,
			   min_t(u32, fa->nbits, VMCSINFO_MAX_BITS) *
			   sizeof(fa->map[0]))) {
			*encoding = fa->encoding;
			return true;
		}
	}
	return false;
}

/* probe_all_cpus: probe every other online CPU and compare. */
static int probe_other_cpus(const struct vmcsinfo_job *ref,
			    struct vmcsinfo_job *job,
			    const struct vmcsinfo_caps *caps, bool *differ)
{
	unsigned int cpu;
	u32 enc;
	int ret;

	for_each_online_cpu(cpu) {
		if (cpu == ref->cpu)
			continue;
		job_reset(job, &caps[cpu], cpu);
		ret = run_job(job);
		if (ret)
			return ret;
		if (!layouts_differ(&ref->layout, &job->layout, &enc))
			continue;
		*differ = true;
		if (enc == VMCSINFO_NO_OFFSET)
			pr_warn("CPU %u: VMCS layout differs from CPU %u (revision 0x%x/0x%x, %u/%u fields)\n",
				cpu, ref->cpu, job->layout.revision_id,
				ref->layout.revision_id, job->layout.nfields,
				ref->layout.nfields);
		else
			pr_warn("CPU %u: VMCS layout differs from CPU %u at field 0x%04x\n",
				cpu, ref->cpu, enc);
	}
	return 0;
}

static bool needs_below_4g(const struct vmcsinfo_caps *caps)
{
	return vmcsinfo_basic_pa_32bit(vmcsinfo_cap(caps, MSR_IA32_VMX_BASIC));
}

static bool any_needs_below_4g(const struct vmcsinfo_caps *caps)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (needs_below_4g(&caps[cpu]))
			return true;
	return false;
}

static int read_all_caps(struct vmcsinfo_caps *caps)
{
	unsigned int cpu;
	int ret;

	for_each_online_cpu(cpu) {
		ret = smp_call_function_single(cpu, vmcsinfo_read_caps,
					       &caps[cpu], 1);
		if (ret) {
			pr_err("cannot read the capabilities of CPU %u (%d)\n",
			       cpu, ret);
			return ret;
		}
	}
	return 0;
}

static void fill_info(struct vmcsinfo_note_info *info,
		      const struct vmcsinfo_job *job, unsigned int nr_cpus)
{
	const struct vmcsinfo_caps *caps = job->caps;

	memset(info, 0, sizeof(*info));
	info->cpuid_signature = caps->cpuid1_eax;
	info->microcode = cpu_data(job->cpu).microcode;
	memcpy(info->vendor, caps->vendor, sizeof(info->vendor));
	info->source = VMCSINFO_SRC_MODULE;
	info->nr_cpus = nr_cpus;
	info->probe_usecs = job->usecs;
	info->msr_valid = caps->msr_valid;
	memcpy(info->msrs, caps->msrs, sizeof(info->msrs));
}

/* The note in whole pages of its own, which kdump filtering keeps. */
static int make_note(const struct vmcsinfo_layout *l,
		     const struct vmcsinfo_note_info *info, size_t *size,
		     u64 *paddr)
{
	size_t need = vmcsinfo_note_size(l);
	size_t written;

	note_order = get_order(need);
	if (!vmcsinfo_should_fail(VMCSINFO_FAIL_ALLOC_NOTE))
		note_pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, note_order);
	if (!note_pages) {
		pr_err("out of memory for a %zu-byte note\n", need);
		return -ENOMEM;
	}
	*paddr = page_to_phys(note_pages);
	written = vmcsinfo_note_encode(l, info, *paddr,
				       page_address(note_pages),
				       PAGE_SIZE << note_order);
	if (written != need) {
		pr_err("note encoding failed (%zu of %zu bytes)\n",
		       written, need);
		__free_pages(note_pages, note_order);
		note_pages = NULL;
		return -EINVAL;
	}
	*size = need;
	return 0;
}

/*
 * Wipe the note before its pages go back: a valid note left in a free page
 * would be found by a page scan of a later crash dump and mistaken for a
 * probe of that boot.
 */
static void free_note(void)
{
	if (!note_pages)
		return;
	memset(page_address(note_pages), 0, PAGE_SIZE << note_order);
	__free_pages(note_pages, note_order);
	note_pages = NULL;
}

static void log_summary(const struct vmcsinfo_job *job, unsigned int nr_cpus,
			u64 note_paddr, size_t note_size)
{
	const struct vmcsinfo_layout *l = &job->layout;
	const u32 both = VMCSINFO_METHOD_READ | VMCSINFO_METHOD_WRITE;
	char methods[48], where[64] = "";

	if ((l->methods & both) == both && !l->mismatches)
		strscpy(methods, "read+write agree", sizeof(methods));
	else if ((l->methods & both) == both)
		snprintf(methods, sizeof(methods),
			 "read+write disagree on %u bits", l->mismatches);
	else
		strscpy(methods, l->methods & VMCSINFO_METHOD_READ ?
			"read only" : "none", sizeof(methods));

	if (job->in_vmx_op && job->saved_vmcs != ~0ULL)
		snprintf(where, sizeof(where),
			 " inside VMX operation, VMCS 0x%llx restored",
			 job->saved_vmcs);
	else if (job->in_vmx_op)
		strscpy(where, " inside VMX operation, no current VMCS",
			sizeof(where));

	pr_info("VMCS revision 0x%x, %u-byte region, %u fields, methods %s; %u VMPTRLD %u VMREAD %u VMWRITE in %u us on CPU %u%s; %u CPU%s compared: %s; note %zu bytes at 0x%llx\n",
		l->revision_id, l->region_size, l->nfields, methods,
		l->counts.vmptrld, l->counts.vmread, l->counts.vmwrite,
		job->usecs, job->cpu, where,
		nr_cpus, nr_cpus == 1 ? "" : "s",
		l->flags & VMCSINFO_LF_CPUS_DIFFER ? "capabilities differ" :
						     "same capabilities",
		note_size, note_paddr);
}

static int __init vmcsinfo_init(void)
{
	struct vmcsinfo_job *job = NULL, *other = NULL;
	struct vmcsinfo_caps *caps = NULL;
	struct vmcsinfo_note_info info;
	unsigned int cpu, nr_cpus = 0;
	size_t note_size = 0, text_size = 0;
	u64 note_paddr = 0;
	bool differ = false;
	int ret;

	ret = parse_fail_at();
	if (ret)
		return ret;

	cpus_read_lock();
	cpu = cpumask_first(cpu_online_mask);
	if (!vmcsinfo_should_fail(VMCSINFO_FAIL_ALLOC_CAPS))
		caps = kvcalloc(nr_cpu_ids, sizeof(*caps), GFP_KERNEL);
	if (!caps) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = read_all_caps(caps);
	if (ret)
		goto out_unlock;
	ret = vmcsinfo_check_caps(&caps[cpu], cpu, enable_feature_control);
	if (ret)
		goto out_unlock;

	job = job_alloc(&caps[cpu], cpu, needs_below_4g(&caps[cpu]));
	if (!job) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	/* A hypervisor's VMX emulation has the layout of its own software. */
	if (boot_cpu_has(X86_FEATURE_HYPERVISOR))
		pr_notice("running under a hypervisor: probing its emulated VMCS\n");
	if (probe_all_cpus && num_online_cpus() > 1) {
		unsigned int c;

		for_each_online_cpu(c) {
			if (c == cpu)
				continue;
			ret = vmcsinfo_check_caps(&caps[c], c,
						  enable_feature_control);
			if (ret)
				goto out_unlock;
		}
		other = job_alloc(&caps[cpu], cpu, any_needs_below_4g(caps));
		if (!other) {
			ret = -ENOMEM;
			goto out_unlock;
		}
	}

	ret = run_job(job);
	if (!ret && other)
		ret = probe_other_cpus(job, other, caps, &differ);
	if (!ret && vmcsinfo_compare_caps(caps, cpu, &nr_cpus))
		differ = true;
out_unlock:
	cpus_read_unlock();
	if (ret)
		goto out_free;

	if (job->in_vmx_op)
		job->layout.flags |= VMCSINFO_LF_IN_VMX_OP;
	job->layout.flags |= differ ? VMCSINFO_LF_CPUS_DIFFER :
				      VMCSINFO_LF_CPUS_AGREE;
	fill_info(&info, job, nr_cpus);
	ret = make_note(&job->layout, &info, &note_size, &note_paddr);
	if (ret)
		goto out_free;
	layout_text = vmcsinfo_format_layout(&job->layout, cpu, &text_size);
	if (!layout_text) {
		pr_err("out of memory for the layout text\n");
		ret = -ENOMEM;
		goto out_note;
	}
	ret = vmcsinfo_sysfs_init(page_address(note_pages), note_size,
				  note_paddr, layout_text, text_size);
	if (ret)
		goto out_text;
	log_summary(job, nr_cpus, note_paddr, note_size);
	goto out_free;

out_text:
	kvfree(layout_text);
	layout_text = NULL;
out_note:
	free_note();
out_free:
	job_free(other);
	job_free(job);
	kvfree(caps);
	return ret;
}

static void __exit vmcsinfo_exit(void)
{
	/* Files first: removal waits for reads in progress. */
	vmcsinfo_sysfs_exit();
	kvfree(layout_text);
	free_note();
}

module_init(vmcsinfo_init);
module_exit(vmcsinfo_exit);

MODULE_DESCRIPTION("Discover the VMCS memory layout and publish it for crash dumps");
MODULE_LICENSE("GPL");
MODULE_VERSION(VMCSINFO_VERSION);
