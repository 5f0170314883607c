// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Simulated VMX processor.  It knows the layout from its model and keeps
 * the current VMCS on chip when the model says so: then VMREAD and VMWRITE
 * never touch memory and only VMCLEAR writes the copy back, which is what
 * makes a probe that trusts memory too early fail here.
 */
#include <string.h>

#include "simcpu.h"

#define ERR_VMCLEAR_ADDR	2
#define ERR_VMPTRLD_ADDR	9
#define ERR_VMPTRLD_REVISION	11
#define VM_INSTRUCTION_ERROR	0x4400u

static u8 *image(struct simcpu *cpu)
{
	return cpu->model->cache ? cpu->cache : cpu->region;
}

static const struct vmcsinfo_field_map *field(struct simcpu *cpu, u32 enc)
{
	return vmcsinfo_layout_find(&cpu->model->layout, enc);
}

/* VMfailValid: record the error number in the current VMCS. */
static int fail_valid(struct simcpu *cpu, int error)
{
	const struct vmcsinfo_field_map *f = field(cpu, VM_INSTRUCTION_ERROR);

	if (cpu->current && f)
		vmcsinfo_map_deposit(f, image(cpu), cpu->model->region_size,
				     (u64)error);
	return error;
}

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static int sim_vmclear(void *ctx, u64 pa)
{
	struct simcpu *cpu = ctx;
	const struct sim_model *m = cpu->model;

	cpu->n_vmclear++;
	if (pa & 0xfff || pa != cpu->region_pa)
		return fail_valid(cpu, ERR_VMCLEAR_ADDR);
	if (cpu->current && m->cache) {
		if (memcmp(cpu->region, cpu->loaded, m->region_size))
			cpu->writes_while_current++;
		memcpy(cpu->region, cpu->cache, m->region_size);
	}
	if (m->launch_state_offset != VMCSINFO_NO_OFFSET)
		memset(cpu->region + m->launch_state_offset, 0,
		       m->launch_state_size);
	cpu->current = false;
	return VMCSINFO_VM_OK;
}

static int sim_vmptrld(void *ctx, u64 pa)
{
	struct simcpu *cpu = ctx;
	const struct sim_model *m = cpu->model;

	cpu->n_vmptrld++;
	if (pa & 0xfff || pa != cpu->region_pa)
		return fail_valid(cpu, ERR_VMPTRLD_ADDR);
	if (le32(cpu->region) != m->revision_id)
		return fail_valid(cpu, ERR_VMPTRLD_REVISION);
	if (m->cache && !cpu->current) {
		memcpy(cpu->cache, cpu->region, m->region_size);
		memcpy(cpu->loaded, cpu->region, m->region_size);
	}
	cpu->current = true;
	return VMCSINFO_VM_OK;
}

static int sim_vmread(void *ctx, u32 enc, u64 *value)
{
	struct simcpu *cpu = ctx;
	const struct vmcsinfo_field_map *f;

	cpu->n_vmread++;
	if (!cpu->current)
		return VMCSINFO_VM_FAIL_INVALID;
	f = field(cpu, enc);
	if (!f)
		return fail_valid(cpu, VMCSINFO_VMERR_UNSUPPORTED);
	*value = vmcsinfo_map_extract(f, image(cpu), cpu->model->region_size);
	return VMCSINFO_VM_OK;
}

static int sim_vmwrite(void *ctx, u32 enc, u64 value)
{
	struct simcpu *cpu = ctx;
	const struct vmcsinfo_field_map *f;

	cpu->n_vmwrite++;
	if (!cpu->current)
		return VMCSINFO_VM_FAIL_INVALID;
	f = field(cpu, enc);
	if (!f)
		return fail_valid(cpu, VMCSINFO_VMERR_UNSUPPORTED);
	if ((f->flags & VMCSINFO_FF_READONLY) && !cpu->model->vmwrite_any)
		return fail_valid(cpu, VMCSINFO_VMERR_READONLY);
	vmcsinfo_map_deposit(f, image(cpu), cpu->model->region_size, value);
	return VMCSINFO_VM_OK;
}

const struct vmcsinfo_vmx_ops simcpu_ops = {
	.vmclear = sim_vmclear,
	.vmptrld = sim_vmptrld,
	.vmread = sim_vmread,
	.vmwrite = sim_vmwrite,
};

void simcpu_init(struct simcpu *cpu, const struct sim_model *model,
		 u8 *region, u64 region_pa)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->model = model;
	cpu->region = region;
	cpu->region_pa = region_pa;
}
