// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A check of each page descriptor of a kdump-compressed file before
 * libkdumpfile reads the page.
 *
 * libkdumpfile 0.5.1 (Debian 12) trusts the size in a page descriptor:
 * a corrupt one makes it copy or decompress past its page buffer (found
 * by mutating test dumps under AddressSanitizer).  Dumps are untrusted,
 * so the descriptor is checked here first: it must lie inside the file,
 * its data too, and its size must be a page (stored) or at most a page
 * (compressed; makedumpfile stores a page uncompressed when compression
 * does not make it smaller).
 *
 * Format facts (makedumpfile diskdump_mod.h, as read by libkdumpfile
 * diskdump.c): after the header block and sub_hdr_size blocks come
 * bitmap_blocks blocks of bitmap, two halves when they hold twice
 * max_mapnr bits; the second half marks the pages in the file.  Then one
 * 24-byte descriptor (u64 offset, u32 size, u32 flags, u64 page_flags)
 * per marked page, in pfn order.  A descriptor's index is the number of
 * marked pages below it: ranks of 4096-page groups are counted once at
 * open (8 bytes per 16 MiB of memory), the rest is counted on demand,
 * from the previous page's count when pages come in order (a scan).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump_internal.h"

#define GROUP_PFNS	4096u
#define GROUP_BYTES	(GROUP_PFNS / 8)
#define DESC_SIZE	24u
#define DESC_CACHE	170u		/* descriptors per 4 KiB read */
#define DH_COMPRESSED	(0x1u | 0x2u | 0x4u | 0x20u)	/* zlib lzo snappy zstd */

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t got;

	do
		got = pread(fd, buf, len, (off_t)off);
	while (got < 0 && errno == EINTR);
	return got == (ssize_t)len ? 0 : -1;
}

static unsigned int popcount_bytes(const uint8_t *p, size_t n)
{
	unsigned int c = 0;

	while (n--)
		c += (unsigned int)__builtin_popcount(*p++);
	return c;
}

void kdump_guard_free(struct kdump_guard *g)
{
	free(g->rank);
	memset(g, 0, sizeof(*g));
}

int kdump_guard_init(struct kdump_guard *g, int fd, uint64_t file_size,
		     char *err, size_t errlen)
{
	uint8_t h[464], sh[104], *chunk;
	uint64_t bs, sub_blocks, bm_blocks, max_pfn, bm_bytes, i;
	int32_t version;

	memset(g, 0, sizeof(*g));
	g->fd = fd;
	g->file_size = file_size;
	if (pread_full(fd, h, sizeof(h), 0))
		return dump_fail(err, errlen, "kdump header is truncated");
	version = (int32_t)le(h + 8, 4);
	bs = le(h + 428, 4);
	sub_blocks = le(h + 432, 4);
	bm_blocks = le(h + 436, 4);
	max_pfn = le(h + 440, 4);
	if (bs != DUMP_PAGE_SIZE)
		return dump_fail(err, errlen, "kdump block size %llu is not 4096",
				 (unsigned long long)bs);
	if (version >= 6 && pread_full(fd, sh, sizeof(sh), bs) == 0 &&
	    le(sh + 96, 8))
		max_pfn = le(sh + 96, 8);
	/* Bits of one bitmap half, when there are two, cover max_pfn. */
	bm_bytes = bm_blocks * bs;
	g->bitmap_off = (1 + sub_blocks) * bs;
	if (max_pfn <= bm_bytes * 8 / 2) {
		bm_bytes /= 2;
		g->bitmap_off += bm_bytes;
	}
	g->desc_off = (1 + sub_blocks + bm_blocks) * bs;
	if (max_pfn > bm_bytes * 8)
		max_pfn = bm_bytes * 8;
	if (g->desc_off > file_size || g->bitmap_off + bm_bytes > file_size)
		return dump_fail(err, errlen, "kdump bitmap ends past the end of the file");
	g->max_pfn = max_pfn;
	g->ngroups = (max_pfn + GROUP_PFNS - 1) / GROUP_PFNS;
	g->rank = calloc(g->ngroups + 1, sizeof(*g->rank));
	chunk = malloc(64 * GROUP_BYTES);
	if (!g->rank || !chunk) {
		free(chunk);
		return dump_fail(err, errlen, "out of memory");
	}
	for (i = 0; i < g->ngroups; i += 64) {
		uint64_t n = g->ngroups - i < 64 ? g->ngroups - i : 64, k;

		if (pread_full(fd, chunk, n * GROUP_BYTES,
			       g->bitmap_off + i * GROUP_BYTES)) {
			free(chunk);
			return dump_fail(err, errlen, "kdump bitmap cannot be read");
		}
		for (k = 0; k < n; k++)
			g->rank[i + k + 1] = g->rank[i + k] +
				popcount_bytes(chunk + k * GROUP_BYTES, GROUP_BYTES);
	}
	free(chunk);
	g->group = UINT64_MAX;
	g->desc_first = UINT64_MAX;
	g->rank_pfn = UINT64_MAX;
	return 0;
}

