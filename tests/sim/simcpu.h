/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A simulated VMX processor that implements struct vmcsinfo_vmx_ops from a
 * model (docs/model-format.md, "Semantics of the simulated CPU").
 */
#ifndef VMCSINFO_SIMCPU_H
#define VMCSINFO_SIMCPU_H

#include "model.h"
#include "vmcsinfo/probe.h"

struct simcpu {
	const struct sim_model *model;
	u8 *region;		/* the one VMCS region of this machine */
	u64 region_pa;
	bool current;		/* region is the current VMCS */
	u8 cache[VMCSINFO_MAX_REGION];	/* on-chip copy, if model->cache */
	/* what the simulated CPU was asked to do */
	u32 n_vmptrld, n_vmclear, n_vmread, n_vmwrite;
	/*
	 * VMCLEARs that found the region's memory changed since VMPTRLD:
	 * someone wrote memory while the VMCS was current (and cached), and
	 * the write-back lost it.  A correct probe never does that.
	 */
	u32 writes_while_current;
	u8 loaded[VMCSINFO_MAX_REGION];	/* memory as VMPTRLD found it */
};

extern const struct vmcsinfo_vmx_ops simcpu_ops;

void simcpu_init(struct simcpu *cpu, const struct sim_model *model,
		 u8 *region, u64 region_pa);

#endif
