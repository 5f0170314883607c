// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Operations on a bit-exact VMCS layout (struct vmcsinfo_layout): lookup,
 * recognising plain little-endian fields, and moving a field's value
 * between a region image and its VMREAD form.
 */
#include "vmcsinfo/layout.h"

const struct vmcsinfo_field_map *
vmcsinfo_layout_find(const struct vmcsinfo_layout *l, u32 encoding)
{
	u32 lo = 0, hi = l->nfields;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		u32 e = l->fields[mid].encoding;

		if (e == encoding)
			return &l->fields[mid];
		if (e < encoding)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool vmcsinfo_map_is_plain(const struct vmcsinfo_field_map *f,
			   u32 *offset, u32 *size)
{
	s32 base = f->map[0];
	unsigned int n = 0, i;

	if (base < 0 || base % 8)
		return false;
	while (n < f->nbits && f->map[n] == base + (s32)n)
		n++;
	if (n % 8)
		return false;
	for (i = n; i < f->nbits; i++)
		if (f->map[i] != VMCSINFO_MAP_CONST0)
			return false;
	*offset = (u32)base / 8;
	*size = n / 8;
	return true;
}

static bool region_bit(const u8 *region, u32 bit)
{
	return (region[bit / 8] >> (bit % 8)) & 1;
}

u64 vmcsinfo_map_extract(const struct vmcsinfo_field_map *f,
			 const u8 *region, u32 region_size)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < f->nbits && i < VMCSINFO_MAX_BITS; i++) {
		s32 m = f->map[i];

		if (m == VMCSINFO_MAP_CONST1)
			v |= 1ULL << i;
		else if (m >= 0 && (u32)m < region_size * 8 &&
			 region_bit(region, (u32)m))
			v |= 1ULL << i;
	}
	return v;
}

void vmcsinfo_map_deposit(const struct vmcsinfo_field_map *f,
			  u8 *region, u32 region_size, u64 value)
{
	unsigned int i;

	for (i = 0; i < f->nbits && i < VMCSINFO_MAX_BITS; i++) {
		s32 m = f->map[i];
		u8 mask;

		if (m < 0 || (u32)m >= region_size * 8)
			continue;
		mask = (u8)(1u << (m % 8));
		if ((value >> i) & 1)
			region[m / 8] |= mask;
		else
			region[m / 8] &= (u8)~mask;
	}
}
