// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Every field of a VMCS region by name, grouped as the SDM does
 * (controls, guest state, host state, VM-exit information), with
 * control bits, exit reasons, event information, segment access rights,
 * activity and interruptibility state and the EPTP spelled out.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "vmcs_print.h"
#include "vmcsinfo/fields.h"
#include "vmcsinfo/layout.h"

static const char *const group_title[4] = {
	[VMCSINFO_T_CTRL] = "Control fields",
	[VMCSINFO_T_GUEST] = "Guest-state fields",
	[VMCSINFO_T_HOST] = "Host-state fields",
	[VMCSINFO_T_RODATA] = "VM-exit information fields",
};
/* SDM order: controls, guest state, host state, exit information. */
static const unsigned int group_order[4] = {
	VMCSINFO_T_CTRL, VMCSINFO_T_GUEST, VMCSINFO_T_HOST, VMCSINFO_T_RODATA,
};

static const char *const exception_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", NULL,
	"#TS", "#NP", "#SS", "#GP", "#PF", NULL, "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL,
};

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

void vmcs_read_header(const struct vmcsinfo_note *note, const uint8_t *region,
		      struct vmcs_header *h)
{
	const struct vmcsinfo_note_header *nh = vmcsinfo_note_get_header(note);
	uint32_t d0 = (uint32_t)le(region, 4);

	memset(h, 0, sizeof(*h));
	h->revision_id = d0 & 0x7fffffffu;
	h->shadow = d0 >> 31;
	if (nh->abort_offset <= nh->region_size - 4)
		h->abort_indicator = (uint32_t)le(region + nh->abort_offset, 4);
	if (nh->launch_state_offset != VMCSINFO_NO_OFFSET &&
	    nh->launch_state_size >= 1 && nh->launch_state_size <= 8 &&
	    nh->launch_state_offset <= nh->region_size - nh->launch_state_size) {
		h->have_launch_state = true;
		h->launch_state = le(region + nh->launch_state_offset,
				     nh->launch_state_size);
	}
}

const char *vmcs_launch_state_name(const struct vmcs_header *h, char *buf,
				   size_t len)
{
	if (!h->have_launch_state)
		snprintf(buf, len, "unknown");
	else if (h->launch_state == 0)
		snprintf(buf, len, "clear");
	else if (h->launch_state == 1)
		snprintf(buf, len, "launched");
	else
		snprintf(buf, len, "0x%" PRIx64, h->launch_state);
	return buf;
}

bool vmcs_field(const struct vmcsinfo_note *note, const uint8_t *region,
		uint32_t encoding, uint64_t *value)
{
	const struct vmcsinfo_note_header *nh = vmcsinfo_note_get_header(note);

	return vmcsinfo_note_read_field(note, region, nh->region_size,
					encoding, value) == 0;
}

/* Appends to a bounded buffer; stops quietly when it is full. */
struct sbuf {
	char *p;
	size_t len, pos;
};

__attribute__((format(printf, 2, 3)))
static void sb_add(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->pos >= s->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->p + s->pos, s->len - s->pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->pos += (size_t)n;
}

static void flags_text(struct sbuf *s, uint32_t enc, uint64_t v)
{
	uint64_t d1 = vmcsinfo_value_default1(enc), rest = v & ~d1;
	const struct vmcsinfo_bit_name *b;
	size_t n, i;
	unsigned int bit;

	b = vmcsinfo_value_bits(enc, &n);
	for (i = 0; i < n; i++) {
		if (v >> b[i].bit & 1)
			sb_add(s, "%s%s", s->pos ? " " : "", b[i].name);
		rest &= ~(1ull << b[i].bit);
	}
	for (bit = 0; bit < 64; bit++)
		if (rest >> bit & 1)
			sb_add(s, "%sbit%u", s->pos ? " " : "", bit);
}

static const char *vector_name(unsigned int type, unsigned int vector)
{
	/* Exceptions: hardware, privileged software, software. */
	if ((type == 3 || type == 5 || type == 6) && vector < 32)
		return exception_names[vector];
	return NULL;
}

