// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Scanning a dump for VMCSINFO notes and VMCS regions.
 *
 * Pass 1 reads the first 32 bytes of every present page (the dump reader
 * turns that into large sequential reads) and keeps, in a flat list, the
 * pages whose first dword is a revision some known layout has; when the
 * dump carries no VMCSINFO note in its headers it also looks for note
 * pages there.  A note page is trusted only when it parses (checksum
 * included) and the physical address stored in it is that page's own: the
 * module's page-cache copies and string constants fail that.  If such a
 * note brings a revision no layout had, pass 2 collects that revision's
 * pages.  Then each candidate page is read whole, a layout is chosen for
 * it and it is judged (vmcs_check.c); VMCS regions are grouped into VMs by
 * (HOST_RIP, EPTP) and into vCPUs by VPID.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "scan.h"
#include "vmcs_print.h"
#include "vmcsinfo/note.h"

#define PAGE		4096u
#define HEAD		32u
#define MAX_REJECTED	4096u
#define MAX_REVS	64u
/*
 * Unreadable pages in a row after which the rest of a range is counted
 * as lost without trying it (256 MiB): a truncated file's missing tail
 * fails page after page, and an ELF header may promise exabytes there.
 */
#define MAX_FAILED_RUN	(1u << 16)

#define ENC_VPID		0x00000000u
#define ENC_EPT_POINTER		0x0000201au
#define ENC_CPU_BASED		0x00004002u
#define ENC_SECONDARY		0x0000401eu
#define ENC_HOST_RIP		0x00006c16u

struct cand {
	uint64_t paddr;
	uint32_t rev;
};

struct cands {
	struct cand *v;
	size_t n, cap;
};

struct revs {
	uint32_t v[MAX_REVS];
	size_t n;
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool revs_has(const struct revs *s, uint32_t rev)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == rev)
			return true;
	return false;
}

static void revs_add(struct revs *s, uint32_t rev)
{
	if (!revs_has(s, rev) && s->n < MAX_REVS)
		s->v[s->n++] = rev;
}

static int cands_add(struct cands *c, uint64_t paddr, uint32_t rev)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct cand *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].paddr = paddr;
	c->v[c->n++].rev = rev;
	return 0;
}

static int add_note(struct scan_result *r, struct vmcsinfo_note *note,
		    uint64_t paddr, const char *where)
{
	struct scan_note *n = realloc(r->notes, (r->nnotes + 1) * sizeof(*n));

	if (!n)
		return -1;
	r->notes = n;
	n += r->nnotes++;
	n->note = note;
	n->paddr = paddr;
	n->where = where;
	return 0;
}

__attribute__((format(printf, 3, 4)))
static void reject_note(struct scan_result *r, uint64_t paddr,
			const char *fmt, ...)
{
	struct scan_reject_note *b;
	va_list ap;

	if (r->nbad_notes >= MAX_REJECTED)
		return;
	b = realloc(r->bad_notes, (r->nbad_notes + 1) * sizeof(*b));
	if (!b)
		return;
	r->bad_notes = b;
	b += r->nbad_notes++;
	b->paddr = paddr;
	va_start(ap, fmt);
	vsnprintf(b->reason, sizeof(b->reason), fmt, ap);
	va_end(ap);
}

/* VMCSINFO notes of the dump's headers (PT_NOTE, kdump note area). */
static int header_notes(const struct cli *c, struct scan_result *r)
{
	struct vmcsinfo_dump_note dn;
	size_t i;

	for (i = 0; vmcsinfo_dump_note(r->dump, i, &dn) == 0; i++) {
		struct vmcsinfo_note *note;
		char err[256];

		if (strcmp(dn.name, VMCSINFO_NOTE_NAME) || dn.type != VMCSINFO_NOTE_TYPE)
			continue;
		if (vmcsinfo_note_parse(dn.raw, dn.raw_size, &note, err, sizeof(err))) {
			cli_warn(c, "%s: VMCSINFO note in the %s ignored: %s",
				 r->path, dn.where, err);
			reject_note(r, 0, "%s: %s", dn.where, err);
			continue;
		}
		if (add_note(r, note, vmcsinfo_note_get_header(note)->note_paddr,
			     dn.where)) {
			vmcsinfo_note_free(note);
			return -1;
		}
	}
	return 0;
}

static bool looks_like_note(const uint8_t *h)
{
	return le32(h) == VMCSINFO_NOTE_NAMESZ &&
	       le32(h + 8) == VMCSINFO_NOTE_TYPE &&
	       !memcmp(h + 12, VMCSINFO_NOTE_NAME, VMCSINFO_NOTE_NAMESZ);
}

