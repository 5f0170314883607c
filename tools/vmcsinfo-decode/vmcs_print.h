/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Printing a VMCS region decoded with a layout: every field by name,
 * grouped as the SDM groups them, with structured values spelled out.
 * Shared by `page` and `scan`.
 */
#ifndef VMCSINFO_DECODE_VMCS_PRINT_H
#define VMCSINFO_DECODE_VMCS_PRINT_H

#include <stdio.h>

#include "json.h"
#include "libvmcsinfo.h"

/* What the first bytes of a region say, per the layout. */
struct vmcs_header {
	uint32_t revision_id;		/* bits 30:0 of dword 0 */
	bool shadow;			/* bit 31 */
	uint32_t abort_indicator;
	bool have_launch_state;
	uint64_t launch_state;
};

void vmcs_read_header(const struct vmcsinfo_note *note, const uint8_t *region,
		      struct vmcs_header *h);
/* "clear", "launched" or "0x..." into buf. */
const char *vmcs_launch_state_name(const struct vmcs_header *h, char *buf,
				   size_t len);

/* A field value read with the layout; false when the layout lacks it. */
bool vmcs_field(const struct vmcsinfo_note *note, const uint8_t *region,
		uint32_t encoding, uint64_t *value);

/* One line per field, in four groups, each line starting with indent. */
void vmcs_print_text(FILE *fp, const struct vmcsinfo_note *note,
		     const uint8_t *region, const char *indent);
/* The "fields" and "decoded" members of the current JSON object. */
void vmcs_print_json(struct json *j, const struct vmcsinfo_note *note,
		     const uint8_t *region);
/* A short human-readable decoding of one value into buf ("" if none). */
const char *vmcs_decode_text(uint32_t encoding, uint64_t value, char *buf,
			     size_t len);

/* "checks" ({"name": "pass"|"fail"|"skipped"}) and "check_details". */
void checks_json(struct json *j, const struct vmcsinfo_check_report *r);

#endif