const char *vmcs_decode_text(uint32_t enc, uint64_t v, char *buf, size_t len)
{
	struct sbuf s = { buf, len, 0 };
	const struct vmcsinfo_bit_name *b;
	const char *name;
	size_t n, i;

	buf[0] = 0;
	switch (vmcsinfo_value_kind(enc)) {
	case VMCSINFO_VAL_FLAGS:
		flags_text(&s, enc, v);
		break;
	case VMCSINFO_VAL_EXIT_REASON:
		name = vmcsinfo_exit_reason_name(v & 0xffff);
		if (name)
			sb_add(&s, "%s", name);
		else
			sb_add(&s, "basic reason %u", (unsigned int)(v & 0xffff));
		b = vmcsinfo_exit_reason_flags(&n);
		for (i = 0; i < n; i++)
			if (v >> b[i].bit & 1)
				sb_add(&s, " %s", b[i].name);
		break;
	case VMCSINFO_VAL_INTR_INFO: {
		unsigned int type = (v >> 8) & 7, vec = v & 0xff;

		if (!(v >> 31 & 1)) {
			sb_add(&s, "not valid");
			break;
		}
		name = vector_name(type, vec);
		sb_add(&s, "vector %u%s%s%s, %s", vec, name ? " (" : "",
		       name ? name : "", name ? ")" : "",
		       vmcsinfo_intr_type_name(type) ?
		       vmcsinfo_intr_type_name(type) : "reserved type 1");
		if (v >> 11 & 1)
			sb_add(&s, ", error code valid");
		if (v >> 12 & 1)
			sb_add(&s, ", NMI unblocking due to IRET");
		break;
	}
	case VMCSINFO_VAL_ACCESS_RIGHTS:
		if (v >> 16 & 1) {
			sb_add(&s, "unusable");
			break;
		}
		sb_add(&s, "type 0x%x (%s) S=%u DPL=%u P=%u AVL=%u L=%u D/B=%u G=%u",
		       (unsigned int)(v & 15),
		       vmcsinfo_segment_type_name(v & 15, v >> 4 & 1),
		       (unsigned int)(v >> 4 & 1), (unsigned int)(v >> 5 & 3),
		       (unsigned int)(v >> 7 & 1), (unsigned int)(v >> 12 & 1),
		       (unsigned int)(v >> 13 & 1), (unsigned int)(v >> 14 & 1),
		       (unsigned int)(v >> 15 & 1));
		break;
	case VMCSINFO_VAL_ACTIVITY:
		name = vmcsinfo_activity_state_name((uint32_t)v);
		sb_add(&s, "%s", name ? name : "unknown state");
		break;
	case VMCSINFO_VAL_EPTP:
		name = vmcsinfo_memory_type_name(v & 7);
		sb_add(&s, "%s, %u-level walk%s, root at 0x%" PRIx64,
		       name ? name : "bad memory type",
		       (unsigned int)((v >> 3 & 7) + 1),
		       v >> 6 & 1 ? ", A/D flags" : "",
		       (uint64_t)(v & 0x000ffffffffff000ull));
		break;
	case VMCSINFO_VAL_VM_INSN_ERROR:
		name = v ? vmcsinfo_vm_insn_error_name((uint32_t)v) : "none";
		sb_add(&s, "%s", name ? name : "unknown error");
		break;
	default:
		break;
	}
	return buf;
}

/* The _HIGH half of a 64-bit field repeats its bits 63:32: skip it. */
static bool redundant_high(const struct vmcsinfo_note *note,
			   const struct vmcsinfo_field_desc *f)
{
	return (f->encoding & VMCSINFO_ENC_HIGH) &&
	       vmcsinfo_enc_width(f->encoding) == VMCSINFO_W_64 &&
	       !(f->flags & VMCSINFO_FF_HIGHDIFF) &&
	       vmcsinfo_note_find(note, f->encoding & ~VMCSINFO_ENC_HIGH) >= 0;
}

static const char *field_key(const struct vmcsinfo_field_desc *f, char *buf,
			     size_t len)
{
	if (f->name)
		return f->name;
	snprintf(buf, len, "0x%08x", f->encoding);
	return buf;
}

void vmcs_print_text(FILE *fp, const struct vmcsinfo_note *note,
		     const uint8_t *region, const char *indent)
{
	struct vmcsinfo_field_desc f;
	unsigned int g;
	uint32_t i;

	for (g = 0; g < 4; g++) {
		bool title = false;

		for (i = 0; vmcsinfo_note_field(note, i, &f) == 0; i++) {
			char key[16], dec[512];
			uint64_t v;

			if (vmcsinfo_enc_type(f.encoding) != group_order[g] ||
			    redundant_high(note, &f) ||
			    !vmcs_field(note, region, f.encoding, &v))
				continue;
			if (!title) {
				fprintf(fp, "%s%s\n", indent, group_title[group_order[g]]);
				title = true;
			}
			fprintf(fp, "%s  %-32s 0x%0*" PRIx64, indent,
				field_key(&f, key, sizeof(key)),
				(int)(f.nbits / 4), v);
			vmcs_decode_text(f.encoding, v, dec, sizeof(dec));
			if (dec[0])
				fprintf(fp, "%*s  %s", (int)(16 - f.nbits / 4), "", dec);
			fputc('\n', fp);
		}
	}
}

static void flags_json(struct json *j, const char *key, uint32_t enc,
		       uint64_t v)
{
	uint64_t d1 = vmcsinfo_value_default1(enc), rest = v & ~d1;
	const struct vmcsinfo_bit_name *b;
	size_t n, i;
	unsigned int bit;

	b = vmcsinfo_value_bits(enc, &n);
	json_obj_open(j, key);
	json_arr_open(j, "flags");
	for (i = 0; i < n; i++) {
		if (v >> b[i].bit & 1)
			json_str(j, NULL, b[i].name);
		rest &= ~(1ull << b[i].bit);
	}
	json_arr_close(j);
	json_arr_open(j, "other_bits");
	for (bit = 0; bit < 64; bit++)
		if (rest >> bit & 1)
			json_uint(j, NULL, bit);
	json_arr_close(j);
	json_obj_close(j);
}

