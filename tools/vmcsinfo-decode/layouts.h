/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The layouts a decode may use (notes found in the dump, then database
 * entries) and the choice among them for one region, with the reason.
 */
#ifndef VMCSINFO_DECODE_LAYOUTS_H
#define VMCSINFO_DECODE_LAYOUTS_H

#include "db.h"

struct layout_cand {
	const struct vmcsinfo_note *note;
	char name[160];
	bool from_dump;
};

struct layout_set {
	struct layout_cand *v;
	size_t n;
};

/* --cpu SIGNATURE[:MICROCODE] */
struct cpu_filter {
	bool set, have_microcode;
	uint32_t signature, microcode;
};

struct layout_choice {
	const struct layout_cand *cand;
	struct vmcsinfo_check_report report;
	char reason[512];
};

/* The note stays owned by the caller. 0 or -1 (out of memory). */
int layouts_add(struct layout_set *s, const struct vmcsinfo_note *note,
		const char *name, bool from_dump);
int layouts_add_db(struct layout_set *s, const struct db *db);
void layouts_free(struct layout_set *s);

/* Whether some layout has this revision (bits 30:0). */
bool layouts_knows(const struct layout_set *s, uint32_t revision);

/* Parse "SIG[:UCODE]"; 0 or -1. */
int cpu_filter_parse(const char *arg, struct cpu_filter *f);

/*
 * Choose the layout for the region at paddr (len bytes; its revision is
 * read from it) and judge the region with it.  0, or -1 when no layout
 * has its revision.
 */
int layouts_choose(const struct layout_set *s, const uint8_t *region,
		   size_t len, uint64_t paddr,
		   const struct vmcsinfo_check_env *env,
		   const struct cpu_filter *cpu, struct layout_choice *out);

#endif
