// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vmcsinfo-decode scan [--explain] [--fields] [--cpu SIG[:UCODE]]
 *                      [--format FMT] [--page-offset ADDR] [--no-progress]
 *                      DUMP
 *
 * Find the VMCSINFO notes and VMCS regions of a crash dump and decode
 * them (docs/vmcsinfo-decode.md, "scan").
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "scan.h"
#include "vmcs_print.h"

#define ENC_GUEST_CR3		0x00006802u
#define ENC_GUEST_RSP		0x0000681cu
#define ENC_GUEST_RIP		0x0000681eu
#define ENC_EXIT_REASON		0x00004402u

struct scan_cmd {
	struct scan_opts o;
	enum vmcsinfo_dump_format format;
	bool fields;
	const char *path;
};

static void usage(const struct cli *c)
{
	cli_err(c, "usage: %s scan [--json] [--explain] [--fields] [--cpu SIG[:UCODE]] [--format raw|elf|kcore|kdump] [--page-offset ADDR] [--no-progress] DUMP",
		c->prog);
}

static int parse(struct cli *c, int argc, char **argv, struct scan_cmd *s)
{
	static const struct option opts[] = {
		{ "explain", no_argument, NULL, 'e' },
		{ "fields", no_argument, NULL, 'F' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "page-offset", required_argument, NULL, 'P' },
		{ "no-progress", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	static const enum vmcsinfo_dump_format fmts[] = {
		VMCSINFO_DUMP_RAW, VMCSINFO_DUMP_ELF, VMCSINFO_DUMP_KCORE,
		VMCSINFO_DUMP_KDUMP,
	};
	int ch;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->o.progress = true;
	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, "eFc:f:P:n", opts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			s->o.explain = true;
			break;
		case 'F':
			s->fields = true;
			break;
		case 'c':
			if (cpu_filter_parse(optarg, &s->o.cpu)) {
				cli_err(c, "--cpu %s: expected SIGNATURE[:MICROCODE]", optarg);
				return -1;
			}
			break;
		case 'f':
			for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
				if (!strcmp(optarg, vmcsinfo_dump_format_name(fmts[i])))
					s->format = fmts[i];
			if (s->format == VMCSINFO_DUMP_AUTO) {
				cli_err(c, "--format %s: expected raw, elf, kcore or kdump", optarg);
				return -1;
			}
			break;
		case 'P':
			if (cli_parse_u64(optarg, &s->o.page_offset)) {
				cli_err(c, "--page-offset %s: not an address", optarg);
				return -1;
			}
			s->o.have_page_offset = true;
			break;
		case 'n':
			s->o.progress = false;
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
	s->path = argv[optind];
	s->o.path = s->path;
	return 0;
}

static const char *layout_name(const struct scan_result *r,
			       const struct scan_vmcs *v)
{
	return r->layouts.v[v->layout].name;
}

static void vmcs_json(struct json *j, struct scan_result *r,
		      const struct scan_vmcs *v, bool accepted)
{
	const struct vmcsinfo_note *note = r->layouts.v[v->layout].note;
	uint8_t page[4096];
	struct vmcs_header h;
	int i;

	json_obj_open(j, NULL);
	json_uint(j, "paddr", v->paddr);
	json_uint(j, "revision_id", v->revision_id);
	json_str(j, "layout", layout_name(r, v));
	json_str(j, "layout_reason", v->reason);
	json_bool(j, "nested", v->nested);
	if (accepted) {
		json_uint(j, "vm", (uint64_t)v->vm);
		json_uint(j, "vcpu", (uint64_t)v->vcpu);
	} else {
		json_arr_open(j, "failed");
		for (i = 0; i < VMCSINFO_NR_CHECKS; i++)
			if (v->report.result[i] == VMCSINFO_CHECK_FAIL)
				json_str(j, NULL, vmcsinfo_check_name(i));
		json_arr_close(j);
	}
	if (v->have_vpid)
		json_uint(j, "vpid", v->vpid);
	else
		json_null(j, "vpid");
	checks_json(j, &v->report);
	if (scan_read_region(r, v, page, sizeof(page)) == 0) {
		vmcs_read_header(note, page, &h);
		json_bool(j, "shadow", h.shadow);
		json_uint(j, "abort_indicator", h.abort_indicator);
		if (h.have_launch_state)
			json_uint(j, "launch_state", h.launch_state);
		else
			json_null(j, "launch_state");
		vmcs_print_json(j, note, page);
	}
	json_obj_close(j);
}

static void dump_json(struct json *j, const struct scan_cmd *s,
		      const struct scan_result *r)
{
	struct vmcsinfo_dump *d = r->dump;
	size_t i;

	json_obj_open(j, "dump");
	json_str(j, "path", s->path);
	json_str(j, "format", vmcsinfo_dump_format_name(vmcsinfo_dump_get_format(d)));
	json_str(j, "detail", vmcsinfo_dump_format_detail(d));
	json_uint(j, "present_bytes", vmcsinfo_dump_present_bytes(d));
	json_uint(j, "max_address", vmcsinfo_dump_max_addr(d));
	json_uint(j, "pages_scanned", r->pages_scanned);
	json_uint(j, "pages_lost", r->pages_lost);
	json_uint(j, "pages_missing", vmcsinfo_dump_missing_pages(d));
	json_bool(j, "incomplete", vmcsinfo_dump_incomplete(d) || r->pages_lost);
	json_uint(j, "passes", (uint64_t)r->passes);
	if (r->have_direct_map)
		json_uint(j, "direct_map", r->direct_map);
	else
		json_null(j, "direct_map");
	json_str(j, "direct_map_source", r->direct_map_source);
	json_arr_open(j, "warnings");
	for (i = 0; i < vmcsinfo_dump_nwarnings(d); i++)
		json_str(j, NULL, vmcsinfo_dump_warning(d, i));
	if (r->pages_lost)
		json_str(j, NULL, r->first_lost);
	json_arr_close(j);
	json_obj_close(j);
}

static void note_json(struct json *j, const struct scan_note *n)
{
	const struct vmcsinfo_note_header *h = vmcsinfo_note_get_header(n->note);

	json_obj_open(j, NULL);
	json_uint(j, "paddr", n->paddr);
	json_str(j, "where", n->where);
	json_uint(j, "revision_id", h->revision_id);
	json_str(j, "vendor", h->vendor);
	json_uint(j, "cpuid_signature", h->cpuid_signature);
	json_uint(j, "microcode", h->microcode);
	json_str(j, "source", layout_source_name(h->source));
	json_uint(j, "nfields", h->nfields);
	json_obj_close(j);
}

static void scan_json(const struct cli *c, const struct scan_cmd *s,
		      struct scan_result *r)
{
	struct json j;
	size_t i, k;
	int vm;

	json_init(&j, c->out, c->pretty);
	json_obj_open(&j, NULL);
	dump_json(&j, s, r);
	json_arr_open(&j, "notes");
	for (i = 0; i < r->nnotes; i++)
		note_json(&j, &r->notes[i]);
	json_arr_close(&j);
	json_arr_open(&j, "vmcs");
	for (i = 0; i < r->nvmcs; i++)
		vmcs_json(&j, r, &r->vmcs[i], true);
	json_arr_close(&j);
	json_arr_open(&j, "vms");
	for (vm = 0; vm < r->nvms; vm++) {
		int vcpus = 0;

		json_obj_open(&j, NULL);
		json_uint(&j, "vm", (uint64_t)vm);
		for (i = 0; i < r->nvmcs && r->vmcs[i].vm != vm; i++)
			;
		json_uint(&j, "host_rip", r->vmcs[i].host_rip);
		json_uint(&j, "eptp", r->vmcs[i].eptp);
		json_bool(&j, "nested", r->vmcs[i].nested);
		json_arr_open(&j, "vmcs");
		for (k = 0; k < r->nvmcs; k++) {
			if (r->vmcs[k].vm != vm)
				continue;
			json_uint(&j, NULL, r->vmcs[k].paddr);
			if (r->vmcs[k].vcpu >= vcpus)
				vcpus = r->vmcs[k].vcpu + 1;
		}
		json_arr_close(&j);
		json_uint(&j, "vcpus", (uint64_t)vcpus);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	if (s->o.explain) {
		json_arr_open(&j, "rejected");
		for (i = 0; i < r->nrejected; i++)
			vmcs_json(&j, r, &r->rejected[i], false);
		json_arr_close(&j);
		json_uint(&j, "rejected_not_listed", r->rejected_dropped);
		json_arr_open(&j, "rejected_notes");
		for (i = 0; i < r->nbad_notes; i++) {
			json_obj_open(&j, NULL);
			json_uint(&j, "paddr", r->bad_notes[i].paddr);
			json_str(&j, "reason", r->bad_notes[i].reason);
			json_obj_close(&j);
		}
		json_arr_close(&j);
	}
	json_obj_close(&j);
	json_end(&j);
}

static void summary_text(FILE *out, struct scan_result *r,
			 const struct scan_vmcs *v)
{
	const struct vmcsinfo_note *note = r->layouts.v[v->layout].note;
	uint64_t rip = 0, rsp = 0, cr3 = 0, exit = 0;
	uint8_t page[4096];
	struct vmcs_header h;
	char ls[32], dec[128];

	fprintf(out, "    0x%012" PRIx64 "  rev 0x%x%s", v->paddr, v->revision_id,
	       v->nested ? " (vmcs12)" : "");
	if (v->vm >= 0)
		fprintf(out, "  vCPU %d", v->vcpu);
	if (v->have_vpid)
		fprintf(out, "  VPID %" PRIu64, v->vpid);
	if (scan_read_region(r, v, page, sizeof(page)) == 0) {
		vmcs_read_header(note, page, &h);
		vmcs_field(note, page, ENC_GUEST_RIP, &rip);
		vmcs_field(note, page, ENC_GUEST_RSP, &rsp);
		vmcs_field(note, page, ENC_GUEST_CR3, &cr3);
		fprintf(out, "  %s%s", vmcs_launch_state_name(&h, ls, sizeof(ls)),
		       h.shadow ? " shadow" : "");
		fprintf(out, "  GUEST_RIP 0x%" PRIx64 "  GUEST_RSP 0x%" PRIx64
		       "  GUEST_CR3 0x%" PRIx64, rip, rsp, cr3);
		if (vmcs_field(note, page, ENC_EXIT_REASON, &exit))
			fprintf(out, "  exit %s",
			       vmcs_decode_text(ENC_EXIT_REASON, exit, dec, sizeof(dec)));
	}
	fprintf(out, "\n      layout %s: %s\n", layout_name(r, v), v->reason);
}

static void scan_text(FILE *out, const struct scan_cmd *s,
		      struct scan_result *r)
{
	struct vmcsinfo_dump *d = r->dump;
	uint8_t page[4096];
	size_t i, k;
	int vm;

	fprintf(out, "dump       %s: %s (%s), %.1f MiB present, highest address 0x%" PRIx64 "\n",
	       s->path, vmcsinfo_dump_format_name(vmcsinfo_dump_get_format(d)),
	       vmcsinfo_dump_format_detail(d),
	       vmcsinfo_dump_present_bytes(d) / 1048576.0,
	       vmcsinfo_dump_max_addr(d));
	fprintf(out, "pages      %" PRIu64 " scanned, %" PRIu64 " unreadable%s\n",
	       r->pages_scanned, r->pages_lost,
	       r->passes > 1 ? ", 2 passes (a note page brought a new revision)" : "");
	if (r->have_direct_map)
		fprintf(out, "direct map 0x%" PRIx64 " (from %s)\n", r->direct_map,
		       r->direct_map_source);
	fprintf(out, "notes      %zu VMCSINFO note%s\n", r->nnotes, r->nnotes == 1 ? "" : "s");
	for (i = 0; i < r->nnotes; i++) {
		const struct vmcsinfo_note_header *h =
			vmcsinfo_note_get_header(r->notes[i].note);

		fprintf(out, "    0x%012" PRIx64 "  rev 0x%x  %s signature 0x%08x microcode 0x%x  %u fields  (%s)\n",
		       r->notes[i].paddr, h->revision_id,
		       h->vendor[0] ? h->vendor : "?", h->cpuid_signature,
		       h->microcode, h->nfields, r->notes[i].where);
	}
	fprintf(out, "VMCS       %zu found in %d VM%s", r->nvmcs, r->nvms,
	       r->nvms == 1 ? "" : "s");
	if (s->o.explain)
		fprintf(out, ", %zu candidate%s rejected\n", r->nrejected,
		       r->nrejected == 1 ? "" : "s");
	else
		fprintf(out, " (--explain lists rejected candidates)\n");
	for (vm = 0; vm < r->nvms; vm++) {
		for (i = 0; r->vmcs[i].vm != vm; i++)
			;
		fprintf(out, "  VM %d%s  HOST_RIP 0x%" PRIx64 "  EPTP 0x%" PRIx64 "\n",
		       vm, r->vmcs[i].nested ? " (nested, KVM vmcs12)" : "",
		       r->vmcs[i].host_rip, r->vmcs[i].eptp);
		for (k = i; k < r->nvmcs; k++) {
			if (r->vmcs[k].vm != vm)
				continue;
			summary_text(out, r, &r->vmcs[k]);
			if (s->fields && scan_read_region(r, &r->vmcs[k], page, sizeof(page)) == 0)
				vmcs_print_text(out, r->layouts.v[r->vmcs[k].layout].note,
						page, "      ");
		}
	}
	if (!s->o.explain)
		return;
	fprintf(out, "rejected candidates\n");
	for (i = 0; i < r->nrejected; i++) {
		const struct scan_vmcs *v = &r->rejected[i];
		int c;

		fprintf(out, "    0x%012" PRIx64 "  rev 0x%x  layout %s:", v->paddr,
		       v->revision_id, layout_name(r, v));
		for (c = 0; c < VMCSINFO_NR_CHECKS; c++)
			if (v->report.result[c] == VMCSINFO_CHECK_FAIL)
				fprintf(out, " %s", vmcsinfo_check_name(c));
		fprintf(out, " failed\n");
		for (c = 0; c < VMCSINFO_NR_CHECKS; c++)
			if (v->report.result[c] == VMCSINFO_CHECK_FAIL)
				fprintf(out, "      %s: %s\n", vmcsinfo_check_name(c),
				       v->report.detail[c]);
	}
	if (r->rejected_dropped)
		fprintf(out, "    ... and %" PRIu64 " more\n", r->rejected_dropped);
	for (i = 0; i < r->nbad_notes; i++)
		fprintf(out, "    note candidate 0x%012" PRIx64 ": %s\n",
		       r->bad_notes[i].paddr, r->bad_notes[i].reason);
}

int cmd_scan(struct cli *c, int argc, char **argv)
{
	struct vmcsinfo_dump *d;
	struct scan_result r;
	struct scan_cmd s;
	char err[512];
	size_t i;
	bool lost;
	int rc;

	if (parse(c, argc, argv, &s))
		return EXIT_USAGE;
	if (vmcsinfo_dump_open(s.path, s.format, &d, err, sizeof(err))) {
		cli_err(c, "%s: %s", s.path, err);
		return EXIT_FAIL;
	}
	if (scan_run(c, d, &s.o, &r)) {
		scan_free(&r);
		vmcsinfo_dump_close(d);
		return EXIT_FAIL;
	}
	for (i = 0; i < vmcsinfo_dump_nwarnings(d); i++)
		cli_warn(c, "%s: %s", s.path, vmcsinfo_dump_warning(d, i));
	if (r.pages_lost)
		cli_warn(c, "%s: %" PRIu64 " pages could not be read (first: %s)",
			 s.path, r.pages_lost, r.first_lost);
	lost = r.pages_lost || vmcsinfo_dump_incomplete(d);
	if (c->json)
		scan_json(c, &s, &r);
	else
		scan_text(c->out, &s, &r);
	rc = cli_flush(c) ? EXIT_FAIL : lost ? EXIT_PARTIAL : EXIT_OK;
	scan_free(&r);
	vmcsinfo_dump_close(d);
	return rc;
}
