// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Parser of simulated-CPU model files (docs/model-format.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "vmcsinfo/fields.h"

struct parser {
	const char *path;
	unsigned int line;
	char *err;
	size_t errlen;
	struct sim_model *m;
	u8 *owner_used;		/* region bitmap: bits some field holds */
	bool seen[16];
};

static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->path, ps->line);
	if (n < 0 || (size_t)n >= ps->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_u64(const char *s, u64 *v)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	return 0;
}

static int parse_u32(const char *s, u32 *v)
{
	u64 x;

	if (parse_u64(s, &x) || x > UINT32_MAX)
		return -1;
	*v = (u32)x;
	return 0;
}

static int parse_bool(const char *s, bool *v)
{
	if (s && !strcmp(s, "yes"))
		*v = true;
	else if (s && !strcmp(s, "no"))
		*v = false;
	else
		return -1;
	return 0;
}

static struct vmcsinfo_field_map *new_field(struct parser *ps, u32 enc)
{
	struct vmcsinfo_layout *l = &ps->m->layout;
	struct vmcsinfo_field_map *f;
	unsigned int i;

	if (l->nfields == l->cap) {
		u32 cap = l->cap ? 2 * l->cap : 64;
		void *n = realloc(l->fields, cap * sizeof(*l->fields));

		if (!n)
			return NULL;
		l->fields = n;
		l->cap = cap;
	}
	f = &l->fields[l->nfields++];
	memset(f, 0, sizeof(*f));
	f->encoding = enc;
	f->nbits = (u8)vmcsinfo_enc_bits(enc);
	for (i = 0; i < VMCSINFO_MAX_BITS; i++)
		f->map[i] = VMCSINFO_MAP_CONST0;
	return f;
}

static int claim_bit(struct parser *ps, u32 enc, unsigned int bit, u64 rb)
{
	if (rb < 64)
		return perr(ps, "field 0x%x bit %u: region bit %" PRIu64
			    " is in the header (bytes 0-7)", enc, bit, rb);
	if (rb >= (u64)ps->m->region_size * 8)
		return perr(ps, "field 0x%x bit %u: region bit %" PRIu64
			    " is beyond region_size %u", enc, bit, rb,
			    ps->m->region_size);
	if (ps->owner_used[rb / 8] & (1u << (rb % 8)))
		return perr(ps, "field 0x%x bit %u: region bit %" PRIu64
			    " (byte %" PRIu64 " bit %" PRIu64
			    ") is already used", enc, bit, rb, rb / 8, rb % 8);
	ps->owner_used[rb / 8] |= (u8)(1u << (rb % 8));
	return 0;
}

/* "LO-HI:TARGET" or "LO:TARGET", TARGET = "0", "1" or "BYTE.BIT". */
static int parse_run(struct parser *ps, struct vmcsinfo_field_map *f,
		     char *run, u64 *assigned)
{
	char *colon = strchr(run, ':'), *dash, *dot;
	u32 lo, hi, byte, bit;
	unsigned int i;

	if (!colon)
		return perr(ps, "run '%s': expected LO-HI:TARGET", run);
	*colon = 0;
	dash = strchr(run, '-');
	if (dash) {
		*dash = 0;
		if (parse_u32(run, &lo) || parse_u32(dash + 1, &hi))
			return perr(ps, "bad bit range in run");
	} else if (parse_u32(run, &lo)) {
		return perr(ps, "bad bit number in run");
	} else {
		hi = lo;
	}
	if (lo > hi || hi >= f->nbits)
		return perr(ps, "field 0x%x: bits %u-%u outside its %u VMREAD bits",
			    f->encoding, lo, hi, f->nbits);
	for (i = lo; i <= hi; i++) {
		if (*assigned & (1ULL << i))
			return perr(ps, "field 0x%x: bit %u named twice",
				    f->encoding, i);
		*assigned |= 1ULL << i;
	}
	run = colon + 1;
	dot = strchr(run, '.');
	if (!dot) {
		if (strcmp(run, "0") && strcmp(run, "1"))
			return perr(ps, "run target '%s': expected 0, 1 or BYTE.BIT",
				    run);
		for (i = lo; i <= hi; i++)
			f->map[i] = run[0] == '1' ? VMCSINFO_MAP_CONST1 :
						    VMCSINFO_MAP_CONST0;
		return 0;
	}
	*dot = 0;
	if (parse_u32(run, &byte) || parse_u32(dot + 1, &bit) || bit > 7)
		return perr(ps, "run target: expected BYTE.BIT with BIT 0-7");
	for (i = lo; i <= hi; i++) {
		u64 rb = (u64)byte * 8 + bit + (i - lo);

		if (claim_bit(ps, f->encoding, i, rb))
			return -1;
		f->map[i] = (s16)rb;
	}
	return 0;
}

