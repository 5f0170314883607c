// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vmcsinfo-decode page [--layout NOTE|NAME] [--offset N] [--cpu SIG]
 *                      [--force] PAGEFILE|-
 *
 * Decode one raw VMCS region (docs/vmcsinfo-decode.md, "page").  The
 * layout is a note file or a database entry; without --layout the
 * database entry for the region's revision is chosen.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "layouts.h"
#include "vmcs_print.h"

struct page_opts {
	const char *layout;
	uint64_t offset;
	bool have_offset;
	bool force;
	struct cpu_filter cpu;
};

static void usage(const struct cli *c)
{
	cli_err(c, "usage: %s page [--json] [--layout NOTE|NAME] [--offset N] [--cpu SIG[:UCODE]] [--force] PAGEFILE|-",
		c->prog);
}

static int parse(struct cli *c, int argc, char **argv, struct page_opts *o,
		 const char **file)
{
	static const struct option opts[] = {
		{ "layout", required_argument, NULL, 'l' },
		{ "offset", required_argument, NULL, 'o' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, "l:o:c:f", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			o->layout = optarg;
			break;
		case 'o':
			if (cli_parse_u64(optarg, &o->offset)) {
				cli_err(c, "--offset %s: not a number", optarg);
				return -1;
			}
			o->have_offset = true;
			break;
		case 'c':
			if (cpu_filter_parse(optarg, &o->cpu)) {
				cli_err(c, "--cpu %s: expected SIGNATURE[:MICROCODE]", optarg);
				return -1;
			}
			break;
		case 'f':
			o->force = true;
			break;
		default:
			usage(c);
			return -1;
		}
	}
	if (optind != argc - 1) {
		usage(c);
		return -1;
	}
	*file = argv[optind];
	return 0;
}

static void print_checks_text(FILE *out, const struct vmcsinfo_check_report *r)
{
	int i;

	fprintf(out, "checks           ");
	for (i = 0; i < VMCSINFO_NR_CHECKS; i++)
		fprintf(out, "%s%s %s", i ? ", " : "", vmcsinfo_check_name(i),
		       r->result[i] == VMCSINFO_CHECK_PASS ? "ok" :
		       r->result[i] == VMCSINFO_CHECK_FAIL ? "FAILED" : "skipped");
	fprintf(out, "\n");
	for (i = 0; i < VMCSINFO_NR_CHECKS; i++)
		if (r->result[i] == VMCSINFO_CHECK_FAIL)
			fprintf(out, "  %s: %s\n", vmcsinfo_check_name(i), r->detail[i]);
}

static void print_page(const struct cli *c, const char *file, uint64_t offset,
		       const struct layout_choice *ch, const uint8_t *region)
{
	FILE *out = c->out;
	const struct vmcsinfo_note_header *nh =
		vmcsinfo_note_get_header(ch->cand->note);
	struct vmcs_header h;
	char ls[32];

	vmcs_read_header(ch->cand->note, region, &h);
	if (c->json) {
		struct json j;

		json_init(&j, c->out, c->pretty);
		json_obj_open(&j, NULL);
		json_str(&j, "file", cli_name(file));
		json_uint(&j, "offset", offset);
		json_obj_open(&j, "layout");
		json_str(&j, "name", ch->cand->name);
		json_str(&j, "reason", ch->reason);
		json_uint(&j, "revision_id", nh->revision_id);
		json_uint(&j, "cpuid_signature", nh->cpuid_signature);
		json_uint(&j, "microcode", nh->microcode);
		json_uint(&j, "nfields", nh->nfields);
		json_obj_close(&j);
		json_uint(&j, "revision_id", h.revision_id);
		json_bool(&j, "shadow", h.shadow);
		json_uint(&j, "abort_indicator", h.abort_indicator);
		if (h.have_launch_state)
			json_uint(&j, "launch_state", h.launch_state);
		else
			json_null(&j, "launch_state");
		json_bool(&j, "is_vmcs", ch->report.is_vmcs);
		checks_json(&j, &ch->report);
		vmcs_print_json(&j, ch->cand->note, region);
		json_obj_close(&j);
		json_end(&j);
		return;
	}
	fprintf(out, "VMCS region      %s, offset 0x%" PRIx64 "\n", cli_name(file), offset);
	fprintf(out, "layout           %s: revision 0x%x, signature 0x%08x, microcode 0x%x, %u fields\n",
	       ch->cand->name, nh->revision_id, nh->cpuid_signature,
	       nh->microcode, nh->nfields);
	fprintf(out, "revision id      0x%x%s\n", h.revision_id,
	       h.shadow ? " (shadow VMCS)" : "");
	fprintf(out, "abort indicator  %u\n", h.abort_indicator);
	fprintf(out, "launch state     %s\n", vmcs_launch_state_name(&h, ls, sizeof(ls)));
	print_checks_text(c->out, &ch->report);
	fprintf(out, "\n");
	vmcs_print_text(c->out, ch->cand->note, region, "");
}

