// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The VMCS layout probe.  See include/vmcsinfo/probe.h for the contract and
 * docs/probe.md for the method.
 *
 * Four stages, all on one probe region:
 *
 * 1. Sweep: VMREAD every encoding whose reserved bits are clear.  Success
 *    means the field exists, VM-instruction error 12 that it does not;
 *    anything else stops the probe.  VMWRITE of the value just read tells
 *    writable fields from read-only ones (error 13).
 * 2. Read method: for k = 0..K-1 fill the region so that region bit b holds
 *    bit k of b, VMPTRLD, VMREAD every field, VMCLEAR; then the same with
 *    the complement.  A VMREAD bit that flips between the two fills in
 *    every k is stored in exactly one region bit, whose index its K
 *    values spell out; one that never flips is a constant; anything else
 *    is not a plain bit mapping and stops the probe.
 * 3. Launch state: fill all ones, then all zeros; each time VMPTRLD and
 *    VMCLEAR.  Region bits that VMCLEAR leaves with the same value after
 *    both fills, and that hold no field, are the launch state.
 * 4. Write method (independent of 2): give every writable field bit an
 *    identifier; for k = 0..K'-1 VMWRITE every field so that each bit
 *    carries bit k of its identifier, VMCLEAR and keep the image; then
 *    the complement.  A region bit that flips in every k holds the field
 *    bit whose identifier it spells.  The result is compared with stage 2
 *    bit by bit and every disagreement is counted and flagged.
 *
 * The region's memory is only read or written while the region is not
 * current (after VMCLEAR), so processors that keep the current VMCS on
 * chip are handled: VMCLEAR is what makes memory authoritative.
 */
#include "vmcsinfo/probe.h"
#include "vmcsinfo/fields.h"

#define VMCS_INSTRUCTION_ERROR	0x4400u
#define MISC_VMWRITE_ANY	BIT_ULL(29)
/* Bytes 0-3 hold the revision identifier, 4-7 the VMX-abort indicator. */
#define HEADER_BITS		64u
#define ABORT_OFFSET		4u

struct read_acc {
	u64 val_a;		/* VMREAD value after the k-th fill */
	u64 and_diff;		/* bits that flipped in every pass pair */
	u64 or_diff;		/* bits that flipped in some pass pair */
	u64 and_val;		/* AND of all values read */
	u64 or_val;		/* OR of all values read */
};

struct probe {
	const struct vmcsinfo_probe_env *env;
	struct vmcsinfo_layout *out;
	struct vmcsinfo_probe_error *err;
	const char *stage;
	u32 region_bits;
	/* workspace */
	struct read_acc *acc;	/* [cap] */
	u32 *wprefix;		/* [cap]: first write-method id of field */
	u16 *code;		/* [region bits]: identifier spelled so far */
	u8 *wand;		/* region bitmap: flipped in every pass */
	u8 *wor;		/* region bitmap: flipped in some pass */
	u8 *snap;		/* region image after pass A */
};

/* ---- instruction wrappers: count, and turn failures into errors ---- */

static int fail(struct probe *p, int code, const char *insn, u32 enc,
		int vmresult, unsigned int bit)
{
	p->err->code = code;
	p->err->insn = insn;
	p->err->stage = p->stage;
	p->err->encoding = enc;
	p->err->vmresult = vmresult;
	p->err->bit = bit;
	return code;
}

static int do_vmclear(struct probe *p)
{
	int r;

	p->out->counts.vmclear++;
	r = p->env->ops->vmclear(p->env->ctx, p->env->region_pa);
	if (r != VMCSINFO_VM_OK)
		return fail(p, VMCSINFO_PE_VMFAIL, "VMCLEAR", 0, r, 0);
	return 0;
}

static int do_vmptrld(struct probe *p)
{
	int r;

	p->out->counts.vmptrld++;
	r = p->env->ops->vmptrld(p->env->ctx, p->env->region_pa);
	if (r != VMCSINFO_VM_OK)
		return fail(p, VMCSINFO_PE_VMFAIL, "VMPTRLD", 0, r, 0);
	return 0;
}

static int raw_vmread(struct probe *p, u32 enc, u64 *val)
{
	p->out->counts.vmread++;
	*val = 0;
	return p->env->ops->vmread(p->env->ctx, enc, val);
}

static int raw_vmwrite(struct probe *p, u32 enc, u64 val)
{
	p->out->counts.vmwrite++;
	return p->env->ops->vmwrite(p->env->ctx, enc, val);
}