static int parse_field(struct parser *ps, char **tok, int ntok)
{
	struct vmcsinfo_field_map *f;
	u32 enc;
	int t = 1;
	bool ro = false;

	if (ntok < 3 || parse_u32(tok[1], &enc))
		return perr(ps, "field: expected ENC [ro] plain|bits ...");
	if (enc & (VMCSINFO_ENC_RESERVED | VMCSINFO_ENC_HIGH))
		return perr(ps, "field 0x%x: reserved bits or _HIGH set", enc);
	for (t = 0; (u32)t < ps->m->layout.nfields; t++)
		if (ps->m->layout.fields[t].encoding == enc)
			return perr(ps, "field 0x%x defined twice", enc);
	t = 2;
	if (!strcmp(tok[t], "ro")) {
		ro = true;
		t++;
	}
	if (t >= ntok)
		return perr(ps, "field 0x%x: missing storage", enc);
	f = new_field(ps, enc);
	if (!f)
		return perr(ps, "out of memory");
	if (ro)
		f->flags |= VMCSINFO_FF_READONLY;
	if (!strcmp(tok[t], "plain")) {
		u32 off, size = f->nbits / 8;
		unsigned int i;

		if (t + 1 >= ntok || parse_u32(tok[t + 1], &off) ||
		    (t + 2 < ntok && parse_u32(tok[t + 2], &size)) ||
		    t + 3 < ntok)
			return perr(ps, "field 0x%x: plain OFFSET [SIZE]", enc);
		if (size < 1 || size > f->nbits / 8u)
			return perr(ps, "field 0x%x: size %u for a %u-bit field",
				    enc, size, f->nbits);
		if ((u64)off + size > ps->m->region_size)
			return perr(ps, "field 0x%x: bytes %u-%u beyond region_size",
				    enc, off, off + size - 1);
		for (i = 0; i < size * 8; i++) {
			u64 rb = (u64)off * 8 + i;

			if (claim_bit(ps, enc, i, rb))
				return -1;
			f->map[i] = (s16)rb;
		}
		return 0;
	}
	if (!strcmp(tok[t], "bits")) {
		u64 assigned = 0;
		char *save = NULL, *run;

		if (t + 2 != ntok)
			return perr(ps, "field 0x%x: bits RUN[,RUN...]", enc);
		for (run = strtok_r(tok[t + 1], ",", &save); run;
		     run = strtok_r(NULL, ",", &save))
			if (parse_run(ps, f, run, &assigned))
				return -1;
		return 0;
	}
	return perr(ps, "field 0x%x: storage '%s' is not plain or bits",
		    enc, tok[t]);
}

enum { D_NAME, D_REV, D_SIZE, D_SIG, D_UCODE, D_ANY, D_CACHE, D_LAUNCH };

static int once(struct parser *ps, int d, const char *word)
{
	if (ps->seen[d])
		return perr(ps, "'%s' given twice", word);
	ps->seen[d] = true;
	return 0;
}

static int parse_line(struct parser *ps, char **tok, int ntok)
{
	struct sim_model *m = ps->m;
	const char *w = tok[0];

	if (!strcmp(w, "field"))
		return parse_field(ps, tok, ntok);
	if (!strcmp(w, "msr")) {
		u32 a;
		u64 v;

		if (ntok != 3 || parse_u32(tok[1], &a) || parse_u64(tok[2], &v) ||
		    a < VMCSINFO_MSR_FIRST ||
		    a >= VMCSINFO_MSR_FIRST + VMCSINFO_NR_MSRS)
			return perr(ps, "msr: expected ADDR VALUE, ADDR 0x480-0x493");
		m->msrs[a - VMCSINFO_MSR_FIRST] = v;
		m->msr_valid |= 1u << (a - VMCSINFO_MSR_FIRST);
		return 0;
	}
	if (!strcmp(w, "name")) {
		if (ntok < 2 || once(ps, D_NAME, w))
			return ntok < 2 ? perr(ps, "name: missing") : -1;
		snprintf(m->name, sizeof(m->name), "%s", tok[1]);
		return 0;
	}
	if (ntok != 2 && strcmp(w, "launch_state"))
		return perr(ps, "'%s' takes one value", w);
	if (!strcmp(w, "revision")) {
		if (once(ps, D_REV, w))
			return -1;
		if (parse_u32(tok[1], &m->revision_id) ||
		    m->revision_id & 0x80000000u)
			return perr(ps, "revision: a number below 0x80000000");
		return 0;
	}
	if (!strcmp(w, "region_size")) {
		if (once(ps, D_SIZE, w))
			return -1;
		if (m->layout.nfields)
			return perr(ps, "region_size must precede the fields");
		if (parse_u32(tok[1], &m->region_size) || m->region_size < 16 ||
		    m->region_size > VMCSINFO_MAX_REGION)
			return perr(ps, "region_size: 16..4096");
		return 0;
	}
	if (!strcmp(w, "signature"))
		return once(ps, D_SIG, w) ? -1 : parse_u32(tok[1], &m->signature) ?
		       perr(ps, "signature: a 32-bit number") : 0;
	if (!strcmp(w, "microcode"))
		return once(ps, D_UCODE, w) ? -1 : parse_u32(tok[1], &m->microcode) ?
		       perr(ps, "microcode: a 32-bit number") : 0;
	if (!strcmp(w, "vmwrite_any"))
		return once(ps, D_ANY, w) ? -1 : parse_bool(tok[1], &m->vmwrite_any) ?
		       perr(ps, "vmwrite_any: yes or no") : 0;
	if (!strcmp(w, "cache"))
		return once(ps, D_CACHE, w) ? -1 : parse_bool(tok[1], &m->cache) ?
		       perr(ps, "cache: yes or no") : 0;
	if (!strcmp(w, "launch_state")) {
		if (once(ps, D_LAUNCH, w))
			return -1;
		if (ntok == 2 && !strcmp(tok[1], "none"))
			return 0;
		if (ntok != 3 || parse_u32(tok[1], &m->launch_state_offset) ||
		    parse_u32(tok[2], &m->launch_state_size) ||
		    !m->launch_state_size || m->launch_state_offset < 8 ||
		    (u64)m->launch_state_offset + m->launch_state_size >
		    m->region_size)
			return perr(ps, "launch_state: OFFSET SIZE inside the region, or none");
		return 0;
	}
	return perr(ps, "unknown directive '%s'", w);
}

