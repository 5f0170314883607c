// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * IA-32e paging (SDM Vol. 3A, 4.5) through a dump's physical memory:
 * translating one address, and finding the kernel's direct map.
 */
#include <stdio.h>
#include <string.h>

#include "dump_internal.h"

#define PTE_PRESENT	0x1ull
#define PTE_PS		0x80ull		/* 1 GiB / 2 MiB page at PDPT / PD */
#define PTE_ADDR	0x000ffffffffff000ull	/* bits 51:12 */
#define TABLE_ENTRIES	512u

static const char *const level_name[] = {
	NULL, "PT", "PD", "PDPT", "PML4", "PML5",
};

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int read_entry(struct vmcsinfo_dump *d, uint64_t table,
		      unsigned int idx, uint64_t *e)
{
	uint8_t b[8];
	char err[8];

	if (vmcsinfo_dump_read(d, table + idx * 8u, b, 8, err, sizeof(err)))
		return -1;
	*e = le64(b);
	return 0;
}

int vmcsinfo_pagewalk(struct vmcsinfo_dump *d, uint64_t cr3, bool la57,
		      uint64_t va, uint64_t *pa, char *why, size_t whylen)
{
	uint64_t table = cr3 & PTE_ADDR;
	unsigned int level;

	for (level = la57 ? 5 : 4; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		unsigned int idx = (va >> shift) & (TABLE_ENTRIES - 1);
		uint64_t e, span = 1ull << shift;

		if (read_entry(d, table, idx, &e)) {
			snprintf(why, whylen, "%s at 0x%llx is not in the dump",
				 level_name[level], (unsigned long long)table);
			return VMCSINFO_WALK_NODATA;
		}
		if (!(e & PTE_PRESENT)) {
			snprintf(why, whylen, "%s entry %u (at 0x%llx) is not present",
				 level_name[level], idx, (unsigned long long)table);
			return VMCSINFO_WALK_UNMAPPED;
		}
		if (level == 1 || ((level == 2 || level == 3) && (e & PTE_PS))) {
			*pa = (e & PTE_ADDR & ~(span - 1)) | (va & (span - 1));
			return VMCSINFO_WALK_MAPPED;
		}
		table = e & PTE_ADDR;
	}
	snprintf(why, whylen, "no leaf entry");	/* not reached */
	return VMCSINFO_WALK_UNMAPPED;
}

/*
 * What the direct-map search may read, in entries (a table counts as
 * SEARCH_TABLE_COST).  A kernel's direct map is found after a few dozen;
 * hostile tables (every entry pointing back at one table, 5-level) would
 * otherwise make one search read 2^27 entries, for every VMCS candidate.
 */
#define SEARCH_BUDGET		16384u
#define SEARCH_TABLE_COST	8u

static bool spend(unsigned int *budget, unsigned int cost)
{
	if (*budget < cost)
		return false;
	*budget -= cost;
	return true;
}

/*
 * Whether the 1 GiB range of a present PDPT entry e starts with physical
 * address 0: a 1 GiB page at 0, or entry 0 of its PD (and PT) mapping 0.
 */
static bool maps_zero(struct vmcsinfo_dump *d, uint64_t e, unsigned int *budget)
{
	int level;

	for (level = 3; level >= 1; level--) {
		if (level == 1 || (e & PTE_PS))
			return (e & PTE_ADDR & ~((1ull << (12 + 9 * (level - 1))) - 1)) == 0;
		if (!spend(budget, 1) ||
		    read_entry(d, e & PTE_ADDR, 0, &e) || !(e & PTE_PRESENT))
			return false;
	}
	return false;
}

static int search(struct vmcsinfo_dump *d, uint64_t table, unsigned int level,
		  unsigned int first, unsigned int last, uint64_t va,
		  uint64_t *base, unsigned int *budget)
{
	uint8_t t[DUMP_PAGE_SIZE];
	char err[8];
	unsigned int i;

	if (!spend(budget, SEARCH_TABLE_COST) ||
	    vmcsinfo_dump_read(d, table & PTE_ADDR, t, sizeof(t), err, sizeof(err)))
		return -1;
	for (i = first; i <= last; i++) {
		uint64_t e = le64(t + 8 * i);
		uint64_t here = va | (uint64_t)i << (12 + 9 * (level - 1));

		if (!(e & PTE_PRESENT))
			continue;
		if (level == 3) {
			if (maps_zero(d, e, budget)) {
				*base = here;
				return 0;
			}
		} else if (!(e & PTE_PS) &&
			   search(d, e, level - 1, 0, TABLE_ENTRIES - 1, here,
				  base, budget) == 0) {
			return 0;
		}
		if (!*budget)
			return -1;
	}
	return -1;
}

int vmcsinfo_find_direct_map(struct vmcsinfo_dump *d, uint64_t cr3,
			     bool la57, uint64_t *base)
{
	/*
	 * The kernel half, sign-extended, without the last top-level
	 * entry: that one holds the kernel text mapping, which maps
	 * physical 0 too when the kernel was not relocated.
	 */
	uint64_t va = la57 ? 0xfe00000000000000ull : 0xffff000000000000ull;
	unsigned int budget = SEARCH_BUDGET;

	return search(d, cr3, la57 ? 5 : 4, 256, TABLE_ENTRIES - 2, va, base,
		      &budget);
}
