// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The crash extension's access to libvmcsinfo and the decoder's scan.
 * The dump is opened and scanned once (for its notes and VMCS pages) and
 * the result kept while crash runs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "cli.h"
#include "scan.h"
#include "vmcs_print.h"

static struct cli cli = { .prog = "vmcs" };
static struct vmcsinfo_dump *dump;
static struct scan_result result;
static char *scanned_path;

void vmcsinfo_bridge_release(void)
{
	if (dump) {
		scan_free(&result);
		vmcsinfo_dump_close(dump);
	}
	dump = NULL;
	free(scanned_path);
	scanned_path = NULL;
}

static int ensure_scanned(FILE *out, const char *dumpfile)
{
	struct scan_opts o = { .path = dumpfile };
	char err[512];

	cli.out = out;
	if (dump && scanned_path && !strcmp(scanned_path, dumpfile))
		return 0;
	vmcsinfo_bridge_release();
	if (!dumpfile || !*dumpfile) {
		fprintf(out, "vmcs: no dump file (live systems: use vmcsinfo-decode scan /proc/kcore)\n");
		return -1;
	}
	if (vmcsinfo_dump_open(dumpfile, VMCSINFO_DUMP_AUTO, &dump, err,
			       sizeof(err))) {
		fprintf(out, "vmcs: %s: %s\n", dumpfile, err);
		dump = NULL;
		return -1;
	}
	if (scan_run(&cli, dump, &o, &result)) {
		scan_free(&result);
		vmcsinfo_dump_close(dump);
		dump = NULL;
		return -1;
	}
	scanned_path = strdup(dumpfile);
	return 0;
}

int vmcsinfo_bridge_layout(FILE *out, const char *dumpfile)
{
	size_t i;

	if (ensure_scanned(out, dumpfile))
		return -1;
	if (!result.nnotes) {
		fprintf(out, "vmcs: no VMCSINFO note in %s (vmcsinfo.ko was not loaded); "
			"VMCS pages are decoded with the layout database\n", dumpfile);
		return 0;
	}
	for (i = 0; i < result.nnotes; i++) {
		fprintf(out, "VMCSINFO note at physical address 0x%" PRIx64 " (%s)\n",
			result.notes[i].paddr, result.notes[i].where);
		layout_print_text(out, result.notes[i].note);
		if (i + 1 < result.nnotes)
			fprintf(out, "\n");
	}
	return 0;
}

int vmcsinfo_bridge_scan(FILE *out, const char *dumpfile, int explain)
{
	char *argv[4];
	int argc = 0;

	cli.out = out;
	argv[argc++] = "scan";
	if (explain)
		argv[argc++] = "--explain";
	argv[argc++] = (char *)dumpfile;
	argv[argc] = NULL;
	cli_getopt_reset();
	return cmd_scan(&cli, argc, argv) == EXIT_FAIL ? -1 : 0;
}

int vmcsinfo_bridge_decode(FILE *out, const char *dumpfile, uint64_t paddr,
			   const uint8_t *page, size_t len)
{
	struct vmcsinfo_check_env env = { 0 };
	struct cpu_filter cpu = { 0 };
	struct layout_choice ch;
	const struct vmcsinfo_note_header *h;
	int c;

	if (ensure_scanned(out, dumpfile))
		return -1;
	env.dump = dump;
	env.max_paddr = vmcsinfo_dump_max_addr(dump);
	env.have_direct_map = result.have_direct_map;
	env.direct_map = result.direct_map;
	if (layouts_choose(&result.layouts, page, len, paddr, &env, &cpu, &ch)) {
		fprintf(out, "vmcs: 0x%" PRIx64 ": revision 0x%x is known to no note in the dump nor to the layout database\n",
			paddr, (page[0] | page[1] << 8 | page[2] << 16 |
				(uint32_t)page[3] << 24) & 0x7fffffffu);
		return -1;
	}
	h = vmcsinfo_note_get_header(ch.cand->note);
	fprintf(out, "VMCS region      physical address 0x%" PRIx64 "\n", paddr);
	fprintf(out, "layout           %s: revision 0x%x, %u fields\n",
		ch.cand->name, h->revision_id, h->nfields);
	fprintf(out, "                 %s\n", ch.reason);
	fprintf(out, "checks          ");
	for (c = 0; c < VMCSINFO_NR_CHECKS; c++)
		fprintf(out, " %s=%s", vmcsinfo_check_name(c),
			ch.report.result[c] == VMCSINFO_CHECK_PASS ? "pass" :
			ch.report.result[c] == VMCSINFO_CHECK_FAIL ? "FAIL" :
			"skipped");
	fprintf(out, "\nverdict          %s\n\n",
		ch.report.is_vmcs ? "a VMCS" : "NOT a VMCS (failed checks above)");
	vmcs_print_text(out, ch.cand->note, page, "");
	return 0;
}
