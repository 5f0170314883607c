/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * libvmcsinfo: read VMCSINFO notes (docs/note-format.md) and decode VMCS
 * regions with the layout they describe.
 *
 * Only <stdint.h> types appear here, so the header can be included next to
 * other projects' headers (crash's defs.h defines its own u64).  Every
 * function that reads caller-supplied bytes checks every length first;
 * error messages are one line, without a trailing newline.
 */
#ifndef LIBVMCSINFO_H
#define LIBVMCSINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMCSINFO_MAP_BIT_CONST0	(-1)
#define VMCSINFO_MAP_BIT_CONST1	(-2)

/* A decoded VMCSINFO note (opaque). */
struct vmcsinfo_note;

/* The note's header, in host byte order. */
struct vmcsinfo_note_header {
	uint16_t version;
	uint32_t desc_size;
	uint32_t crc32;
	uint64_t note_paddr;
	uint32_t revision_id;
	uint32_t region_size;
	uint32_t cpuid_signature;
	uint32_t microcode;
	char vendor[13];
	uint32_t source;		/* 1 module, 2 simulator, 3 database */
	uint32_t methods;		/* bit 0 read, bit 1 write */
	uint32_t mismatches;
	uint32_t flags;
	uint32_t launch_state_offset;	/* 0xffffffff: unknown */
	uint32_t launch_state_size;
	uint32_t abort_offset;
	uint32_t nr_cpus;
	uint32_t vmptrld_count;
	uint32_t vmclear_count;
	uint32_t vmread_count;
	uint32_t vmwrite_count;
	uint32_t probe_usecs;
	uint32_t msr_valid;
	uint64_t msrs[20];		/* MSR 0x480 + i */
	uint32_t nfields;
};

/* One field of a layout. */
struct vmcsinfo_field_desc {
	uint32_t encoding;
	const char *name;		/* NULL when the field table lacks it */
	const char *description;	/* NULL likewise */
	unsigned int nbits;		/* VMREAD width: 16, 32 or 64 */
	uint32_t flags;			/* VMCSINFO_FF_* of layout.h */
	bool plain;			/* stored little-endian at offset */
	uint32_t offset, size;		/* bytes, when plain */
	int16_t map[64];		/* region bit, or VMCSINFO_MAP_BIT_* */
};

/*
 * Parse a complete note (ELF note header, name, desc) of len bytes.
 * Returns 0 and *out, or -1 with a message in err.
 */
int vmcsinfo_note_parse(const void *buf, size_t len,
			struct vmcsinfo_note **out, char *err, size_t errlen);
void vmcsinfo_note_free(struct vmcsinfo_note *note);

const struct vmcsinfo_note_header *
vmcsinfo_note_get_header(const struct vmcsinfo_note *note);

/* Field idx (0 .. nfields-1, sorted by encoding); -1 when out of range. */
int vmcsinfo_note_field(const struct vmcsinfo_note *note, uint32_t idx,
			struct vmcsinfo_field_desc *out);
/* Index of an encoding, or -1 when the layout has no such field. */
int vmcsinfo_note_find(const struct vmcsinfo_note *note, uint32_t encoding);

/*
 * The value VMREAD of encoding would give for a VMCS region image
 * (len must be at least the layout's region size).  0 or -1.
 */
int vmcsinfo_note_read_field(const struct vmcsinfo_note *note,
			     const uint8_t *region, size_t len,
			     uint32_t encoding, uint64_t *value);

/* Name of a field encoding from the field table, or NULL. */
const char *vmcsinfo_field_name(uint32_t encoding);

#ifdef __cplusplus
}
#endif

#endif /* LIBVMCSINFO_H */