static void decoded_json(struct json *j, const char *key, uint32_t enc,
			 uint64_t v)
{
	const struct vmcsinfo_bit_name *b;
	size_t n, i;

	switch (vmcsinfo_value_kind(enc)) {
	case VMCSINFO_VAL_FLAGS:
		flags_json(j, key, enc, v);
		break;
	case VMCSINFO_VAL_EXIT_REASON:
		json_obj_open(j, key);
		json_uint(j, "basic", v & 0xffff);
		json_str(j, "name", vmcsinfo_exit_reason_name(v & 0xffff));
		json_bool(j, "entry_failure", v >> 31 & 1);
		json_arr_open(j, "flags");
		b = vmcsinfo_exit_reason_flags(&n);
		for (i = 0; i < n; i++)
			if (v >> b[i].bit & 1)
				json_str(j, NULL, b[i].name);
		json_arr_close(j);
		json_obj_close(j);
		break;
	case VMCSINFO_VAL_INTR_INFO:
		json_obj_open(j, key);
		json_bool(j, "valid", v >> 31 & 1);
		json_uint(j, "vector", v & 0xff);
		json_uint(j, "type", v >> 8 & 7);
		json_str(j, "type_name", vmcsinfo_intr_type_name(v >> 8 & 7));
		json_bool(j, "error_code_valid", v >> 11 & 1);
		if (enc != 0x4016)	/* bit 12 is reserved at entry */
			json_bool(j, "nmi_unblocking", v >> 12 & 1);
		json_obj_close(j);
		break;
	case VMCSINFO_VAL_ACCESS_RIGHTS:
		json_obj_open(j, key);
		json_uint(j, "type", v & 15);
		json_str(j, "type_name", vmcsinfo_segment_type_name(v & 15, v >> 4 & 1));
		json_uint(j, "s", v >> 4 & 1);
		json_uint(j, "dpl", v >> 5 & 3);
		json_uint(j, "p", v >> 7 & 1);
		json_uint(j, "avl", v >> 12 & 1);
		json_uint(j, "l", v >> 13 & 1);
		json_uint(j, "db", v >> 14 & 1);
		json_uint(j, "g", v >> 15 & 1);
		json_bool(j, "unusable", v >> 16 & 1);
		json_obj_close(j);
		break;
	case VMCSINFO_VAL_ACTIVITY:
		json_obj_open(j, key);
		json_uint(j, "state", v);
		json_str(j, "name", vmcsinfo_activity_state_name((uint32_t)v));
		json_obj_close(j);
		break;
	case VMCSINFO_VAL_EPTP:
		json_obj_open(j, key);
		json_uint(j, "memory_type", v & 7);
		json_str(j, "memory_type_name", vmcsinfo_memory_type_name(v & 7));
		json_uint(j, "walk_length", (v >> 3 & 7) + 1);
		json_bool(j, "accessed_dirty", v >> 6 & 1);
		json_uint(j, "address", v & 0x000ffffffffff000ull);
		json_obj_close(j);
		break;
	case VMCSINFO_VAL_VM_INSN_ERROR:
		json_obj_open(j, key);
		json_uint(j, "error", v);
		json_str(j, "name", v ? vmcsinfo_vm_insn_error_name((uint32_t)v) : NULL);
		json_obj_close(j);
		break;
	default:
		break;
	}
}

void vmcs_print_json(struct json *j, const struct vmcsinfo_note *note,
		     const uint8_t *region)
{
	struct vmcsinfo_field_desc f;
	char key[16];
	uint64_t v;
	uint32_t i;

	json_obj_open(j, "fields");
	for (i = 0; vmcsinfo_note_field(note, i, &f) == 0; i++)
		if (!redundant_high(note, &f) &&
		    vmcs_field(note, region, f.encoding, &v))
			json_uint(j, field_key(&f, key, sizeof(key)), v);
	json_obj_close(j);
	json_obj_open(j, "decoded");
	for (i = 0; vmcsinfo_note_field(note, i, &f) == 0; i++)
		if (!redundant_high(note, &f) &&
		    vmcsinfo_value_kind(f.encoding) != VMCSINFO_VAL_PLAIN &&
		    vmcs_field(note, region, f.encoding, &v))
			decoded_json(j, field_key(&f, key, sizeof(key)),
				     f.encoding, v);
	json_obj_close(j);
}

void checks_json(struct json *j, const struct vmcsinfo_check_report *r)
{
	int i;

	json_obj_open(j, "checks");
	for (i = 0; i < VMCSINFO_NR_CHECKS; i++)
		json_str(j, vmcsinfo_check_name(i),
			 r->result[i] == VMCSINFO_CHECK_PASS ? "pass" :
			 r->result[i] == VMCSINFO_CHECK_FAIL ? "fail" : "skipped");
	json_obj_close(j);
	json_obj_open(j, "check_details");
	for (i = 0; i < VMCSINFO_NR_CHECKS; i++)
		if (r->detail[i][0])
			json_str(j, vmcsinfo_check_name(i), r->detail[i]);
	json_obj_close(j);
}