/* A note header at the start of the page at paddr: trust it or not. */
static int page_note(struct scan_result *r, uint64_t paddr, const uint8_t *head)
{
	uint32_t descsz = le32(head + 4);
	struct vmcsinfo_note *note;
	char err[256];
	uint8_t *buf;
	size_t len;
	int s;

	if (descsz > VMCSINFO_NOTE_MAX_DESC) {
		reject_note(r, paddr, "desc size %u is too large", descsz);
		return 0;
	}
	len = VMCSINFO_NOTE_DESC_OFF + (size_t)descsz;
	buf = malloc(len);
	if (!buf)
		return -1;
	s = vmcsinfo_dump_read(r->dump, paddr, buf, len, err, sizeof(err));
	if (s != VMCSINFO_DUMP_OK) {
		reject_note(r, paddr, "its %zu bytes are not all in the dump", len);
	} else if (vmcsinfo_note_parse(buf, len, &note, err, sizeof(err))) {
		reject_note(r, paddr, "%s", err);
	} else {
		uint64_t at = vmcsinfo_note_get_header(note)->note_paddr;

		if (at && at != paddr) {
			reject_note(r, paddr, "it says it lives at 0x%" PRIx64 ": a copy", at);
			vmcsinfo_note_free(note);
		} else if (add_note(r, note, paddr, "page")) {
			vmcsinfo_note_free(note);
			free(buf);
			return -1;
		}
	}
	free(buf);
	return 0;
}

struct pass {
	const struct revs *revs;
	bool notes;		/* look for note pages */
	bool count;		/* count pages and lost pages */
	struct progress *pg;
};