static u64 width_mask(unsigned int nbits)
{
	return nbits >= 64 ? ~0ULL : (1ULL << nbits) - 1;
}

/* VMREAD a field known to exist; any failure is an error. */
static int must_vmread(struct probe *p, const struct vmcsinfo_field_map *f,
		       u64 *val)
{
	int r = raw_vmread(p, f->encoding, val);

	if (r != VMCSINFO_VM_OK)
		return fail(p, VMCSINFO_PE_VMFAIL, "VMREAD", f->encoding, r, 0);
	*val &= width_mask(f->nbits);
	return 0;
}

static int must_vmwrite(struct probe *p, const struct vmcsinfo_field_map *f,
			u64 val)
{
	int r = raw_vmwrite(p, f->encoding, val);

	if (r != VMCSINFO_VM_OK)
		return fail(p, VMCSINFO_PE_VMFAIL, "VMWRITE", f->encoding, r, 0);
	return 0;
}

/* ---- region images (only touched while the region is not current) ---- */

static bool bit_of(const u8 *img, u32 b)
{
	return (img[b / 8] >> (b % 8)) & 1;
}

static void set_bit_in(u8 *img, u32 b, bool v)
{
	if (v)
		img[b / 8] |= (u8)(1u << (b % 8));
	else
		img[b / 8] &= (u8)~(1u << (b % 8));
}

static void fill_header(struct probe *p)
{
	u8 *r = p->env->region;
	u32 rev = p->env->revision_id & 0x7fffffffu;

	r[0] = (u8)rev;
	r[1] = (u8)(rev >> 8);
	r[2] = (u8)(rev >> 16);
	r[3] = (u8)(rev >> 24);
	r[4] = 0;
	r[5] = 0;
	r[6] = 0;
	r[7] = 0;
}

static void fill_const(struct probe *p, u8 byte)
{
	__builtin_memset(p->env->region + 8, byte, p->env->region_size - 8);
	fill_header(p);
}

/* Region bit b := bit k of b (or its complement). */
static void fill_address_bit(struct probe *p, unsigned int k, bool invert)
{
	u8 *r = p->env->region;
	u32 byte;

	for (byte = 8; byte < p->env->region_size; byte++) {
		u8 v = 0;
		unsigned int j;

		for (j = 0; j < 8; j++)
			if ((((byte * 8 + j) >> k) & 1) != invert)
				v |= (u8)(1u << j);
		r[byte] = v;
	}
	fill_header(p);
}

static unsigned int bits_to_count(u32 n)
{
	unsigned int k = 1;

	while (k < 31 && (1u << k) < n)
		k++;
	return k;
}

/* ---- stage 1: sweep ---- */

static int add_field(struct probe *p, u32 enc)
{
	struct vmcsinfo_layout *l = p->out;
	struct vmcsinfo_field_map *f;
	unsigned int i;

	if (l->nfields >= l->cap)
		return fail(p, VMCSINFO_PE_NOSPC, NULL, enc, 0, 0);
	f = &l->fields[l->nfields++];
	f->encoding = enc;
	f->nbits = (u8)vmcsinfo_enc_bits(enc);
	f->flags = vmcsinfo_field_by_encoding(enc) ? 0 : VMCSINFO_FF_UNKNOWN;
	for (i = 0; i < VMCSINFO_MAX_BITS; i++)
		f->map[i] = 0;
	return 0;
}

