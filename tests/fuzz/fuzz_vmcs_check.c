// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: the VMCS candidate checks (vmcs_check.c) and the
 * page walks they make (pagewalk.c) over a dump.
 *
 * Input: a raw physical-memory image (padded to one page).  Each of its
 * first pages is judged as a candidate with the built-in layouts of its
 * revision (or, when none has it, one chosen by the page's index): with
 * and without the dump, with the direct map unknown (found through
 * HOST_CR3) and given.  HOST_CR3 is also walked
 * directly, 4- and 5-level.
 */
#include <stdint.h>

#include "fuzz_util.h"

#define MAX_PAGES	8
#define DIRECT_MAP	0xffff888000000000ull
#define ENC_HOST_CR3	0x00006c02u

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_builtin();
	return 0;
}

static void check_report(const struct vmcsinfo_check_report *r)
{
	int i;

	FUZZ_ASSERT(r->passed + r->failed + r->skipped == VMCSINFO_NR_CHECKS);
	for (i = 0; i < VMCSINFO_NR_CHECKS; i++) {
		FUZZ_ASSERT(r->result[i] <= VMCSINFO_CHECK_FAIL);
		FUZZ_ASSERT(memchr(r->detail[i], 0, sizeof(r->detail[i])));
		FUZZ_ASSERT(vmcsinfo_check_name(i));
	}
	FUZZ_ASSERT(!r->is_vmcs || !r->failed);
}

static bool layout_fits(const struct fuzz_layouts *b, size_t i,
			const uint8_t *page, uint64_t paddr)
{
	uint32_t rev = (page[0] | page[1] << 8 | page[2] << 16 |
			(uint32_t)page[3] << 24) & 0x7fffffffu;
	size_t k;

	for (k = 0; k < b->n; k++)
		if (vmcsinfo_note_get_header(b->note[k])->revision_id == rev)
			return vmcsinfo_note_get_header(b->note[i])->revision_id == rev;
	return i == paddr / FUZZ_PAGE % b->n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_layouts *b = fuzz_builtin();
	struct vmcsinfo_dump *d;
	struct vmcsinfo_check_env env[3];
	char err[256];
	uint64_t max, p;

	if (vmcsinfo_dump_open(fuzz_file(data, size, FUZZ_PAGE), VMCSINFO_DUMP_RAW,
			       &d, err, sizeof(err))) {
		fuzz_check_message(err, sizeof(err));
		return 0;
	}
	max = vmcsinfo_dump_max_addr(d);
	memset(env, 0, sizeof(env));
	env[0].max_paddr = max;
	env[1].dump = d;
	env[1].max_paddr = max;
	env[2] = env[1];
	env[2].have_direct_map = true;
	env[2].direct_map = DIRECT_MAP;
	for (p = 0; p < max && p < MAX_PAGES * FUZZ_PAGE; p += FUZZ_PAGE) {
		uint8_t *page = malloc(FUZZ_PAGE);
		size_t i, e;

		if (!page)
			break;
		if (vmcsinfo_dump_read(d, p, page, FUZZ_PAGE, err, sizeof(err)) !=
		    VMCSINFO_DUMP_OK) {
			free(page);
			continue;
		}
		for (i = 0; i < b->n; i++) {
			struct vmcsinfo_check_report rep;
			uint64_t cr3, base, pa;
			char why[80];
			int la57;

			/* The layouts of its revision, else one (time). */
			if (!layout_fits(b, i, page, p))
				continue;
			for (e = 1; e < 3; e++) {
				FUZZ_ASSERT(vmcsinfo_vmcs_check(b->note[i], page, FUZZ_PAGE,
								p, &env[e], &rep) == 0);
				check_report(&rep);
			}
			FUZZ_ASSERT(vmcsinfo_vmcs_check(b->note[i], page, FUZZ_PAGE, p,
							&env[0], &rep) == 0);
			check_report(&rep);
			FUZZ_ASSERT(rep.result[VMCSINFO_CHECK_HOST_MAPPING] ==
				    VMCSINFO_CHECK_SKIPPED);
			if (vmcsinfo_note_read_field(b->note[i], page, FUZZ_PAGE,
						     ENC_HOST_CR3, &cr3))
				continue;
			for (la57 = 0; la57 < 2; la57++) {
				if (vmcsinfo_find_direct_map(d, cr3, la57, &base) == 0)
					/* The kernel half, 1 GiB aligned. */
					FUZZ_ASSERT(base >= (la57 ? 0xff00000000000000ull
								  : 0xffff800000000000ull) &&
						    !(base & ((1ull << 30) - 1)));
				switch (vmcsinfo_pagewalk(d, cr3, la57, DIRECT_MAP + p, &pa,
							  why, sizeof(why))) {
				case VMCSINFO_WALK_MAPPED:
					break;
				case VMCSINFO_WALK_UNMAPPED:
				case VMCSINFO_WALK_NODATA:
					FUZZ_ASSERT(memchr(why, 0, sizeof(why)));
					break;
				default:
					FUZZ_ASSERT(0);
				}
			}
		}
		free(page);
	}
	vmcsinfo_dump_close(d);
	return 0;
}