static bool bit_set(const uint8_t *bits, unsigned int bit)
{
	return bits[bit / 8] >> (bit % 8) & 1;
}

/* Marked pages below pfn, whose group is in g->bits. */
static uint64_t rank_of(struct kdump_guard *g, uint64_t pfn)
{
	unsigned int bit = (unsigned int)(pfn % GROUP_PFNS), b;
	uint64_t below;

	/* A scan asks for pfn, pfn + 1, ...: count from the last answer. */
	if (g->rank_pfn <= pfn && pfn - g->rank_pfn <= 64 &&
	    g->rank_pfn / GROUP_PFNS == pfn / GROUP_PFNS) {
		below = g->rank_below;
		for (b = (unsigned int)(g->rank_pfn % GROUP_PFNS); b < bit; b++)
			below += bit_set(g->bits, b);
	} else {
		below = g->rank[pfn / GROUP_PFNS] + popcount_bytes(g->bits, bit / 8) +
			(unsigned int)__builtin_popcount(g->bits[bit / 8] &
							 ((1u << (bit % 8)) - 1));
	}
	g->rank_pfn = pfn;
	g->rank_below = below;
	return below;
}

int kdump_guard_check(struct kdump_guard *g, uint64_t pfn, char *err,
		      size_t errlen)
{
	uint64_t group = pfn / GROUP_PFNS, idx, pos, off, size, flags;
	unsigned int bit = (unsigned int)(pfn % GROUP_PFNS);
	const uint8_t *d;

	if (!g->rank || pfn >= g->max_pfn)
		return 0;	/* not in the file: libkdumpfile says NODATA */
	if (group != g->group) {
		g->group = UINT64_MAX;
		g->rank_pfn = UINT64_MAX;
		if (pread_full(g->fd, g->bits, GROUP_BYTES,
			       g->bitmap_off + group * GROUP_BYTES))
			return dump_fail(err, errlen, "kdump bitmap cannot be read");
		g->group = group;
	}
	if (!bit_set(g->bits, bit))
		return 0;
	idx = rank_of(g, pfn);
	if (idx < g->desc_first || idx >= g->desc_first + g->desc_n) {
		size_t n = DESC_CACHE;

		pos = g->desc_off + idx * DESC_SIZE;
		if (pos + DESC_SIZE > g->file_size)
			return dump_fail(err, errlen, "page descriptor of pfn 0x%llx is beyond the end of the file",
					 (unsigned long long)pfn);
		if ((g->file_size - pos) / DESC_SIZE < n)
			n = (size_t)((g->file_size - pos) / DESC_SIZE);
		if (pread_full(g->fd, g->desc, n * DESC_SIZE, pos))
			return dump_fail(err, errlen, "page descriptor of pfn 0x%llx cannot be read",
					 (unsigned long long)pfn);
		g->desc_first = idx;
		g->desc_n = n;
	}
	d = g->desc + (idx - g->desc_first) * DESC_SIZE;
	off = le(d, 8);
	size = le(d + 8, 4);
	flags = le(d + 12, 4);
	if (!size || off > g->file_size || size > g->file_size - off)
		return dump_fail(err, errlen, "data of pfn 0x%llx (%llu bytes at 0x%llx) is beyond the end of the file",
				 (unsigned long long)pfn, (unsigned long long)size,
				 (unsigned long long)off);
	if ((flags & DH_COMPRESSED) ? size > DUMP_PAGE_SIZE : size != DUMP_PAGE_SIZE)
		return dump_fail(err, errlen, "corrupt page descriptor of pfn 0x%llx: %llu bytes, flags 0x%llx",
				 (unsigned long long)pfn, (unsigned long long)size,
				 (unsigned long long)flags);
	return 0;
}