static int sweep(struct probe *p)
{
	struct vmcsinfo_layout *l = p->out;
	u32 enum_max = (u32)(p->env->vmcs_enum >> 1) & 0x1ffu;
	u32 i;
	int r;

	p->stage = "sweep";
	fill_const(p, 0);
	r = do_vmptrld(p);
	if (r)
		return r;
	for (i = 0; i < VMCSINFO_ENC_SPACE; i++) {
		u32 enc = vmcsinfo_enc_from_space_index(i);
		u64 v;

		r = raw_vmread(p, enc, &v);
		if (r == VMCSINFO_VMERR_UNSUPPORTED)
			continue;
		if (r != VMCSINFO_VM_OK)
			return fail(p, VMCSINFO_PE_VMFAIL, "VMREAD", enc, r, 0);
		r = add_field(p, enc);
		if (r)
			return r;
		if (((enc & VMCSINFO_ENC_INDEX_MASK) >> 1) > enum_max)
			l->flags |= VMCSINFO_LF_ENUM_EXCEEDED;
	}

	/* Writable or read-only: write back what reads back. */
	for (i = 0; i < l->nfields; i++) {
		struct vmcsinfo_field_map *f = &l->fields[i];
		u64 v;

		if (vmcsinfo_enc_is_high(f->encoding))
			continue;
		r = must_vmread(p, f, &v);
		if (r)
			return r;
		r = raw_vmwrite(p, f->encoding, v);
		if (r == VMCSINFO_VMERR_READONLY)
			f->flags |= VMCSINFO_FF_READONLY;
		else if (r != VMCSINFO_VM_OK)
			return fail(p, VMCSINFO_PE_VMFAIL, "VMWRITE",
				    f->encoding, r, 0);
	}
	/* A _HIGH half is as writable as its full field. */
	for (i = 1; i < l->nfields; i++) {
		struct vmcsinfo_field_map *f = &l->fields[i];

		if (vmcsinfo_enc_is_high(f->encoding) &&
		    l->fields[i - 1].encoding == (f->encoding & ~1u))
			f->flags |= l->fields[i - 1].flags &
				    VMCSINFO_FF_READONLY;
	}
	if (p->env->vmx_misc & MISC_VMWRITE_ANY)
		l->flags |= VMCSINFO_LF_VMWRITE_ANY;
	return do_vmclear(p);
}

/* ---- stage 2: read method ---- */

static int read_all(struct probe *p, bool first_of_pair)
{
	struct vmcsinfo_layout *l = p->out;
	u32 i;
	int r;

	r = do_vmptrld(p);
	if (r)
		return r;
	for (i = 0; i < l->nfields; i++) {
		struct read_acc *a = &p->acc[i];
		u64 v;

		r = must_vmread(p, &l->fields[i], &v);
		if (r)
			return r;
		a->and_val &= v;
		a->or_val |= v;
		if (first_of_pair) {
			a->val_a = v;
		} else {
			u64 diff = a->val_a ^ v;

			a->and_diff &= diff;
			a->or_diff |= diff;
		}
	}
	return do_vmclear(p);
}

static void record_code_bit(struct probe *p, unsigned int k)
{
	struct vmcsinfo_layout *l = p->out;
	u32 i;

	for (i = 0; i < l->nfields; i++) {
		struct vmcsinfo_field_map *f = &l->fields[i];
		u64 a = p->acc[i].val_a;
		unsigned int b;

		for (b = 0; b < f->nbits; b++)
			if ((a >> b) & 1)
				f->map[b] = (s16)(f->map[b] | (1 << k));
	}
}

static int resolve_read_map(struct probe *p)
{
	struct vmcsinfo_layout *l = p->out;
	u32 i;

	for (i = 0; i < l->nfields; i++) {
		struct vmcsinfo_field_map *f = &l->fields[i];
		struct read_acc *a = &p->acc[i];
		unsigned int b;

		for (b = 0; b < f->nbits; b++) {
			u64 m = 1ULL << b;

			if (a->and_diff & m) {
				u32 rb = (u32)f->map[b];

				if (rb < HEADER_BITS || rb >= p->region_bits)
					return fail(p, VMCSINFO_PE_NOTBITS,
						    NULL, f->encoding, 0, b);
			} else if (!(a->or_diff & m)) {
				/* Depends on the fill, yet never flips. */
				if ((a->and_val & m) != (a->or_val & m))
					return fail(p, VMCSINFO_PE_NOTBITS,
						    NULL, f->encoding, 0, b);
				f->map[b] = (a->and_val & m) ?
					    VMCSINFO_MAP_CONST1 :
					    VMCSINFO_MAP_CONST0;
			} else {
				return fail(p, VMCSINFO_PE_NOTBITS, NULL,
					    f->encoding, 0, b);
			}
		}
		for (; b < VMCSINFO_MAX_BITS; b++)
			f->map[b] = VMCSINFO_MAP_CONST0;
	}
	return 0;
}

/* A _HIGH half must read bits 63:32 of its full field. */
static void check_high_halves(struct probe *p)
{
	struct vmcsinfo_layout *l = p->out;
	u32 i;

	for (i = 1; i < l->nfields; i++) {
		struct vmcsinfo_field_map *h = &l->fields[i];
		const struct vmcsinfo_field_map *f = &l->fields[i - 1];
		unsigned int b;

		if (!vmcsinfo_enc_is_high(h->encoding) ||
		    f->encoding != (h->encoding & ~1u))
			continue;
		for (b = 0; b < 32; b++)
			if (h->map[b] != f->map[32 + b])
				h->flags |= VMCSINFO_FF_HIGHDIFF;
	}
}

