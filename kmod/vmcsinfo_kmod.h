/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcsinfo.ko internals shared between its source files.
 */
#ifndef VMCSINFO_KMOD_H
#define VMCSINFO_KMOD_H

#include <linux/types.h>
#include <linux/mm_types.h>

#include "vmcsinfo/bringup.h"
#include "vmcsinfo/layout.h"
#include "vmcsinfo/note.h"
#include "vmcsinfo/probe.h"

/* Index of a capability MSR in struct vmcsinfo_caps.msrs[] and the note. */
#define VMCSINFO_MSR_IDX(msr)	((msr) - VMCSINFO_MSR_FIRST)

/* What one CPU reports, read on that CPU before any VMX operation. */
struct vmcsinfo_caps {
	u32 cpuid1_eax;		/* signature */
	u32 cpuid1_ecx;		/* bit 5: VMX */
	u32 vendor[3];		/* CPUID.0 EBX, EDX, ECX */
	bool feat_ctl_ok;	/* IA32_FEATURE_CONTROL was readable */
	u64 feat_ctl;
	u32 msr_valid;		/* bit i: msrs[i] read without #GP */
	u64 msrs[VMCSINFO_NR_MSRS];
};

/* Points where the fail_at parameter forces an error path. */
enum vmcsinfo_fail_point {
	VMCSINFO_FAIL_NONE = 0,
	VMCSINFO_FAIL_ALLOC_CAPS,
	VMCSINFO_FAIL_ALLOC_VMXON,
	VMCSINFO_FAIL_ALLOC_REGION,
	VMCSINFO_FAIL_ALLOC_WORK,
	VMCSINFO_FAIL_ALLOC_LAYOUT,
	VMCSINFO_FAIL_ALLOC_NOTE,
	VMCSINFO_FAIL_ALLOC_TEXT,
	VMCSINFO_FAIL_VMXON,		/* VMXON of a misaligned address */
	VMCSINFO_FAIL_VMXON_FAULT,	/* VMXON with CR4.VMXE clear: #UD */
	VMCSINFO_FAIL_PROBE,		/* a VMREAD inside the probe "faults" */
	VMCSINFO_FAIL_SYSFS,		/* the last sysfs file is not created */
};

extern enum vmcsinfo_fail_point vmcsinfo_fail_at;

static inline bool vmcsinfo_should_fail(enum vmcsinfo_fail_point point)
{
	return vmcsinfo_fail_at == point;
}

/*
 * Everything one probe window needs, allocated before VMX operation
 * starts, and what the window reports back.
 */
struct vmcsinfo_job {
	unsigned int cpu;
	const struct vmcsinfo_caps *caps;	/* of this cpu */

	struct page *vmxon_page;
	struct page *region_page;
	void *work;
	size_t work_size;
	struct vmcsinfo_layout layout;	/* fields[] holds layout.cap entries */

	/* Results of the window. */
	int err;			/* 0 or -errno */
	int vmresult;			/* VMXON/VMPTRST result behind err */
	unsigned long cr0;
	unsigned long cr4;		/* on entry to the window */
	unsigned long cr4_after;	/* on exit: must equal cr4 */
	/* The CR0/CR4 check before CR4.VMXE is set, and what it saw. */
	struct vmcsinfo_bringup_in cr_check_in;
	struct vmcsinfo_bringup_out cr_check;
	bool in_vmx_op;			/* probed inside existing VMX operation */
	u64 saved_vmcs;			/* VMPTRST result, in_vmx_op only */
	int restore_result;		/* VMPTRLD of saved_vmcs */
	int vmxoff_result;
	int probe_rc;			/* vmcsinfo_probe_run() */
	struct vmcsinfo_probe_error perr;
	u32 usecs;
	u32 vmreads;			/* for VMCSINFO_FAIL_PROBE */
};

/* caps.c */
void vmcsinfo_read_caps(void *info);
void vmcsinfo_bringup_input(const struct vmcsinfo_caps *caps,
			    bool may_write_feat_ctl,
			    struct vmcsinfo_bringup_in *in);
void vmcsinfo_log_bringup(const struct vmcsinfo_bringup_in *in,
			  const struct vmcsinfo_bringup_out *out,
			  unsigned int cpu);
int vmcsinfo_check_caps(const struct vmcsinfo_caps *caps, unsigned int cpu,
			bool enable_feature_control);
int vmcsinfo_compare_caps(const struct vmcsinfo_caps *all,
			  unsigned int ref_cpu, unsigned int *nr_cpus);

static inline u64 vmcsinfo_cap(const struct vmcsinfo_caps *caps, u32 msr)
{
	return caps->msrs[VMCSINFO_MSR_IDX(msr)];
}

/* vmx.c */
long vmcsinfo_probe_on_cpu(void *job);

/* sysfs.c */
int vmcsinfo_sysfs_init(const u8 *note, size_t note_size, u64 note_paddr,
			const char *text, size_t text_size);
void vmcsinfo_sysfs_exit(void);
char *vmcsinfo_format_layout(const struct vmcsinfo_layout *l,
			     unsigned int cpu, size_t *size);

#endif /* VMCSINFO_KMOD_H */
