/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Model files of simulated VMX CPUs (docs/model-format.md).
 */
#ifndef VMCSINFO_SIM_MODEL_H
#define VMCSINFO_SIM_MODEL_H

#include <stdio.h>
#include "vmcsinfo/layout.h"
#include "vmcsinfo/note.h"

struct sim_model {
	char name[128];
	u32 revision_id;
	u32 region_size;
	u32 signature;
	u32 microcode;
	bool vmwrite_any;
	bool cache;
	u32 launch_state_offset;	/* VMCSINFO_NO_OFFSET: none */
	u32 launch_state_size;
	u32 msr_valid;
	u64 msrs[VMCSINFO_NR_MSRS];
	/*
	 * The fields as the model defines them, _HIGH halves included,
	 * sorted by encoding; VMCSINFO_FF_READONLY marks `ro` fields.
	 */
	struct vmcsinfo_layout layout;
};

/*
 * Parse a model file.  On error returns -1 with a message
 * "FILE:LINE: what is wrong" in err.
 */
int sim_model_load(const char *path, struct sim_model *m,
		   char *err, size_t errlen);
void sim_model_free(struct sim_model *m);

#endif