int cmd_page(struct cli *c, int argc, char **argv)
{
	struct vmcsinfo_note *own = NULL;
	struct layout_set set = { 0 };
	struct layout_choice ch;
	struct page_opts o;
	struct db db = { 0 };
	const char *file;
	uint8_t *buf = NULL;
	size_t len;
	uint32_t rev;
	int rc = EXIT_FAIL;

	if (parse(c, argc, argv, &o, &file))
		return EXIT_USAGE;
	if (cli_read_file(c, file, 1u << 26, &buf, &len))
		return EXIT_FAIL;
	if (o.offset > len || len - o.offset < 8) {
		cli_err(c, "%s: %zu bytes, no VMCS region at offset 0x%" PRIx64,
			cli_name(file), len, o.offset);
		goto out;
	}
	rev = (buf[o.offset] | buf[o.offset + 1] << 8 | buf[o.offset + 2] << 16 |
	       (uint32_t)buf[o.offset + 3] << 24) & 0x7fffffffu;
	if (db_load(c, &db, true))
		goto nomem;
	if (o.layout) {
		const struct db_entry *e = NULL;

		/* A file if there is one by that name, else a database entry. */
		if (!strcmp(o.layout, "-") || access(o.layout, F_OK) == 0) {
			own = cli_load_note(c, o.layout);
			if (!own)
				goto out;
		} else if (!(e = db_find(&db, o.layout))) {
			cli_err(c, "%s: no such file or layout database entry (see `%s db list`)",
				o.layout, c->prog);
			goto out;
		}
		if (layouts_add(&set, own ? own : e->note,
				own ? cli_name(o.layout) : e->name, false))
			goto nomem;
	} else if (layouts_add_db(&set, &db)) {
		goto nomem;
	}
	{
		const struct vmcsinfo_note_header *nh =
			vmcsinfo_note_get_header(set.v[0].note);

		if (o.layout && nh->revision_id != rev) {
			if (!o.force) {
				cli_err(c, "%s: region revision 0x%x differs from the layout's 0x%x (--force decodes it anyway)",
					cli_name(file), rev, nh->revision_id);
				goto out;
			}
			cli_warn(c, "%s: region revision 0x%x differs from the layout's 0x%x; decoding anyway",
				 cli_name(file), rev, nh->revision_id);
		}
		if (o.layout && len - o.offset < nh->region_size) {
			cli_err(c, "%s: %" PRIu64 " bytes from offset 0x%" PRIx64 ", shorter than the layout's %u-byte region",
				cli_name(file), (uint64_t)(len - o.offset), o.offset,
				nh->region_size);
			goto out;
		}
	}
	if (o.layout && o.force) {
		/* Judge it with the layout given, whatever its revision. */
		ch.cand = &set.v[0];
		vmcsinfo_vmcs_check(ch.cand->note, buf + o.offset, len - o.offset,
				    0, NULL, &ch.report);
		snprintf(ch.reason, sizeof(ch.reason), "given with --layout");
	} else if (layouts_choose(&set, buf + o.offset, len - o.offset, 0, NULL,
				  &o.cpu, &ch)) {
		if (!o.layout && !layouts_knows(&set, rev))
			cli_err(c, "%s: revision 0x%x is in no layout database entry; give --layout NOTE",
				cli_name(file), rev);
		else
			cli_err(c, "%s: %" PRIu64 " bytes from offset 0x%" PRIx64 ", shorter than the layout's region",
				cli_name(file), (uint64_t)(len - o.offset), o.offset);
		goto out;
	} else if (o.layout) {
		snprintf(ch.reason, sizeof(ch.reason), "given with --layout");
	}
	if (!c->json && !o.layout)
		fprintf(stderr, "%s: %s: using layout %s: %s\n", c->prog,
			cli_name(file), ch.cand->name, ch.reason);
	{
		uint32_t rsize = vmcsinfo_note_get_header(ch.cand->note)->region_size;

		if (!o.have_offset && len > rsize)
			cli_warn(c, "%s: %zu bytes; decoding the region at offset 0 (--offset picks another)",
				 cli_name(file), len);
	}
	print_page(c, file, o.offset, &ch, buf + o.offset);
	rc = cli_flush(c) ? EXIT_FAIL : EXIT_OK;
	goto out;
nomem:
	cli_err(c, "out of memory");
out:
	layouts_free(&set);
	vmcsinfo_note_free(own);
	db_free(&db);
	free(buf);
	return rc;
}
