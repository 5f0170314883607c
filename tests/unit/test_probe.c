// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The probe core against simulated CPUs: it must recover each model's
 * layout exactly, and it must notice when a CPU does not behave like a
 * bit mapping or when its two methods disagree.
 *
 * Expected values come from the model files (parsed by tests/sim/model.c),
 * never from probe output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "simcpu.h"
#include "vmcsinfo/fields.h"
#include "vmcsinfo/probe.h"

#define REGION_PA 0x7f000ULL
#define GUEST_RIP 0x681eu
#define GUEST_RSP 0x681cu

struct run {
	struct sim_model model;
	struct simcpu cpu;
	struct vmcsinfo_layout layout;
	struct vmcsinfo_probe_env env;
	struct vmcsinfo_probe_error err;
	u8 *region;
	/* fault injection by the wrapper ops */
	struct vmcsinfo_vmx_ops ops;
	u32 swap_write_enc;	/* VMWRITE stores bits 0 and 1 swapped */
	u32 xor_read_enc;	/* VMREAD bit 0 := bit 0 ^ bit 1 */
	u32 fail_after_reads;	/* VMREAD number N fails with error 5 */
	u32 nreads;
};

static struct run *current_run;

static int w_vmclear(void *ctx, u64 pa)
{
	return simcpu_ops.vmclear(ctx, pa);
}

static int w_vmptrld(void *ctx, u64 pa)
{
	return simcpu_ops.vmptrld(ctx, pa);
}

static int w_vmread(void *ctx, u32 enc, u64 *v)
{
	struct run *r = current_run;
	int rc;

	if (r->fail_after_reads && ++r->nreads == r->fail_after_reads)
		return 5;
	rc = simcpu_ops.vmread(ctx, enc, v);
	if (!rc && enc == r->xor_read_enc)
		*v ^= (*v >> 1) & 1;
	return rc;
}

static int w_vmwrite(void *ctx, u32 enc, u64 v)
{
	struct run *r = current_run;

	if (enc == r->swap_write_enc)
		v = (v & ~3ULL) | ((v & 1) << 1) | ((v >> 1) & 1);
	return simcpu_ops.vmwrite(ctx, enc, v);
}

static void setup_run(struct run *r, const char *model_path, u32 cap)
{
	char msg[512];

	memset(r, 0, sizeof(*r));
	current_run = r;
	r->swap_write_enc = ~0u;
	r->xor_read_enc = ~0u;
	if (sim_model_load(model_path, &r->model, msg, sizeof(msg)))
		fail_msg("%s", msg);
	r->region = aligned_alloc(4096, VMCSINFO_MAX_REGION);
	assert_non_null(r->region);
	memset(r->region, 0, VMCSINFO_MAX_REGION);
	simcpu_init(&r->cpu, &r->model, r->region, REGION_PA);
	r->ops = (struct vmcsinfo_vmx_ops){ w_vmclear, w_vmptrld, w_vmread,
					    w_vmwrite };
	r->layout.cap = cap;
	r->layout.fields = calloc(cap, sizeof(*r->layout.fields));
	assert_non_null(r->layout.fields);
	r->env.ops = &r->ops;
	r->env.ctx = &r->cpu;
	r->env.region = r->region;
	r->env.region_pa = REGION_PA;
	r->env.revision_id = r->model.revision_id;
	r->env.region_size = r->model.region_size;
	r->env.vmx_misc = r->model.msrs[5];
	r->env.vmcs_enum = r->model.msr_valid & (1u << 10) ?
			   r->model.msrs[10] : 0x3fe;
	r->env.work_size = vmcsinfo_probe_work_size(cap);
	r->env.work = aligned_alloc(8, (r->env.work_size + 7) & ~(size_t)7);
	assert_non_null(r->env.work);
}

static void teardown_run(struct run *r)
{
	free(r->env.work);
	free(r->layout.fields);
	free(r->region);
	sim_model_free(&r->model);
}

static int probe(struct run *r)
{
	return vmcsinfo_probe_run(&r->env, &r->layout, &r->err);
}

static char *model_path(const char *name)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%s/models/%s", VMCSINFO_SRCDIR, name);
	return buf;
}