static int tokenize(char *s, char **tok, int max)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(s, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -1;
		tok[n++] = t;
	}
	return n;
}

static int cmp_encoding(const void *a, const void *b)
{
	const struct vmcsinfo_field_map *x = a, *y = b;

	return x->encoding < y->encoding ? -1 : x->encoding > y->encoding;
}

/*
 * Sort by encoding and add the _HIGH half of every 64-bit field, as every
 * VMX CPU has.
 */
static int add_high_halves(struct parser *ps)
{
	struct vmcsinfo_layout *l = &ps->m->layout;
	u32 n = l->nfields, i, j;
	struct vmcsinfo_field_map *out;

	if (n)
		qsort(l->fields, n, sizeof(*l->fields), cmp_encoding);

	out = calloc(2 * (size_t)n + 1, sizeof(*out));
	if (!out)
		return perr(ps, "out of memory");
	for (i = 0, j = 0; i < n; i++) {
		const struct vmcsinfo_field_map *f = &l->fields[i];

		out[j++] = *f;
		if (vmcsinfo_enc_width(f->encoding) == VMCSINFO_W_64) {
			struct vmcsinfo_field_map *h = &out[j++];
			unsigned int b;

			*h = *f;
			h->encoding = f->encoding | VMCSINFO_ENC_HIGH;
			h->nbits = 32;
			for (b = 0; b < VMCSINFO_MAX_BITS; b++)
				h->map[b] = b < 32 ? f->map[32 + b] :
					    VMCSINFO_MAP_CONST0;
		}
	}
	free(l->fields);
	l->fields = out;
	l->nfields = j;
	l->cap = 2 * n + 1;
	return 0;
}

int sim_model_load(const char *path, struct sim_model *m,
		   char *err, size_t errlen)
{
	struct parser ps = { .path = path, .err = err, .errlen = errlen, .m = m };
	char line[4096];
	FILE *fp;
	int r = 0;

	memset(m, 0, sizeof(*m));
	m->region_size = 4096;
	m->launch_state_offset = VMCSINFO_NO_OFFSET;
	snprintf(m->name, sizeof(m->name), "%s", path);
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ps.owner_used = calloc(VMCSINFO_MAX_REGION, 1);
	if (!ps.owner_used) {
		fclose(fp);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	while (!r && fgets(line, sizeof(line), fp)) {
		char *tok[16], *hash;
		int ntok;

		ps.line++;
		if (!strchr(line, '\n') && !feof(fp)) {
			r = perr(&ps, "line longer than %zu bytes", sizeof(line) - 1);
			break;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		ntok = tokenize(line, tok, 16);
		if (ntok < 0)
			r = perr(&ps, "too many words");
		else if (ntok > 0)
			r = parse_line(&ps, tok, ntok);
	}
	if (!r && ferror(fp))
		r = perr(&ps, "read error");
	if (!r && !ps.seen[D_REV])
		r = perr(&ps, "no 'revision' line");
	if (!r && !(m->msr_valid & 1)) {
		/* IA32_VMX_BASIC: revision, size, WB memory type (6). */
		m->msrs[0] = m->revision_id | (u64)m->region_size << 32 |
			     6ULL << 50;
		m->msr_valid |= 1;
	}
	if (!r && m->vmwrite_any && !(m->msr_valid & (1u << 5))) {
		m->msrs[5] = 1ULL << 29;	/* IA32_VMX_MISC */
		m->msr_valid |= 1u << 5;
	}
	if (!r)
		r = add_high_halves(&ps);
	if (!r) {
		m->layout.revision_id = m->revision_id;
		m->layout.region_size = m->region_size;
		m->layout.launch_state_offset = m->launch_state_offset;
		m->layout.launch_state_size = m->launch_state_size;
		m->layout.abort_offset = 4;
	}
	free(ps.owner_used);
	fclose(fp);
	if (r)
		sim_model_free(m);
	return r;
}

void sim_model_free(struct sim_model *m)
{
	free(m->layout.fields);
	m->layout.fields = NULL;
	m->layout.nfields = 0;
	m->layout.cap = 0;
}
