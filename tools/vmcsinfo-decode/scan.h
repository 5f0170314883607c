/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The scan of a dump for VMCSINFO notes and VMCS regions (scan.c); the
 * output is cmd_scan.c's.
 */
#ifndef VMCSINFO_DECODE_SCAN_H
#define VMCSINFO_DECODE_SCAN_H

#include "layouts.h"

struct scan_opts {
	const char *path;	/* the dump, for messages */
	bool explain;		/* keep rejected candidates */
	bool progress;		/* a progress line is allowed */
	struct cpu_filter cpu;
	bool have_page_offset;	/* --page-offset */
	uint64_t page_offset;
};

struct scan_note {
	struct vmcsinfo_note *note;
	uint64_t paddr;		/* where it was found, or its note_paddr */
	const char *where;	/* "PT_NOTE", "kdump header", "page" */
};

struct scan_reject_note {
	uint64_t paddr;
	char reason[160];
};

struct scan_vmcs {
	uint64_t paddr;
	uint32_t revision_id;
	size_t layout;		/* index into scan_result.layouts */
	char *reason;		/* why that layout */
	struct vmcsinfo_check_report report;
	bool nested;		/* KVM vmcs12 */
	uint64_t host_rip, eptp, vpid;
	bool have_vpid;
	int vm, vcpu;
};

struct scan_result {
	struct vmcsinfo_dump *dump;
	const char *path;
	struct db db;
	struct layout_set layouts;
	struct scan_note *notes;
	size_t nnotes;
	struct scan_reject_note *bad_notes;
	size_t nbad_notes;
	struct scan_vmcs *vmcs, *rejected;
	size_t nvmcs, nrejected;
	uint64_t rejected_dropped;	/* beyond the cap on kept rejects */
	int nvms;
	uint64_t pages_scanned, pages_lost;
	char first_lost[200];		/* the first read error */
	int passes;
	bool have_direct_map;
	uint64_t direct_map;
	const char *direct_map_source;
};

/* Run the scan; 0, or -1 after printing an error. */
int scan_run(const struct cli *c, struct vmcsinfo_dump *d,
	     const struct scan_opts *o, struct scan_result *r);
void scan_free(struct scan_result *r);

/* Read the region of v (a page) into buf; 0 or -1. */
int scan_read_region(struct scan_result *r, const struct scan_vmcs *v,
		     uint8_t *buf, size_t len);

#endif
