// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * kdumpread: the benchmark's baseline for kdump-compressed files: read
 * every present page with libkdumpfile, nothing else.
 *
 *   kdumpread FILE
 *
 * The context is set up as libvmcsinfo sets it up
 * (tools/vmcsinfo-decode/lib/dump_kdump.c): read(2) rather than mmap(2),
 * architecture x86_64 when the file does not say, OS type linux; the
 * present pages come from the file.pagemap bitmap and each is read whole
 * with kdump_read(KDUMP_MACHPHYSADDR).  Prints the number of pages and a
 * checksum of their first bytes (so that nothing is optimised away).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PAGE	4096u

static int fail(kdump_ctx_t *ctx, const char *what, kdump_status s)
{
	fprintf(stderr, "kdumpread: %s: %s\n", what,
		ctx && kdump_get_err(ctx) ? kdump_get_err(ctx) : kdump_strerror(s));
	return 1;
}

int main(int argc, char **argv)
{
	static unsigned char page[PAGE];
	uint64_t pages = 0, sum = 0;
	kdump_addr_t pfn = 0, end;
	kdump_bmp_t *pagemap;
	kdump_attr_t attr;
	kdump_ctx_t *ctx;
	kdump_status s;
	const char *str;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: kdumpread FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	ctx = kdump_new();
	if (!ctx)
		return fail(NULL, "kdump_new", KDUMP_ERR_SYSTEM);
	s = kdump_set_number_attr(ctx, KDUMP_ATTR_FILE_MMAP_POLICY, KDUMP_MMAP_NEVER);
	if (s != KDUMP_OK)
		return fail(ctx, "mmap policy", s);
	s = kdump_open_fd(ctx, fd);
	if (s != KDUMP_OK)
		return fail(ctx, argv[1], s);
	if (kdump_get_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, &str) != KDUMP_OK)
		kdump_set_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, KDUMP_ARCH_X86_64);
	kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux");
	attr.type = KDUMP_BITMAP;
	s = kdump_get_typed_attr(ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr);
	if (s != KDUMP_OK)
		return fail(ctx, "file.pagemap", s);
	pagemap = attr.val.bitmap;
	kdump_bmp_incref(pagemap);
	while (kdump_bmp_find_set(pagemap, &pfn) == KDUMP_OK) {
		end = pfn;
		if (kdump_bmp_find_clear(pagemap, &end) != KDUMP_OK)
			return fail(ctx, "file.pagemap", KDUMP_ERR_CORRUPT);
		for (; pfn < end; pfn++) {
			size_t n = PAGE;

			s = kdump_read(ctx, KDUMP_MACHPHYSADDR, pfn * PAGE, page, &n);
			if (s == KDUMP_ERR_NODATA)
				continue;	/* the bitmap marks pages past max_mapnr */
			if (s != KDUMP_OK || n != PAGE)
				return fail(ctx, "kdump_read", s);
			pages++;
			sum += page[0] | (uint64_t)page[PAGE - 1] << 8;
		}
	}
	printf("%" PRIu64 " pages read, checksum %" PRIu64 "\n", pages, sum);
	kdump_bmp_decref(pagemap);
	kdump_free(ctx);
	return 0;
}