/* The recovered layout equals the model, field for field, bit for bit. */
static void assert_layout_is_model(struct run *r)
{
	const struct vmcsinfo_layout *want = &r->model.layout;
	const struct vmcsinfo_layout *got = &r->layout;
	u32 i;

	assert_int_equal(got->revision_id, r->model.revision_id);
	assert_int_equal(got->region_size, r->model.region_size);
	assert_int_equal(got->nfields, want->nfields);
	for (i = 0; i < want->nfields; i++) {
		const struct vmcsinfo_field_map *g = &got->fields[i];
		const struct vmcsinfo_field_map *w = &want->fields[i];
		bool want_ro = (w->flags & VMCSINFO_FF_READONLY) &&
			       !r->model.vmwrite_any;

		assert_int_equal(g->encoding, w->encoding);
		assert_int_equal(g->nbits, w->nbits);
		assert_memory_equal(g->map, w->map, sizeof(g->map));
		assert_int_equal(!!(g->flags & VMCSINFO_FF_READONLY), want_ro);
		assert_false(g->flags & (VMCSINFO_FF_MISMATCH |
					 VMCSINFO_FF_HIGHDIFF));
		if (!want_ro && !vmcsinfo_enc_is_high(g->encoding))
			assert_true(g->flags & VMCSINFO_FF_WCHECKED);
	}
	assert_int_equal(got->launch_state_offset, r->model.launch_state_offset);
	assert_int_equal(got->launch_state_size, r->model.launch_state_size);
	assert_int_equal(got->methods, VMCSINFO_METHOD_READ | VMCSINFO_METHOD_WRITE);
	assert_int_equal(got->mismatches, 0);
	assert_int_equal(r->cpu.writes_while_current, 0);
	assert_false(r->cpu.current);
	/* Passes are tens, not one per field. */
	assert_in_range(got->counts.vmptrld, 10, 100);
	assert_int_equal(got->counts.vmptrld, r->cpu.n_vmptrld);
	assert_int_equal(got->counts.vmread, r->cpu.n_vmread);
	assert_int_equal(got->counts.vmwrite, r->cpu.n_vmwrite);
}

static void test_every_model(void **state)
{
	char pattern[1024];
	glob_t g;
	size_t i;

	(void)state;
	snprintf(pattern, sizeof(pattern), "%s/models/*.model", VMCSINFO_SRCDIR);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 5);
	for (i = 0; i < g.gl_pathc; i++) {
		struct run r;

		setup_run(&r, g.gl_pathv[i], VMCSINFO_ENC_SPACE);
		assert_int_equal(probe(&r), 0);
		assert_layout_is_model(&r);
		print_message("  %s: %u fields, %u passes, %u VMREAD, %u VMWRITE\n",
			      r.model.name, r.layout.nfields,
			      r.layout.counts.vmptrld, r.layout.counts.vmread,
			      r.layout.counts.vmwrite);
		teardown_run(&r);
	}
	globfree(&g);
}

/* Bochs' access rights: VMREAD bit i is stored in slot bit (i+8) mod 32. */
static void test_bochs_access_rights_rotation(void **state)
{
	struct run r;
	const struct vmcsinfo_field_map *es, *sel;
	unsigned int i;

	(void)state;
	setup_run(&r, model_path("bochs-2.7-corei7_skylake_x.model"),
		  VMCSINFO_ENC_SPACE);
	assert_int_equal(probe(&r), 0);
	es = vmcsinfo_layout_find(&r.layout, 0x4814);
	sel = vmcsinfo_layout_find(&r.layout, 0x0800);
	assert_non_null(es);
	assert_non_null(sel);
	/* The Bochs slot rule: 0x10 + ((width*4 + type)*64 + index)*4. */
	assert_int_equal(sel->map[0], (0x10 + ((0 * 4 + 2) * 64 + 0) * 4) * 8);
	for (i = 0; i < 32; i++) {
		s16 slot = (s16)((0x10 + ((2 * 4 + 2) * 64 + 0x14) * 4) * 8);

		assert_int_equal(es->map[i], slot + (s16)((i + 8) % 32));
	}
	teardown_run(&r);
}

