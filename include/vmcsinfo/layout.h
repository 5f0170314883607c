/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * In-memory description of a VMCS layout, bit-exact.
 *
 * For every supported encoding and every bit i of its VMREAD value,
 * map[i] is the region bit that holds it (byte offset * 8 + bit number),
 * or VMCSINFO_MAP_CONST0 / VMCSINFO_MAP_CONST1 when that bit always reads
 * 0 or 1.  Plain little-endian fields reduce to (offset, size); fields kept
 * in a converted form (access rights) need the full map.
 *
 * The probe core produces it, the note encoder serialises it, the note
 * decoder and the simulated CPU's model parser build it.
 */
#ifndef VMCSINFO_LAYOUT_H
#define VMCSINFO_LAYOUT_H

#include "types.h"

#define VMCSINFO_MAP_CONST0	(-1)
#define VMCSINFO_MAP_CONST1	(-2)
#define VMCSINFO_MAX_BITS	64
/* IA32_VMX_BASIC bits 44:32 give at most 4096 bytes. */
#define VMCSINFO_MAX_REGION	4096u
#define VMCSINFO_NO_OFFSET	0xffffffffu

/* struct vmcsinfo_field_map.flags */
#define VMCSINFO_FF_READONLY	0x01	/* VMWRITE gave error 13 */
#define VMCSINFO_FF_UNKNOWN	0x02	/* accepted by the CPU, not in the table */
#define VMCSINFO_FF_WCHECKED	0x04	/* the write method checked it */
#define VMCSINFO_FF_MISMATCH	0x08	/* read and write methods disagree */
#define VMCSINFO_FF_HIGHDIFF	0x10	/* _HIGH half differs from bits 63:32 */

struct vmcsinfo_field_map {
	u32 encoding;
	u8 nbits;		/* VMREAD width in bits: 16, 32 or 64 */
	u8 flags;		/* VMCSINFO_FF_* */
	s16 map[VMCSINFO_MAX_BITS];
};

/* struct vmcsinfo_layout.methods */
#define VMCSINFO_METHOD_READ	0x1	/* patterns in memory, VMREAD back */
#define VMCSINFO_METHOD_WRITE	0x2	/* VMWRITE values, VMCLEAR, compare */

/* struct vmcsinfo_layout.flags */
#define VMCSINFO_LF_VMWRITE_ANY	0x01	/* IA32_VMX_MISC[29]: VMWRITE any field */
#define VMCSINFO_LF_ENUM_EXCEEDED 0x02	/* an index above IA32_VMX_VMCS_ENUM */
#define VMCSINFO_LF_IN_VMX_OP	0x04	/* probed inside existing VMX operation */
#define VMCSINFO_LF_CPUS_AGREE	0x08	/* all online CPUs report the same caps */
#define VMCSINFO_LF_CPUS_DIFFER	0x10	/* some online CPU differs */

struct vmcsinfo_counts {
	u32 vmptrld;		/* VMPTRLD instructions = probe passes */
	u32 vmclear;
	u32 vmread;
	u32 vmwrite;
};

struct vmcsinfo_layout {
	u32 revision_id;
	u32 region_size;
	u32 launch_state_offset;	/* VMCSINFO_NO_OFFSET when not found */
	u32 launch_state_size;
	u32 abort_offset;		/* architectural: 4 */
	u32 methods;			/* VMCSINFO_METHOD_* that ran */
	u32 mismatches;			/* failed read/write cross-checks */
	u32 flags;			/* VMCSINFO_LF_* */
	struct vmcsinfo_counts counts;
	u32 nfields;
	u32 cap;			/* room in fields[] */
	struct vmcsinfo_field_map *fields;	/* sorted by encoding */
};

/* The field map for an encoding, or NULL. */
const struct vmcsinfo_field_map *
vmcsinfo_layout_find(const struct vmcsinfo_layout *l, u32 encoding);

/*
 * If the field is stored plainly (VMREAD bit i in region bit base + i for
 * i < 8 * size, constant 0 above), set *offset and *size (bytes) and
 * return true.
 */
bool vmcsinfo_map_is_plain(const struct vmcsinfo_field_map *f,
			   u32 *offset, u32 *size);

/*
 * VMREAD value of a field from a region image of region_size bytes:
 * what the CPU would return after VMPTRLD of that image.
 */
u64 vmcsinfo_map_extract(const struct vmcsinfo_field_map *f,
			 const u8 *region, u32 region_size);

/* Store value into a region image as VMWRITE + VMCLEAR would. */
void vmcsinfo_map_deposit(const struct vmcsinfo_field_map *f,
			  u8 *region, u32 region_size, u64 value);

#endif /* VMCSINFO_LAYOUT_H */
