/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The VMCS field table: one entry per field encoding of the Intel SDM,
 * Vol. 3, Appendix B ("Field Encoding in VMCS"), including the _HIGH
 * halves of 64-bit fields.  The entries live in fields.def, the single
 * source of truth used by the module, the tools and the tests.
 *
 * A VMCS field encoding (SDM Vol. 3, "Field Encoding in VMCS"):
 *   bit 0       access type (0 = full, 1 = high; 1 only for 64-bit fields)
 *   bits 9:1    index
 *   bits 11:10  type (0 control, 1 read-only data, 2 guest state, 3 host state)
 *   bit 12      reserved (0)
 *   bits 14:13  width (0 16-bit, 1 64-bit, 2 32-bit, 3 natural width)
 *   bit 15      reserved (0)
 *   bits 31:16  reserved (0)
 */
#ifndef VMCSINFO_FIELDS_H
#define VMCSINFO_FIELDS_H

#include "types.h"

/* Width as declared in the table (the encoding's bits 14:13). */
enum vmcsinfo_width {
	VMCSINFO_W_16 = 0,
	VMCSINFO_W_64 = 1,
	VMCSINFO_W_32 = 2,
	VMCSINFO_W_NAT = 3,
};

/* Type as declared in the table (the encoding's bits 11:10). */
enum vmcsinfo_type {
	VMCSINFO_T_CTRL = 0,
	VMCSINFO_T_RODATA = 1,
	VMCSINFO_T_GUEST = 2,
	VMCSINFO_T_HOST = 3,
};

struct vmcsinfo_field {
	u32 encoding;
	u8 width;		/* enum vmcsinfo_width */
	u8 type;		/* enum vmcsinfo_type */
	const char *name;	/* Linux enum vmcs_field style */
	const char *desc;	/* short description, SDM wording */
};

#define VMCSINFO_ENC_HIGH		0x1u
#define VMCSINFO_ENC_INDEX_SHIFT	1
#define VMCSINFO_ENC_INDEX_MASK		0x3feu
#define VMCSINFO_ENC_TYPE_SHIFT		10
#define VMCSINFO_ENC_WIDTH_SHIFT	13
#define VMCSINFO_ENC_RESERVED		0xffff9000u
/* Number of encodings with every reserved bit clear: bits 0-11, 13, 14. */
#define VMCSINFO_ENC_SPACE		16384u

static inline u32 vmcsinfo_enc_width(u32 enc)
{
	return (enc >> VMCSINFO_ENC_WIDTH_SHIFT) & 3;
}

static inline u32 vmcsinfo_enc_type(u32 enc)
{
	return (enc >> VMCSINFO_ENC_TYPE_SHIFT) & 3;
}

static inline bool vmcsinfo_enc_is_high(u32 enc)
{
	return enc & VMCSINFO_ENC_HIGH;
}

/*
 * Number of bits VMREAD returns for an encoding on a 64-bit processor:
 * natural-width fields are 64 bits wide, _HIGH halves 32.
 */
static inline unsigned int vmcsinfo_enc_bits(u32 enc)
{
	switch (vmcsinfo_enc_width(enc)) {
	case VMCSINFO_W_16:
		return 16;
	case VMCSINFO_W_32:
		return 32;
	default:
		return vmcsinfo_enc_is_high(enc) ? 32 : 64;
	}
}

/* The i-th encoding of the swept space, i < VMCSINFO_ENC_SPACE. */
static inline u32 vmcsinfo_enc_from_space_index(u32 i)
{
	return (i & 0xfffu) | ((i & 0x3000u) << 1);
}

extern const struct vmcsinfo_field vmcsinfo_fields[];
extern const unsigned int vmcsinfo_nr_fields;

/* Table entry for an encoding, or NULL when the table does not know it. */
const struct vmcsinfo_field *vmcsinfo_field_by_encoding(u32 encoding);
/* Table entry by exact name, or NULL. */
const struct vmcsinfo_field *vmcsinfo_field_by_name(const char *name);

#endif /* VMCSINFO_FIELDS_H */