/* Read-only fields: error 13 without IA32_VMX_MISC[29] only. */
static void test_readonly_follows_misc29(void **state)
{
	struct run r;
	const struct vmcsinfo_field_map *f;

	(void)state;
	setup_run(&r, model_path("bochs-2.7-corei7_sandy_bridge_2600k.model"),
		  VMCSINFO_ENC_SPACE);
	assert_int_equal(probe(&r), 0);
	f = vmcsinfo_layout_find(&r.layout, 0x4402);	/* VM_EXIT_REASON */
	assert_non_null(f);
	assert_true(f->flags & VMCSINFO_FF_READONLY);
	assert_false(f->flags & VMCSINFO_FF_WCHECKED);
	assert_false(r.layout.flags & VMCSINFO_LF_VMWRITE_ANY);
	teardown_run(&r);

	setup_run(&r, model_path("bochs-2.7-corei7_skylake_x.model"),
		  VMCSINFO_ENC_SPACE);
	assert_int_equal(probe(&r), 0);
	f = vmcsinfo_layout_find(&r.layout, 0x4402);
	assert_non_null(f);
	assert_false(f->flags & VMCSINFO_FF_READONLY);
	assert_true(f->flags & VMCSINFO_FF_WCHECKED);
	assert_true(r.layout.flags & VMCSINFO_LF_VMWRITE_ANY);
	teardown_run(&r);
}

/* A CPU whose VMWRITE stores one field elsewhere than VMREAD reads it. */
static void test_write_method_disagreement_is_reported(void **state)
{
	struct run r;
	u32 i;

	(void)state;
	setup_run(&r, model_path("realcpu-packed.model"), VMCSINFO_ENC_SPACE);
	r.swap_write_enc = GUEST_RIP;
	assert_int_equal(probe(&r), 0);
	/* Bits 0 and 1 of GUEST_RIP land in each other's place. */
	assert_int_equal(r.layout.mismatches, 4);
	for (i = 0; i < r.layout.nfields; i++) {
		const struct vmcsinfo_field_map *f = &r.layout.fields[i];

		assert_int_equal(!!(f->flags & VMCSINFO_FF_MISMATCH),
				 f->encoding == GUEST_RIP);
	}
	/* The read method's map is still the model's. */
	assert_memory_equal(vmcsinfo_layout_find(&r.layout, GUEST_RIP)->map,
			    vmcsinfo_layout_find(&r.model.layout, GUEST_RIP)->map,
			    sizeof(((struct vmcsinfo_field_map *)0)->map));
	teardown_run(&r);
}

/* A VMREAD bit that is a function of two region bits stops the probe. */
static void test_non_bit_mapping_stops_probe(void **state)
{
	struct run r;
	char msg[256];

	(void)state;
	setup_run(&r, model_path("kvm-vmcs12.model"), VMCSINFO_ENC_SPACE);
	r.xor_read_enc = GUEST_RSP;
	assert_int_equal(probe(&r), VMCSINFO_PE_NOTBITS);
	assert_int_equal(r.err.encoding, GUEST_RSP);
	assert_int_equal(r.err.bit, 0);
	assert_false(r.cpu.current);
	vmcsinfo_probe_strerror(&r.err, msg, sizeof(msg));
	assert_non_null(strstr(msg, "0x0000681c bit 0"));
	teardown_run(&r);
}

/* An unexpected VMfailValid stops the probe with a clear error. */
static void test_unexpected_vmfail_stops_probe(void **state)
{
	struct run r;
	char msg[256];

	(void)state;
	setup_run(&r, model_path("bochs-2.7-corei7_haswell_4770.model"),
		  VMCSINFO_ENC_SPACE);
	r.fail_after_reads = 20000;	/* inside the read method */
	assert_int_equal(probe(&r), VMCSINFO_PE_VMFAIL);
	assert_string_equal(r.err.insn, "VMREAD");
	assert_int_equal(r.err.vmresult, 5);
	assert_string_equal(r.err.stage, "read method");
	assert_false(r.cpu.current);
	assert_non_null(vmcsinfo_layout_find(&r.model.layout, r.err.encoding));
	vmcsinfo_probe_strerror(&r.err, msg, sizeof(msg));
	assert_non_null(strstr(msg, "read method: VMX instruction failed: VMREAD VM-instruction error 5 (field 0x0000"));
	teardown_run(&r);
}