static int scan_pass(const struct cli *c, struct scan_result *r,
		     const struct pass *ps, struct cands *cands)
{
	struct vmcsinfo_dump_range rg = { 0, 0 };
	uint64_t addr = 0, done = 0, failed_run = 0;
	char err[200];
	int rc;

	while ((rc = vmcsinfo_dump_next_range(r->dump, addr, &rg, err,
					      sizeof(err))) == 0) {
		uint64_t p = (rg.start + PAGE - 1) & ~(uint64_t)(PAGE - 1);

		if (p < addr)
			p = addr;
		for (; p < rg.end && rg.end - p >= PAGE; p += PAGE) {
			uint8_t head[HEAD];
			uint32_t rev;
			int s = vmcsinfo_dump_read(r->dump, p, head, HEAD, err,
						   sizeof(err));

			progress_update(ps->pg, done + (p - rg.start));
			if (ps->count)
				r->pages_scanned++;
			if (s == VMCSINFO_DUMP_NODATA)
				continue;
			if (s != VMCSINFO_DUMP_OK) {
				if (ps->count && !r->pages_lost++)
					snprintf(r->first_lost, sizeof(r->first_lost),
						 "%s", err);
				if (++failed_run >= MAX_FAILED_RUN) {
					uint64_t rest = (rg.end - p) / PAGE - 1;

					if (ps->count) {
						r->pages_scanned += rest;
						r->pages_lost += rest;
					}
					failed_run = 0;
					break;
				}
				continue;
			}
			failed_run = 0;
			if (ps->notes && looks_like_note(head) &&
			    page_note(r, p, head))
				return -1;
			rev = le32(head) & 0x7fffffffu;
			if (rev && revs_has(ps->revs, rev) && cands_add(cands, p, rev))
				return -1;
		}
		done += rg.end - rg.start;
		addr = rg.end;
	}
	if (rc < 0) {
		cli_err(c, "%s: %s", r->path, err);
		return -1;
	}
	return 0;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static bool field(const struct scan_result *r, const struct scan_vmcs *v,
		  const uint8_t *page, uint32_t enc, uint64_t *val)
{
	return vmcs_field(r->layouts.v[v->layout].note, page, enc, val);
}

static int keep(struct scan_vmcs **list, size_t *n, const struct scan_vmcs *v)
{
	struct scan_vmcs *l = realloc(*list, (*n + 1) * sizeof(*l));

	if (!l)
		return -1;
	*list = l;
	l[(*n)++] = *v;
	return 0;
}

/* Read each candidate whole, choose its layout, judge it. */
static int judge(struct scan_result *r, const struct scan_opts *o,
		 const struct cands *cands)
{
	struct vmcsinfo_check_env env = {
		.dump = r->dump,
		.max_paddr = vmcsinfo_dump_max_addr(r->dump),
		.have_direct_map = r->have_direct_map,
		.direct_map = r->direct_map,
	};
	uint8_t page[PAGE];
	size_t i;

	for (i = 0; i < cands->n; i++) {
		struct layout_choice ch;
		struct scan_vmcs v = { 0 };
		uint64_t prim = 0, sec = 0;
		char err[200];

		if (vmcsinfo_dump_read(r->dump, cands->v[i].paddr, page, PAGE,
				       err, sizeof(err)) != VMCSINFO_DUMP_OK) {
			if (!r->pages_lost++)
				snprintf(r->first_lost, sizeof(r->first_lost), "%s", err);
			continue;
		}
		if (layouts_choose(&r->layouts, page, PAGE, cands->v[i].paddr,
				   &env, &o->cpu, &ch))
			continue;
		v.paddr = cands->v[i].paddr;
		v.revision_id = cands->v[i].rev;
		v.layout = (size_t)(ch.cand - r->layouts.v);
		v.report = ch.report;
		v.nested = v.revision_id == VMCSINFO_VMCS12_REVISION;
		v.vm = v.vcpu = -1;
		field(r, &v, page, ENC_HOST_RIP, &v.host_rip);
		field(r, &v, page, ENC_CPU_BASED, &prim);
		if (prim >> 31 & 1)
			field(r, &v, page, ENC_SECONDARY, &sec);
		if (sec >> 1 & 1)
			field(r, &v, page, ENC_EPT_POINTER, &v.eptp);
		if (sec >> 5 & 1)
			v.have_vpid = field(r, &v, page, ENC_VPID, &v.vpid);
		if (!ch.report.is_vmcs && !o->explain)
			continue;
		if (!ch.report.is_vmcs && r->nrejected >= MAX_REJECTED) {
			r->rejected_dropped++;
			continue;
		}
		v.reason = strdup(ch.reason);
		if (!v.reason ||
		    (ch.report.is_vmcs ? keep(&r->vmcs, &r->nvmcs, &v)
				       : keep(&r->rejected, &r->nrejected, &v))) {
			free(v.reason);
			return -1;
		}
	}
	return 0;
}

/*
 * The direct-map base most HOST_CR3s of otherwise sound candidates have:
 * it is the host kernel's, so a VMCS whose HOST_CR3 does not map it
 * there is then caught.  Used when the dump does not say (raw images),
 * and to overrule ELF program headers that disagree (they are only what
 * the dump writer believed).
 */
#define MAX_VOTES	64

static int direct_map_from_candidates(struct scan_result *r,
				      const struct scan_opts *o,
				      const struct cands *cands, uint64_t *out)
{
	struct vmcsinfo_check_env env = {
		.max_paddr = vmcsinfo_dump_max_addr(r->dump),
	};
	uint64_t base[MAX_VOTES];
	unsigned int votes[MAX_VOTES] = { 0 };
	size_t i, j, n = 0, best = 0;
	uint8_t page[PAGE];

	for (i = 0; i < cands->n && n < MAX_VOTES; i++) {
		struct layout_choice ch;
		uint64_t cr3, cr4 = 0, b;
		char err[8];

		if (vmcsinfo_dump_read(r->dump, cands->v[i].paddr, page, PAGE,
				       err, sizeof(err)) != VMCSINFO_DUMP_OK ||
		    layouts_choose(&r->layouts, page, PAGE, cands->v[i].paddr,
				   &env, &o->cpu, &ch) ||
		    !ch.report.is_vmcs || cands->v[i].rev == VMCSINFO_VMCS12_REVISION ||
		    !vmcs_field(ch.cand->note, page, 0x6c02, &cr3))
			continue;
		vmcs_field(ch.cand->note, page, 0x6c04, &cr4);
		if (vmcsinfo_find_direct_map(r->dump, cr3, cr4 >> 12 & 1, &b))
			continue;
		for (j = 0; j < n && base[j] != b; j++)
			;
		if (j == n)
			base[n++] = b;
		votes[j]++;
	}
	for (j = 0; j < n; j++)
		if (votes[j] > votes[best])
			best = j;
	if (!n)
		return -1;
	*out = base[best];
	return 0;
}

/* VMs by (HOST_RIP, EPTP) in order of appearance; vCPUs by VPID. */
static void group(struct scan_result *r)
{
	size_t i, j;

	for (i = 0; i < r->nvmcs; i++) {
		struct scan_vmcs *v = &r->vmcs[i];
		int vcpus = 0;

		for (j = 0; j < i; j++)
			if (r->vmcs[j].host_rip == v->host_rip &&
			    r->vmcs[j].eptp == v->eptp &&
			    r->vmcs[j].nested == v->nested)
				break;
		v->vm = j < i ? r->vmcs[j].vm : r->nvms++;
		for (j = 0; j < i; j++) {
			if (r->vmcs[j].vm != v->vm)
				continue;
			if (v->have_vpid && r->vmcs[j].have_vpid &&
			    r->vmcs[j].vpid == v->vpid) {
				v->vcpu = r->vmcs[j].vcpu;
				break;
			}
			if (r->vmcs[j].vcpu >= vcpus)
				vcpus = r->vmcs[j].vcpu + 1;
		}
		if (v->vcpu < 0)
			v->vcpu = vcpus;
	}
}

int scan_run(const struct cli *c, struct vmcsinfo_dump *d,
	     const struct scan_opts *o, struct scan_result *r)
{
	struct cands cands = { 0 };
	struct revs known = { .n = 0 }, added = { .n = 0 };
	bool from_elf = false;	/* direct map from ELF headers only */
	uint64_t base;
	struct progress pg;
	struct pass ps;
	size_t i, header;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	memset(&pg, 0, sizeof(pg));
	r->dump = d;
	r->path = o->path ? o->path : "dump";
	if (db_load(c, &r->db, true) || header_notes(c, r))
		goto nomem;
	header = r->nnotes;
	for (i = 0; i < r->nnotes; i++) {
		char name[64];

		snprintf(name, sizeof(name), "note in the %s", r->notes[i].where);
		if (layouts_add(&r->layouts, r->notes[i].note, name, true))
			goto nomem;
	}
	if (layouts_add_db(&r->layouts, &r->db))
		goto nomem;
	for (i = 0; i < r->layouts.n; i++)
		revs_add(&known, vmcsinfo_note_get_header(r->layouts.v[i].note)->revision_id);

	if (o->have_page_offset) {
		r->have_direct_map = true;
		r->direct_map = o->page_offset;
		r->direct_map_source = "--page-offset";
	} else if (vmcsinfo_dump_direct_map(d, &r->direct_map,
					    &r->direct_map_source) == 0) {
		r->have_direct_map = true;
		from_elf = strstr(r->direct_map_source, "ELF") != NULL;
	}

	progress_init(&pg, o->progress, c->prog, "scanning",
		      vmcsinfo_dump_present_bytes(d));
	ps.revs = &known;
	ps.notes = header == 0;
	ps.count = true;
	ps.pg = &pg;
	r->passes = 1;
	if (scan_pass(c, r, &ps, &cands))
		goto out;
	progress_done(&pg);

	/* Notes found in pages: their layouts, and a pass for new revisions. */
	for (i = header; i < r->nnotes; i++) {
		char name[64];
		uint32_t rev = vmcsinfo_note_get_header(r->notes[i].note)->revision_id;

		snprintf(name, sizeof(name), "note at 0x%" PRIx64, r->notes[i].paddr);
		if (layouts_add(&r->layouts, r->notes[i].note, name, true))
			goto nomem;
		if (!revs_has(&known, rev))
			revs_add(&added, rev);
	}
	if (added.n) {
		progress_init(&pg, o->progress, c->prog, "second pass",
			      vmcsinfo_dump_present_bytes(d));
		ps.revs = &added;
		ps.notes = false;
		ps.count = false;
		r->passes = 2;
		if (scan_pass(c, r, &ps, &cands))
			goto out;
		progress_done(&pg);
		if (cands.n)
			qsort(cands.v, cands.n, sizeof(*cands.v), cmp_cand);
	}
	if (!o->have_page_offset &&
	    (!r->have_direct_map || from_elf) &&
	    direct_map_from_candidates(r, o, &cands, &base) == 0 &&
	    (!r->have_direct_map || base != r->direct_map)) {
		if (r->have_direct_map)
			cli_warn(c, "%s: the ELF program headers put the direct map at 0x%" PRIx64 ", the VMCS candidates' HOST_CR3 at 0x%" PRIx64 "; using the latter",
				 r->path, r->direct_map, base);
		r->have_direct_map = true;
		r->direct_map = base;
		r->direct_map_source = "HOST_CR3 of the VMCS candidates";
	}
	if (judge(r, o, &cands))
		goto nomem;
	group(r);
	rc = 0;
	goto out;
nomem:
	cli_err(c, "out of memory");
out:
	progress_done(&pg);
	free(cands.v);
	return rc;
}

void scan_free(struct scan_result *r)
{
	size_t i;

	for (i = 0; i < r->nvmcs; i++)
		free(r->vmcs[i].reason);
	for (i = 0; i < r->nrejected; i++)
		free(r->rejected[i].reason);
	for (i = 0; i < r->nnotes; i++)
		vmcsinfo_note_free(r->notes[i].note);
	free(r->vmcs);
	free(r->rejected);
	free(r->notes);
	free(r->bad_notes);
	layouts_free(&r->layouts);
	db_free(&r->db);
}

int scan_read_region(struct scan_result *r, const struct scan_vmcs *v,
		     uint8_t *buf, size_t len)
{
	char err[200];

	return vmcsinfo_dump_read(r->dump, v->paddr, buf, len, err,
				  sizeof(err)) == VMCSINFO_DUMP_OK ? 0 : -1;
}