static int read_method(struct probe *p)
{
	struct vmcsinfo_layout *l = p->out;
	unsigned int k, nk = bits_to_count(p->region_bits);
	u32 i;
	int r;

	p->stage = "read method";
	for (i = 0; i < l->nfields; i++) {
		p->acc[i].and_diff = ~0ULL;
		p->acc[i].or_diff = 0;
		p->acc[i].and_val = ~0ULL;
		p->acc[i].or_val = 0;
	}
	for (k = 0; k < nk; k++) {
		fill_address_bit(p, k, false);
		r = read_all(p, true);
		if (r)
			return r;
		record_code_bit(p, k);
		fill_address_bit(p, k, true);
		r = read_all(p, false);
		if (r)
			return r;
	}
	r = resolve_read_map(p);
	if (r)
		return r;
	check_high_halves(p);
	l->methods |= VMCSINFO_METHOD_READ;
	return 0;
}

/* ---- stage 3: launch state ---- */

static void mark_field_bits(struct probe *p, u8 *bitmap)
{
	struct vmcsinfo_layout *l = p->out;
	u32 i;

	__builtin_memset(bitmap, 0, p->env->region_size);
	for (i = 0; i < l->nfields; i++) {
		const struct vmcsinfo_field_map *f = &l->fields[i];
		unsigned int b;

		for (b = 0; b < f->nbits; b++)
			if (f->map[b] >= 0)
				set_bit_in(bitmap, (u32)f->map[b], true);
	}
}

static int launch_state(struct probe *p)
{
	struct vmcsinfo_layout *l = p->out;
	u32 b, lo = VMCSINFO_NO_OFFSET, hi = 0;
	int r;

	p->stage = "launch state";
	fill_const(p, 0xff);
	r = do_vmptrld(p);
	if (!r)
		r = do_vmclear(p);
	if (r)
		return r;
	__builtin_memcpy(p->snap, p->env->region, p->env->region_size);
	fill_const(p, 0);
	r = do_vmptrld(p);
	if (!r)
		r = do_vmclear(p);
	if (r)
		return r;

	mark_field_bits(p, p->wor);
	for (b = HEADER_BITS; b < p->region_bits; b++) {
		if (bit_of(p->wor, b))
			continue;
		if (bit_of(p->snap, b) != bit_of(p->env->region, b))
			continue;
		if (lo == VMCSINFO_NO_OFFSET)
			lo = b;
		hi = b;
	}
	l->abort_offset = ABORT_OFFSET;
	if (lo == VMCSINFO_NO_OFFSET) {
		l->launch_state_offset = VMCSINFO_NO_OFFSET;
		l->launch_state_size = 0;
	} else {
		l->launch_state_offset = lo / 8;
		l->launch_state_size = hi / 8 - lo / 8 + 1;
	}
	return 0;
}

/* ---- stage 4: write method ---- */

static bool write_tested(const struct vmcsinfo_field_map *f)
{
	/* _HIGH halves alias their full field; read-only ones refuse. */
	return !vmcsinfo_enc_is_high(f->encoding) &&
	       !(f->flags & VMCSINFO_FF_READONLY);
}

static u64 write_value(struct probe *p, u32 i, unsigned int k, bool invert)
{
	const struct vmcsinfo_field_map *f = &p->out->fields[i];
	u64 v = 0;
	unsigned int b;

	for (b = 0; b < f->nbits; b++)
		if ((((p->wprefix[i] + b) >> k) & 1) != invert)
			v |= 1ULL << b;
	return v;
}

static int write_all(struct probe *p, unsigned int k, bool invert)
{
	struct vmcsinfo_layout *l = p->out;
	u32 i;
	int r;

	fill_const(p, 0);
	r = do_vmptrld(p);
	if (r)
		return r;
	for (i = 0; i < l->nfields; i++) {
		if (!write_tested(&l->fields[i]))
			continue;
		r = must_vmwrite(p, &l->fields[i], write_value(p, i, k, invert));
		if (r)
			return r;
	}
	return do_vmclear(p);
}

/*
 * Field index whose identifiers contain id, or nfields.  wprefix[] never
 * decreases, and the owner of id is the last field whose first identifier
 * is <= id (any later field starts past the owner's last identifier).
 */