static void test_too_many_fields(void **state)
{
	struct run r;

	(void)state;
	setup_run(&r, model_path("bochs-2.7-corei7_skylake_x.model"), 10);
	assert_int_equal(probe(&r), VMCSINFO_PE_NOSPC);
	assert_int_equal(r.layout.nfields, 10);
	assert_false(r.cpu.current);
	teardown_run(&r);
}

static void test_bad_environment(void **state)
{
	struct run r;

	(void)state;
	setup_run(&r, model_path("kvm-vmcs12.model"), 256);
	r.env.region_pa |= 0x800;
	assert_int_equal(probe(&r), VMCSINFO_PE_ARGS);
	r.env.region_pa &= ~0xfffULL;
	r.env.work_size = 16;
	assert_int_equal(probe(&r), VMCSINFO_PE_ARGS);
	assert_int_equal(r.cpu.n_vmptrld, 0);
	teardown_run(&r);
}

static const char *write_temp_model(const char *text)
{
	static char path[] = "/tmp/vmcsinfo-test-XXXXXX";
	int fd;

	strcpy(path, "/tmp/vmcsinfo-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/*
 * Encodings the table does not know are still found and mapped, and an
 * index above IA32_VMX_VMCS_ENUM is flagged (the MSR is only a hint).
 */
static void test_unknown_encoding_and_enum_hint(void **state)
{
	const char *path = write_temp_model(
		"revision 0x77\n"
		"launch_state 4000 4\n"
		"msr 0x48a 0x4\n"			/* highest index 2 */
		"field 0x0000 plain 100 2\n"
		"field 0x27fe plain 200 8\n"		/* 64-bit guest, index 0x1ff */
		"field 0x4814 bits 0-7:300.0,8-11:0,12-15:301.0,16:302.0,17-31:1\n");
	struct run r;
	const struct vmcsinfo_field_map *f;
	unsigned int i;

	(void)state;
	assert_null(vmcsinfo_field_by_encoding(0x27fe));
	setup_run(&r, path, 64);
	assert_int_equal(probe(&r), 0);
	assert_layout_is_model(&r);
	f = vmcsinfo_layout_find(&r.layout, 0x27fe);
	assert_non_null(f);
	assert_true(f->flags & VMCSINFO_FF_UNKNOWN);
	f = vmcsinfo_layout_find(&r.layout, 0x27ff);
	assert_non_null(f);
	assert_true(f->flags & VMCSINFO_FF_UNKNOWN);
	f = vmcsinfo_layout_find(&r.layout, 0x4814);
	for (i = 17; i < 32; i++)
		assert_int_equal(f->map[i], VMCSINFO_MAP_CONST1);
	assert_true(r.layout.flags & VMCSINFO_LF_ENUM_EXCEEDED);
	teardown_run(&r);
	unlink(path);
}

/* The simulator's own check that memory is not written while current. */
static void test_sim_detects_writes_while_current(void **state)
{
	struct run r;

	(void)state;
	setup_run(&r, model_path("realcpu-packed.model"), 16);
	r.region[0] = (u8)r.model.revision_id;
	assert_int_equal(simcpu_ops.vmptrld(&r.cpu, REGION_PA), 0);
	r.region[100] ^= 0xff;		/* what a careless probe would do */
	assert_int_equal(simcpu_ops.vmclear(&r.cpu, REGION_PA), 0);
	assert_int_equal(r.cpu.writes_while_current, 1);
	/* and the write-back lost it */
	assert_int_equal(r.region[100], 0);
	teardown_run(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_model),
		cmocka_unit_test(test_bochs_access_rights_rotation),
		cmocka_unit_test(test_readonly_follows_misc29),
		cmocka_unit_test(test_write_method_disagreement_is_reported),
		cmocka_unit_test(test_non_bit_mapping_stops_probe),
		cmocka_unit_test(test_unexpected_vmfail_stops_probe),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_bad_environment),
		cmocka_unit_test(test_unknown_encoding_and_enum_hint),
		cmocka_unit_test(test_sim_detects_writes_while_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
