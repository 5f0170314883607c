// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Choosing a layout for a region.  A note found in the dump describes
 * the processor that wrote it, so it wins.  Otherwise the database
 * entries with the region's revision are candidates; --cpu narrows them
 * by CPU identity.  When several remain (Bochs' CPU models share revision
 * 0x2b) each judges the region and the one under which it looks most like
 * a VMCS wins, then the one with the most fields, then database order,
 * and the reason says which rule decided.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layouts.h"

#define MAX_CANDS	64

int layouts_add(struct layout_set *s, const struct vmcsinfo_note *note,
		const char *name, bool from_dump)
{
	struct layout_cand *v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	s->v = v;
	v += s->n++;
	v->note = note;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->from_dump = from_dump;
	return 0;
}

int layouts_add_db(struct layout_set *s, const struct db *db)
{
	size_t i;

	for (i = 0; i < db->n; i++)
		if (layouts_add(s, db->e[i].note, db->e[i].name, false))
			return -1;
	return 0;
}

void layouts_free(struct layout_set *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static uint32_t rev_of(const struct layout_cand *c)
{
	return vmcsinfo_note_get_header(c->note)->revision_id;
}

bool layouts_knows(const struct layout_set *s, uint32_t revision)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (rev_of(&s->v[i]) == revision)
			return true;
	return false;
}

int cpu_filter_parse(const char *arg, struct cpu_filter *f)
{
	char buf[64], *colon;
	uint64_t v;

	memset(f, 0, sizeof(*f));
	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		return -1;
	colon = strchr(buf, ':');
	if (colon) {
		*colon = 0;
		if (cli_parse_u64(colon + 1, &v) || v > UINT32_MAX)
			return -1;
		f->have_microcode = true;
		f->microcode = (uint32_t)v;
	}
	if (cli_parse_u64(buf, &v) || v > UINT32_MAX)
		return -1;
	f->signature = (uint32_t)v;
	f->set = true;
	return 0;
}

/* Signature 0 marks a layout that does not depend on the CPU (vmcs12). */
static bool cpu_matches(const struct layout_cand *c, const struct cpu_filter *f)
{
	const struct vmcsinfo_note_header *h = vmcsinfo_note_get_header(c->note);

	if (!h->cpuid_signature)
		return true;
	return h->cpuid_signature == f->signature &&
	       (!f->have_microcode || h->microcode == f->microcode);
}

/* Positive when a judges the region as more VMCS-like than b. */
static int better(const struct vmcsinfo_check_report *a,
		  const struct vmcsinfo_check_report *b)
{
	if (a->is_vmcs != b->is_vmcs)
		return a->is_vmcs ? 1 : -1;
	if (a->failed != b->failed)
		return a->failed < b->failed ? 1 : -1;
	if (a->passed != b->passed)
		return a->passed > b->passed ? 1 : -1;
	return 0;
}

static void list_names(char *buf, size_t len, const struct layout_cand **c,
		       size_t n)
{
	size_t i, pos = 0;

	buf[0] = 0;
	for (i = 0; i < n && pos < len; i++) {
		int k = snprintf(buf + pos, len - pos, "%s%s", i ? ", " : "",
				 c[i]->name);

		if (k < 0)
			break;
		pos += (size_t)k;
	}
}

int layouts_choose(const struct layout_set *s, const uint8_t *region,
		   size_t len, uint64_t paddr,
		   const struct vmcsinfo_check_env *env,
		   const struct cpu_filter *cpu, struct layout_choice *out)
{
	const struct layout_cand *cand[MAX_CANDS];
	struct vmcsinfo_check_report rep[MAX_CANDS];
	uint32_t rev;
	size_t n = 0, i, best = 0, kept;
	bool dump = false, cpu_miss = false;
	char names[320];
	const char *why;

	if (len < 4)
		return -1;
	rev = (region[0] | region[1] << 8 | region[2] << 16 |
	       (uint32_t)region[3] << 24) & 0x7fffffffu;
	for (i = 0; i < s->n && n < MAX_CANDS; i++) {
		const struct vmcsinfo_note_header *h =
			vmcsinfo_note_get_header(s->v[i].note);

		if (h->revision_id != rev || h->region_size > len)
			continue;
		dump |= s->v[i].from_dump;
		cand[n++] = &s->v[i];
	}
	if (!n)
		return -1;
	/* The dump's own notes first; then the CPU identity, if given. */
	kept = 0;
	for (i = 0; i < n; i++)
		if (!dump || cand[i]->from_dump)
			cand[kept++] = cand[i];
	n = kept;
	if (!dump && cpu && cpu->set) {
		kept = 0;
		for (i = 0; i < n; i++)
			if (cpu_matches(cand[i], cpu))
				cand[kept++] = cand[i];
		if (kept)
			n = kept;
		else
			cpu_miss = true;
	}
	for (i = 0; i < n; i++) {
		vmcsinfo_vmcs_check(cand[i]->note, region, len, paddr, env, &rep[i]);
		if (i && better(&rep[i], &rep[best]) > 0)
			best = i;
	}
	if (n == 1) {
		out->cand = cand[0];
		out->report = rep[0];
		if (dump)
			snprintf(out->reason, sizeof(out->reason),
				 "the VMCSINFO note in the dump");
		else
			snprintf(out->reason, sizeof(out->reason),
				 "the only layout with revision 0x%x%s", rev,
				 cpu_miss ? "; none matches --cpu" : "");
		return 0;
	}
	/* Why best won: a better verdict, or a tie broken by size, order. */
	why = NULL;
	for (i = 0; i < n; i++) {
		if (i == best || better(&rep[best], &rep[i]) <= 0)
			continue;
		if (rep[best].is_vmcs != rep[i].is_vmcs) {
			why = "the region passes its checks and fails others'";
			break;
		}
		why = "the region passes the most of its checks";
	}
	if (!why) {
		uint32_t f, most = 0, ties = 0;

		/* All alike: the largest field set decodes the most. */
		for (i = 0; i < n; i++) {
			f = vmcsinfo_note_get_header(cand[i]->note)->nfields;
			if (f > most) {
				most = f;
				best = i;
				ties = 0;
			}
			ties += f == most;
		}
		why = ties > 1 ? "all judge the region alike; first of those with the most fields"
			       : "all judge the region alike; it has the most fields";
	}
	out->cand = cand[best];
	out->report = rep[best];
	list_names(names, sizeof(names), cand, n);
	snprintf(out->reason, sizeof(out->reason),
		 "%zu layouts with revision 0x%x (%s)%s; %s", n, rev, names,
		 dump ? " are notes in the dump" :
		 cpu_miss ? ", none for the --cpu given" :
		 cpu && cpu->set ? " match --cpu" :
		 ", CPU unknown (--cpu SIG picks one)", why);
	return 0;
}