static u32 field_of_id(struct probe *p, u32 id)
{
	struct vmcsinfo_layout *l = p->out;
	u32 lo = 0, hi = l->nfields;
	const struct vmcsinfo_field_map *f;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (p->wprefix[mid] <= id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return l->nfields;
	f = &l->fields[lo - 1];
	if (!write_tested(f) || id >= p->wprefix[lo - 1] + f->nbits)
		return l->nfields;
	return lo - 1;
}

static void flag_mismatch(struct probe *p, u32 i)
{
	if (i < p->out->nfields)
		p->out->fields[i].flags |= VMCSINFO_FF_MISMATCH;
	p->out->mismatches++;
}

static void compare_methods(struct probe *p, u32 nids)
{
	struct vmcsinfo_layout *l = p->out;
	u32 b, i;

	/* Every region bit the writes reached must be where stage 2 said. */
	for (b = 0; b < p->region_bits; b++) {
		u32 id = p->code[b], fi;

		if (!bit_of(p->wor, b))
			continue;
		if (!bit_of(p->wand, b) || id >= nids) {
			flag_mismatch(p, l->nfields);
			continue;
		}
		fi = field_of_id(p, id);
		if (fi == l->nfields ||
		    l->fields[fi].map[id - p->wprefix[fi]] != (s16)b)
			flag_mismatch(p, fi);
	}
	/* Every bit stage 2 placed must have been reached by the writes. */
	for (i = 0; i < l->nfields; i++) {
		struct vmcsinfo_field_map *f = &l->fields[i];
		unsigned int k;

		if (!write_tested(f))
			continue;
		f->flags |= VMCSINFO_FF_WCHECKED;
		for (k = 0; k < f->nbits; k++) {
			s16 m = f->map[k];

			if (m >= 0 && (!bit_of(p->wand, (u32)m) ||
				       p->code[m] != p->wprefix[i] + k))
				flag_mismatch(p, i);
		}
	}
}

static int write_method(struct probe *p)
{
	struct vmcsinfo_layout *l = p->out;
	u32 i, b, nids = 0;
	unsigned int k, nk;
	int r;

	p->stage = "write method";
	for (i = 0; i < l->nfields; i++) {
		p->wprefix[i] = nids;
		if (write_tested(&l->fields[i]))
			nids += l->fields[i].nbits;
	}
	if (!nids)
		return 0;
	nk = bits_to_count(nids);
	__builtin_memset(p->code, 0, p->region_bits * sizeof(*p->code));
	__builtin_memset(p->wand, 0xff, p->env->region_size);
	__builtin_memset(p->wor, 0, p->env->region_size);

	for (k = 0; k < nk; k++) {
		r = write_all(p, k, false);
		if (r)
			return r;
		__builtin_memcpy(p->snap, p->env->region, p->env->region_size);
		r = write_all(p, k, true);
		if (r)
			return r;
		for (b = 0; b < p->region_bits; b++) {
			bool va = bit_of(p->snap, b);
			bool flip = va != bit_of(p->env->region, b);

			set_bit_in(p->wand, b, flip && bit_of(p->wand, b));
			set_bit_in(p->wor, b, flip || bit_of(p->wor, b));
			if (va)
				p->code[b] = (u16)(p->code[b] | (1u << k));
		}
	}
	compare_methods(p, nids);
	l->methods |= VMCSINFO_METHOD_WRITE;
	return 0;
}

/* ---- entry points ---- */

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

size_t vmcsinfo_probe_work_size(u32 cap)
{
	return align8(cap * sizeof(struct read_acc)) +
	       align8(cap * sizeof(u32)) +
	       align8(VMCSINFO_MAX_REGION * 8 * sizeof(u16)) +
	       3 * align8(VMCSINFO_MAX_REGION);
}

static void carve_work(struct probe *p)
{
	u8 *w = p->env->work;
	u32 cap = p->out->cap;

	p->acc = (struct read_acc *)w;
	w += align8(cap * sizeof(struct read_acc));
	p->wprefix = (u32 *)w;
	w += align8(cap * sizeof(u32));
	p->code = (u16 *)w;
	w += align8(VMCSINFO_MAX_REGION * 8 * sizeof(u16));
	p->wand = w;
	w += align8(VMCSINFO_MAX_REGION);
	p->wor = w;
	w += align8(VMCSINFO_MAX_REGION);
	p->snap = w;
}

static bool env_ok(const struct vmcsinfo_probe_env *env,
		   const struct vmcsinfo_layout *out)
{
	return env->ops && env->region && out->fields &&
	       !(env->region_pa & 0xfff) &&
	       env->region_size >= 16 &&
	       env->region_size <= VMCSINFO_MAX_REGION &&
	       env->work && ((unsigned long)env->work & 7) == 0 &&
	       env->work_size >= vmcsinfo_probe_work_size(out->cap);
}

int vmcsinfo_probe_run(const struct vmcsinfo_probe_env *env,
		       struct vmcsinfo_layout *out,
		       struct vmcsinfo_probe_error *err)
{
	struct probe p = { .env = env, .out = out, .err = err };
	int r;

	__builtin_memset(err, 0, sizeof(*err));
	out->revision_id = env->revision_id;
	out->region_size = env->region_size;
	out->launch_state_offset = VMCSINFO_NO_OFFSET;
	out->launch_state_size = 0;
	out->abort_offset = ABORT_OFFSET;
	out->methods = 0;
	out->mismatches = 0;
	out->flags = 0;
	out->nfields = 0;
	__builtin_memset(&out->counts, 0, sizeof(out->counts));
	p.stage = "setup";
	if (!env_ok(env, out))
		return fail(&p, VMCSINFO_PE_ARGS, NULL, 0, 0, 0);
	p.region_bits = env->region_size * 8;
	carve_work(&p);

	/* A fresh region is made clear before its first VMPTRLD. */
	fill_const(&p, 0);
	r = do_vmclear(&p);
	if (!r)
		r = sweep(&p);
	if (!r)
		r = read_method(&p);
	if (!r)
		r = launch_state(&p);
	if (!r)
		r = write_method(&p);
	if (r) {
		/* Leave the region inactive whatever happened. */
		env->ops->vmclear(env->ctx, env->region_pa);
		out->counts.vmclear++;
	}
	return r;
}

static const char *probe_err_text(int code)
{
	switch (code) {
	case VMCSINFO_PE_OK:
		return "no error";
	case VMCSINFO_PE_ARGS:
		return "bad probe arguments (region size, alignment or workspace)";
	case VMCSINFO_PE_VMFAIL:
		return "VMX instruction failed";
	case VMCSINFO_PE_NOSPC:
		return "more fields than the layout has room for";
	case VMCSINFO_PE_NOTBITS:
		return "VMREAD bit is not a copy of one region bit";
	default:
		return "unknown probe error";
	}
}

static void put_str(char *buf, size_t len, size_t *pos, const char *s)
{
	while (*s && *pos + 1 < len)
		buf[(*pos)++] = *s++;
	buf[*pos] = 0;
}

static void put_hex(char *buf, size_t len, size_t *pos, u32 v)
{
	char tmp[11];
	int i;

	tmp[0] = '0';
	tmp[1] = 'x';
	for (i = 0; i < 8; i++)
		tmp[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
	tmp[10] = 0;
	put_str(buf, len, pos, tmp);
}

static void put_dec(char *buf, size_t len, size_t *pos, int v)
{
	char tmp[12];
	unsigned int u = v < 0 ? 0u - (unsigned int)v : (unsigned int)v;
	int i = 11;

	tmp[i] = 0;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--i] = '-';
	put_str(buf, len, pos, tmp + i);
}

void vmcsinfo_probe_strerror(const struct vmcsinfo_probe_error *err,
			     char *buf, size_t len)
{
	size_t pos = 0;

	if (!len)
		return;
	buf[0] = 0;
	put_str(buf, len, &pos, err->stage ? err->stage : "probe");
	put_str(buf, len, &pos, ": ");
	put_str(buf, len, &pos, probe_err_text(err->code));
	if (err->insn) {
		put_str(buf, len, &pos, ": ");
		put_str(buf, len, &pos, err->insn);
		if (err->vmresult == VMCSINFO_VM_FAIL_INVALID) {
			put_str(buf, len, &pos, " VMfailInvalid");
		} else if (err->vmresult == VMCSINFO_VM_FAULT) {
			put_str(buf, len, &pos, " faulted (#UD/#GP)");
		} else {
			put_str(buf, len, &pos, " VM-instruction error ");
			put_dec(buf, len, &pos, err->vmresult);
		}
	}
	if (err->encoding || err->code == VMCSINFO_PE_NOTBITS) {
		put_str(buf, len, &pos, " (field ");
		put_hex(buf, len, &pos, err->encoding);
		if (err->code == VMCSINFO_PE_NOTBITS) {
			put_str(buf, len, &pos, " bit ");
			put_dec(buf, len, &pos, (int)err->bit);
		}
		put_str(buf, len, &pos, ")");
	}
}
