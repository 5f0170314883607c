// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vmcsinfo-sim: run the real probe core against a simulated VMX CPU built
 * from a model file and write the VMCSINFO note it produces.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "simcpu.h"
#include "vmcsinfo/note.h"
#include "vmcsinfo/probe.h"
#include "vmcsinfo/fields.h"

/* Any physical address will do; a real one is page aligned. */
#define SIM_REGION_PA	0x12345000ULL

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: vmcsinfo-sim [-o FILE] [-q] MODEL\n"
		"Run the VMCS layout probe on the simulated CPU described by MODEL\n"
		"(docs/model-format.md) and write the VMCSINFO note it produces to\n"
		"standard output or FILE.  A summary goes to standard error.\n"
		"  -o, --output FILE  write the note to FILE\n"
		"  -q, --quiet        no summary\n"
		"  -h, --help         this text\n");
}

static int write_all(FILE *fp, const u8 *buf, size_t len)
{
	return fwrite(buf, 1, len, fp) == len ? 0 : -1;
}

static void fill_info(const struct sim_model *m, struct vmcsinfo_note_info *info)
{
	memset(info, 0, sizeof(*info));
	info->cpuid_signature = m->signature;
	info->microcode = m->microcode;
	/* CPUID.0 as EBX, EDX, ECX: "Genu" "ineI" "ntel", little-endian */
	info->vendor[0] = 0x756e6547;
	info->vendor[1] = 0x49656e69;
	info->vendor[2] = 0x6c65746e;
	info->source = VMCSINFO_SRC_SIMULATOR;
	info->nr_cpus = 1;
	info->msr_valid = m->msr_valid;
	memcpy(info->msrs, m->msrs, sizeof(info->msrs));
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out_path = NULL;
	bool quiet = false;
	struct sim_model model;
	struct simcpu *cpu = NULL;
	struct vmcsinfo_layout layout = { 0 };
	struct vmcsinfo_probe_env env = { 0 };
	struct vmcsinfo_probe_error perr;
	struct vmcsinfo_note_info info;
	char msg[512];
	u8 *region = NULL, *note = NULL;
	size_t nsize;
	int c, rc = 1;
	FILE *fp;

	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out_path = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (!out_path && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vmcsinfo-sim: refusing to write a binary note to a terminal; use -o FILE or a pipe\n");
		return 2;
	}
	if (sim_model_load(argv[optind], &model, msg, sizeof(msg))) {
		fprintf(stderr, "vmcsinfo-sim: %s\n", msg);
		return 1;
	}

	layout.cap = VMCSINFO_ENC_SPACE;
	layout.fields = calloc(layout.cap, sizeof(*layout.fields));
	env.work_size = vmcsinfo_probe_work_size(layout.cap);
	env.work = aligned_alloc(8, (env.work_size + 7) & ~(size_t)7);
	region = aligned_alloc(4096, VMCSINFO_MAX_REGION);
	cpu = calloc(1, sizeof(*cpu));
	if (!layout.fields || !env.work || !region || !cpu) {
		fprintf(stderr, "vmcsinfo-sim: out of memory\n");
		goto out;
	}
	memset(region, 0, VMCSINFO_MAX_REGION);
	simcpu_init(cpu, &model, region, SIM_REGION_PA);
	env.ops = &simcpu_ops;
	env.ctx = cpu;
	env.region = region;
	env.region_pa = SIM_REGION_PA;
	env.revision_id = model.revision_id;
	env.region_size = model.region_size;
	env.vmx_misc = model.msrs[5];
	env.vmcs_enum = model.msr_valid & (1u << 10) ? model.msrs[10] : 0x3fe;

	if (vmcsinfo_probe_run(&env, &layout, &perr)) {
		vmcsinfo_probe_strerror(&perr, msg, sizeof(msg));
		fprintf(stderr, "vmcsinfo-sim: %s: probe failed: %s\n",
			argv[optind], msg);
		goto out;
	}
	if (cpu->writes_while_current) {
		fprintf(stderr, "vmcsinfo-sim: %s: the probe wrote the region %u times while it was current: results are not trustworthy on caching CPUs\n",
			argv[optind], cpu->writes_while_current);
		goto out;
	}

	fill_info(&model, &info);
	nsize = vmcsinfo_note_size(&layout);
	note = calloc(1, nsize);
	if (!note || vmcsinfo_note_encode(&layout, &info, 0, note, nsize) != nsize) {
		fprintf(stderr, "vmcsinfo-sim: cannot encode the note\n");
		goto out;
	}
	fp = out_path ? fopen(out_path, "wb") : stdout;
	if (!fp) {
		fprintf(stderr, "vmcsinfo-sim: %s: %s\n", out_path, strerror(errno));
		goto out;
	}
	if (write_all(fp, note, nsize) || fflush(fp) ||
	    (out_path && fclose(fp))) {
		fprintf(stderr, "vmcsinfo-sim: %s: write error: %s\n",
			out_path ? out_path : "stdout", strerror(errno));
		goto out;
	}
	if (!quiet)
		fprintf(stderr,
			"vmcsinfo-sim: %s: revision 0x%x, %u fields, methods %s%s, %u mismatches; VMPTRLD %u, VMCLEAR %u, VMREAD %u, VMWRITE %u\n",
			model.name, layout.revision_id, layout.nfields,
			layout.methods & VMCSINFO_METHOD_READ ? "read" : "",
			layout.methods & VMCSINFO_METHOD_WRITE ? "+write" : "",
			layout.mismatches, layout.counts.vmptrld,
			layout.counts.vmclear, layout.counts.vmread,
			layout.counts.vmwrite);
	rc = layout.mismatches ? 3 : 0;
out:
	free(note);
	free(cpu);
	free(region);
	free(env.work);
	free(layout.fields);
	sim_model_free(&model);
	return rc;
}
