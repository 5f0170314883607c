// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The VMCS field table, expanded from include/vmcsinfo/fields.def.
 *
 * Kept sorted by encoding in the .def file (the table test checks it), so
 * lookups by encoding are a binary search.
 */
#include "vmcsinfo/fields.h"

#define VMCSINFO_WIDTH_16	VMCSINFO_W_16
#define VMCSINFO_WIDTH_32	VMCSINFO_W_32
#define VMCSINFO_WIDTH_64	VMCSINFO_W_64
#define VMCSINFO_WIDTH_NAT	VMCSINFO_W_NAT

#define VMCS_FIELD(enc, name, width, type, desc)			\
	{ enc, VMCSINFO_WIDTH_##width, VMCSINFO_T_##type, #name, desc },

const struct vmcsinfo_field vmcsinfo_fields[] = {
#include "vmcsinfo/fields.def"
};

#undef VMCS_FIELD

const unsigned int vmcsinfo_nr_fields = ARRAY_SIZE(vmcsinfo_fields);

const struct vmcsinfo_field *vmcsinfo_field_by_encoding(u32 encoding)
{
	unsigned int lo = 0, hi = vmcsinfo_nr_fields;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		u32 e = vmcsinfo_fields[mid].encoding;

		if (e == encoding)
			return &vmcsinfo_fields[mid];
		if (e < encoding)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool name_equal(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

const struct vmcsinfo_field *vmcsinfo_field_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < vmcsinfo_nr_fields; i++)
		if (name_equal(vmcsinfo_fields[i].name, name))
			return &vmcsinfo_fields[i];
	return NULL;
}
