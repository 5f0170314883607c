// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vmcsinfo-decode layout FILE|-: print a VMCSINFO note's header and its
 * field table (docs/vmcsinfo-decode.md, "layout").
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "vmcsinfo/layout.h"

const char *layout_source_name(uint32_t s)
{
	switch (s) {
	case 1:
		return "module";
	case 2:
		return "simulator";
	case 3:
		return "database";
	default:
		return "unknown";
	}
}

static void layout_json(const struct cli *c, const struct vmcsinfo_note *n)
{
	const struct vmcsinfo_note_header *h = vmcsinfo_note_get_header(n);
	struct vmcsinfo_field_desc f;
	struct json j;
	uint32_t i;

	json_init(&j, c->out, c->pretty);
	json_obj_open(&j, NULL);
	json_uint(&j, "version", h->version);
	json_uint(&j, "revision_id", h->revision_id);
	json_uint(&j, "region_size", h->region_size);
	if (h->launch_state_offset == VMCSINFO_NO_OFFSET)
		json_null(&j, "launch_state_offset");
	else
		json_uint(&j, "launch_state_offset", h->launch_state_offset);
	json_uint(&j, "launch_state_size", h->launch_state_size);
	json_uint(&j, "abort_offset", h->abort_offset);
	json_str(&j, "source", layout_source_name(h->source));
	json_str(&j, "vendor", h->vendor);
	json_uint(&j, "cpuid_signature", h->cpuid_signature);
	json_uint(&j, "microcode", h->microcode);
	json_uint(&j, "note_paddr", h->note_paddr);
	json_bool(&j, "read_method", h->methods & VMCSINFO_METHOD_READ);
	json_bool(&j, "write_method", h->methods & VMCSINFO_METHOD_WRITE);
	json_uint(&j, "mismatches", h->mismatches);
	json_obj_open(&j, "counts");
	json_uint(&j, "vmptrld", h->vmptrld_count);
	json_uint(&j, "vmclear", h->vmclear_count);
	json_uint(&j, "vmread", h->vmread_count);
	json_uint(&j, "vmwrite", h->vmwrite_count);
	json_obj_close(&j);
	json_obj_open(&j, "msrs");
	for (i = 0; i < 20; i++) {
		char key[8];

		if (!(h->msr_valid & (1u << i)))
			continue;
		snprintf(key, sizeof(key), "0x%x", 0x480 + i);
		json_uint(&j, key, h->msrs[i]);
	}
	json_obj_close(&j);
	json_arr_open(&j, "fields");
	for (i = 0; vmcsinfo_note_field(n, i, &f) == 0; i++) {
		json_obj_open(&j, NULL);
		json_uint(&j, "encoding", f.encoding);
		json_str(&j, "name", f.name);
		json_uint(&j, "width", f.nbits);
		if (f.plain) {
			json_uint(&j, "offset", f.offset);
			json_uint(&j, "size", f.size);
		}
		json_bool(&j, "readonly", f.flags & VMCSINFO_FF_READONLY);
		json_bool(&j, "known", !(f.flags & VMCSINFO_FF_UNKNOWN));
		json_bool(&j, "write_checked", f.flags & VMCSINFO_FF_WCHECKED);
		json_bool(&j, "mismatch", f.flags &
			  (VMCSINFO_FF_MISMATCH | VMCSINFO_FF_HIGHDIFF));
		json_int16_array(&j, "map", f.map, f.nbits);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_obj_close(&j);
	json_end(&j);
}

/* "0-7:0x12.0 8-11:0 ..." for fields that are not plain. */
static void print_runs(FILE *out, const struct vmcsinfo_field_desc *f)
{
	unsigned int i = 0;

	while (i < f->nbits) {
		unsigned int s = i;
		int16_t m = f->map[i];

		i++;
		while (i < f->nbits &&
		       (m < 0 ? f->map[i] == m : f->map[i] == m + (int)(i - s)))
			i++;
		if (i - 1 == s)
			fprintf(out, " %u:", s);
		else
			fprintf(out, " %u-%u:", s, i - 1);
		if (m == VMCSINFO_MAP_BIT_CONST0)
			fprintf(out, "0");
		else if (m == VMCSINFO_MAP_BIT_CONST1)
			fprintf(out, "1");
		else
			fprintf(out, "0x%x.%d", m / 8, m % 8);
	}
}

void layout_print_text(FILE *out, const struct vmcsinfo_note *n)
{
	const struct vmcsinfo_note_header *h = vmcsinfo_note_get_header(n);
	struct vmcsinfo_field_desc f;
	uint32_t i;

	fprintf(out, "VMCSINFO note version %u, from the %s\n", h->version,
	       layout_source_name(h->source));
	fprintf(out, "revision id      0x%08x\n", h->revision_id);
	fprintf(out, "region size      %u bytes\n", h->region_size);
	fprintf(out, "cpu              %s, signature 0x%08x, microcode 0x%x\n",
	       h->vendor[0] ? h->vendor : "(unknown vendor)",
	       h->cpuid_signature, h->microcode);
	if (h->launch_state_offset == VMCSINFO_NO_OFFSET)
		fprintf(out, "launch state     not found in memory\n");
	else
		fprintf(out, "launch state     offset 0x%x, %u bytes\n",
		       h->launch_state_offset, h->launch_state_size);
	fprintf(out, "abort indicator  offset 0x%x\n", h->abort_offset);
	fprintf(out, "methods          %s%s%s\n",
	       h->methods & VMCSINFO_METHOD_READ ? "read" : "",
	       h->methods & VMCSINFO_METHOD_WRITE ? " + write" : "",
	       (h->methods & 3) == 3 ?
	       (h->mismatches ? ", DISAGREE" : ", agree") : "");
	if (h->mismatches)
		fprintf(out, "mismatches       %u field bits\n", h->mismatches);
	fprintf(out, "probe            %u VMPTRLD, %u VMCLEAR, %u VMREAD, %u VMWRITE",
	       h->vmptrld_count, h->vmclear_count, h->vmread_count,
	       h->vmwrite_count);
	if (h->probe_usecs)
		fprintf(out, ", %u us", h->probe_usecs);
	fprintf(out, "\nfields           %u\n\n", h->nfields);
	fprintf(out, "%-10s  %-36s %6s %4s  %s\n", "ENCODING", "NAME", "OFFSET",
	       "SIZE", "FLAGS / BIT MAP");
	for (i = 0; vmcsinfo_note_field(n, i, &f) == 0; i++) {
		fprintf(out, "0x%08x  %-36s", f.encoding, f.name ? f.name : "(unknown)");
		if (f.plain)
			fprintf(out, " 0x%04x %4u ", f.offset, f.size);
		else
			fprintf(out, " %6s %4s ", "-", "-");
		if (f.flags & VMCSINFO_FF_READONLY)
			fprintf(out, " ro");
		if (f.flags & VMCSINFO_FF_MISMATCH)
			fprintf(out, " METHODS-DISAGREE");
		if (f.flags & VMCSINFO_FF_HIGHDIFF)
			fprintf(out, " HIGH-DIFFERS");
		if (!f.plain)
			print_runs(out, &f);
		fprintf(out, "\n");
	}
}

void layout_print(const struct cli *c, const struct vmcsinfo_note *n)
{
	if (c->json)
		layout_json(c, n);
	else
		layout_print_text(c->out, n);
}

int cmd_layout(struct cli *c, int argc, char **argv)
{
	struct vmcsinfo_note *n;

	if (argc != 2) {
		cli_err(c, "usage: %s layout [--json] FILE|-", c->prog);
		return EXIT_USAGE;
	}
	n = cli_load_note(c, argv[1]);
	if (!n)
		return EXIT_FAIL;
	layout_print(c, n);
	vmcsinfo_note_free(n);
	return cli_flush(c) ? EXIT_FAIL : EXIT_OK;
}
