// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * kdump-compressed files (makedumpfile -c, -l, -p, -z) and the other
 * formats libkdumpfile reads (LKCD, SADUMP, ...).
 *
 * Reads use KDUMP_MACHPHYSADDR: outside Xen it is the physical address,
 * and unlike KDUMP_KPHYSADDR it needs no translation set up from
 * VMCOREINFO, so dumps with a sparse VMCOREINFO read as well.  (Under Xen
 * machine addresses are what VMPTRLD takes, so they are right there too.)
 * The present pages come from libkdumpfile's file.pagemap bitmap; pages
 * makedumpfile filtered out answer KDUMP_ERR_NODATA.
 *
 * libkdumpfile gives no access to arbitrary ELF notes, so the note area
 * is read here from the kdump sub-header (header_version >= 4).
 */
#include <errno.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump_internal.h"

/* struct disk_dump_header (makedumpfile diskdump_mod.h), x86_64 */
#define DDH_HEADER_VERSION	8
#define DDH_STATUS		424
#define DDH_BLOCK_SIZE		428
#define DDH_SIZE		464
#define DDH_STATUS_INCOMPLETE	0x8
/* struct kdump_sub_header, at file offset block_size */
#define KSH_OFFSET_NOTE		48
#define KSH_SIZE_NOTE		56
#define KSH_SIZE		104

struct kdump_priv {
	kdump_ctx_t *ctx;
	kdump_bmp_t *pagemap;
	int fd;			/* libkdumpfile's copy */
	struct kdump_guard guard;	/* makedumpfile files only */
	unsigned int reopens;	/* kdump_recover() calls */
};

#define KDUMP_MAX_REOPENS	64

static void kdump_teardown(struct kdump_priv *k);
static int kdump_recover(struct vmcsinfo_dump *d, struct kdump_priv *k);

static uint64_t get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/*
 * Whether the file has the page.  libkdumpfile 0.5.1 is not asked for
 * pages it lacks: any failed read, "excluded page" included, can leave
 * its page cache broken (see kdump_recover()).
 */
static bool kdump_has_page(struct kdump_priv *k, uint64_t pfn)
{
	unsigned char bit = 0;

	if (k->guard.rank && pfn >= k->guard.max_pfn)
		return false;
	return kdump_bmp_get_bits(k->pagemap, pfn, pfn, &bit) == KDUMP_OK &&
	       (bit & 1);
}

static int kdump_read_cb(struct vmcsinfo_dump *d, uint64_t paddr, uint8_t *buf,
			 size_t len, char *err, size_t errlen)
{
	struct kdump_priv *k = d->priv;

	while (len) {
		size_t n = DUMP_PAGE_SIZE - (paddr & DUMP_PAGE_MASK);
		kdump_status s;

		if (!k->ctx)
			return dump_fail(err, errlen, "physical 0x%llx: not read, libkdumpfile failed too often on this dump",
					 (unsigned long long)paddr);
		/* One page at a time, each checked before libkdumpfile. */
		if (n > len)
			n = len;
		if (!kdump_has_page(k, paddr / DUMP_PAGE_SIZE))
			return VMCSINFO_DUMP_NODATA;
		if (kdump_guard_check(&k->guard, paddr / DUMP_PAGE_SIZE, err, errlen))
			return VMCSINFO_DUMP_ERROR;
		s = kdump_read(k->ctx, KDUMP_MACHPHYSADDR, paddr, buf, &n);
		if (s != KDUMP_OK || !n) {
			dump_fail(err, errlen, "physical 0x%llx: %s",
				  (unsigned long long)paddr,
				  kdump_get_err(k->ctx) ? kdump_get_err(k->ctx)
							: kdump_strerror(s));
			kdump_recover(d, k);
			return VMCSINFO_DUMP_ERROR;
		}
		buf += n;
		paddr += n;
		len -= n;
	}
	return VMCSINFO_DUMP_OK;
}

static int kdump_next_range(struct vmcsinfo_dump *d, uint64_t addr,
			    struct vmcsinfo_dump_range *r,
			    char *err, size_t errlen)
{
	struct kdump_priv *k = d->priv;
	kdump_addr_t first = addr / DUMP_PAGE_SIZE, end;
	kdump_status s;

	if (!k->pagemap)
		return dump_fail(err, errlen, "libkdumpfile failed too often on this dump");
	s = kdump_bmp_find_set(k->pagemap, &first);
	if (s == KDUMP_ERR_NODATA)
		return 1;
	if (s != KDUMP_OK)
		return dump_fail(err, errlen, "page bitmap: %s",
				 kdump_bmp_get_err(k->pagemap));
	end = first;
	s = kdump_bmp_find_clear(k->pagemap, &end);
	if (s != KDUMP_OK)
		return dump_fail(err, errlen, "page bitmap: %s",
				 kdump_bmp_get_err(k->pagemap));
	/* The bitmap may mark pages past max_mapnr, which are not there. */
	if (k->guard.rank && end > k->guard.max_pfn)
		end = k->guard.max_pfn;
	if (k->guard.rank && first >= end)
		return 1;
	r->start = (uint64_t)first * DUMP_PAGE_SIZE;
	r->end = (uint64_t)end * DUMP_PAGE_SIZE;
	return 0;
}

static void kdump_close_cb(struct vmcsinfo_dump *d)
{
	struct kdump_priv *k = d->priv;

	if (!k)
		return;
	if (k->pagemap)
		kdump_bmp_decref(k->pagemap);
	if (k->ctx)
		kdump_free(k->ctx);
	kdump_guard_free(&k->guard);
	if (k->fd >= 0)
		close(k->fd);	/* EBADF when libkdumpfile closed it: fine */
	free(k);
	d->priv = NULL;
}

static const struct dump_backend kdump_backend = {
	.read = kdump_read_cb,
	.next_range = kdump_next_range,
	.close = kdump_close_cb,
};

static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t got;

	do
		got = pread(fd, buf, len, (off_t)off);
	while (got < 0 && errno == EINTR);
	return got == (ssize_t)len ? 0 : -1;
}

/* The note area of a makedumpfile kdump-compressed file. */
static int read_header_notes(struct vmcsinfo_dump *d)
{
	uint8_t h[DDH_SIZE], sh[KSH_SIZE];
	uint64_t bs, off, size;
	uint8_t *buf;
	int32_t version;

	if (pread_all(d->fd, h, sizeof(h), 0) || memcmp(h, "KDUMP   ", 8))
		return 0;
	version = (int32_t)get_le(h + DDH_HEADER_VERSION, 4);
	if (get_le(h + DDH_STATUS, 4) & DDH_STATUS_INCOMPLETE)
		dump_warn_lost(d, "makedumpfile marked the dump incomplete (it ran out of space); pages at its end are missing");
	if (version < 4) {
		dump_warn(d, "kdump header version %d has no note area", (int)version);
		return 0;
	}
	bs = get_le(h + DDH_BLOCK_SIZE, 4);
	if (bs < 512 || bs > (1u << 20) || (bs & (bs - 1)) ||
	    pread_all(d->fd, sh, sizeof(sh), bs)) {
		dump_warn(d, "kdump sub-header (block size %llu) cannot be read; no notes",
			  (unsigned long long)bs);
		return 0;
	}
	off = get_le(sh + KSH_OFFSET_NOTE, 8);
	size = get_le(sh + KSH_SIZE_NOTE, 8);
	if (!size)
		return 0;
	if (size > DUMP_MAX_NOTE_AREA || off > d->file_size ||
	    size > d->file_size - off) {
		dump_warn_lost(d, "kdump note area at offset 0x%llx, %llu bytes, lies outside the %llu-byte file; no notes",
			  (unsigned long long)off, (unsigned long long)size,
			  (unsigned long long)d->file_size);
		return 0;
	}
	buf = malloc((size_t)size);
	if (!buf)
		return -1;
	if (pread_all(d->fd, buf, (size_t)size, off)) {
		dump_warn_lost(d, "kdump note area at offset 0x%llx cannot be read", (unsigned long long)off);
		free(buf);
		return 0;
	}
	return dump_add_note_area(d, buf, (size_t)size, "kdump header");
}

/* Sum the present runs (the bitmap is in memory: this is quick). */
static int count_present(struct vmcsinfo_dump *d, char *err, size_t errlen)
{
	struct vmcsinfo_dump_range r = { 0, 0 };
	uint64_t addr = 0;
	int rc;

	while ((rc = kdump_next_range(d, addr, &r, err, errlen)) == 0) {
		d->present_bytes += r.end - r.start;
		d->max_addr = r.end;
		addr = r.end;
	}
	return rc < 0 ? -1 : 0;
}

/* Drop the libkdumpfile context (not the guard). */
static void kdump_teardown(struct kdump_priv *k)
{
	if (k->pagemap)
		kdump_bmp_decref(k->pagemap);
	if (k->ctx)
		kdump_free(k->ctx);
	if (k->fd >= 0)
		close(k->fd);	/* EBADF when libkdumpfile closed it: fine */
	k->pagemap = NULL;
	k->ctx = NULL;
	k->fd = -1;
}

/*
 * A libkdumpfile context for d->fd: 0; 1 when it does not know the
 * format; -1 with a message.  Warnings go to d only when warn is set.
 */
static int kdump_setup(struct vmcsinfo_dump *d, struct kdump_priv *k,
		       bool warn, char *err, size_t errlen)
{
	kdump_attr_t attr;
	kdump_num_t page_size;
	const char *str;
	kdump_status s;

	k->fd = dup(d->fd);
	k->ctx = kdump_new();
	if (k->fd < 0 || !k->ctx)
		return dump_fail(err, errlen, "cannot set up libkdumpfile: %s",
				 k->fd < 0 ? strerror(errno) : "out of memory");
	/*
	 * read(2), not mmap(2): a truncated file would raise SIGBUS where
	 * the mapping runs past its end.
	 */
	if (kdump_set_number_attr(k->ctx, KDUMP_ATTR_FILE_MMAP_POLICY,
				  KDUMP_MMAP_NEVER) != KDUMP_OK)
		return dump_fail(err, errlen, "libkdumpfile: cannot turn off mmap: %s",
				 kdump_get_err(k->ctx));
	s = kdump_open_fd(k->ctx, k->fd);
	if (s == KDUMP_ERR_NOTIMPL || s == KDUMP_ERR_EOF)
		return 1;
	if (s != KDUMP_OK)
		return dump_fail(err, errlen, "libkdumpfile cannot open it: %s",
				 kdump_get_err(k->ctx) ? kdump_get_err(k->ctx)
						       : kdump_strerror(s));
	if (kdump_get_string_attr(k->ctx, KDUMP_ATTR_ARCH_NAME, &str) != KDUMP_OK &&
	    kdump_set_string_attr(k->ctx, KDUMP_ATTR_ARCH_NAME, KDUMP_ARCH_X86_64) != KDUMP_OK &&
	    warn)
		dump_warn(d, "libkdumpfile: cannot set the architecture: %s",
			  kdump_get_err(k->ctx));
	if (kdump_set_string_attr(k->ctx, KDUMP_ATTR_OSTYPE, "linux") != KDUMP_OK && warn)
		dump_warn(d, "libkdumpfile: cannot set the OS type: %s",
			  kdump_get_err(k->ctx));
	if (kdump_get_number_attr(k->ctx, KDUMP_ATTR_PAGE_SIZE, &page_size) != KDUMP_OK ||
	    page_size != DUMP_PAGE_SIZE)
		return dump_fail(err, errlen, "page size is not 4096 bytes");
	attr.type = KDUMP_BITMAP;
	if (kdump_get_typed_attr(k->ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) != KDUMP_OK)
		return dump_fail(err, errlen, "libkdumpfile gives no page map: %s",
				 kdump_get_err(k->ctx));
	k->pagemap = attr.val.bitmap;
	kdump_bmp_incref(k->pagemap);
	if (kdump_get_string_attr(k->ctx, KDUMP_ATTR_FILE_FORMAT, &str) == KDUMP_OK)
		snprintf(d->detail, sizeof(d->detail), "%s", str);
	return 0;
}

/*
 * After libkdumpfile 0.5.1 failed to read a page (say, decompressing a
 * corrupt one, or a page it does not have), its page cache may hold an
 * entry without data that a later read writes through (a NULL
 * dereference, found by mutating test dumps).  So the context is rebuilt after each such failure, a bounded
 * number of times; beyond that the rest of the dump is not read.
 */
static int kdump_recover(struct vmcsinfo_dump *d, struct kdump_priv *k)
{
	char err[8];

	kdump_teardown(k);
	if (k->reopens >= KDUMP_MAX_REOPENS)
		return -1;
	k->reopens++;
	if (kdump_setup(d, k, false, err, sizeof(err))) {
		kdump_teardown(k);
		return -1;
	}
	return 0;
}

/*
 * 0 opened; 1 libkdumpfile does not know the format (and expect_kdump is
 * false); -1 error.
 */
int dump_open_kdump(struct vmcsinfo_dump *d, bool expect_kdump,
		    char *err, size_t errlen)
{
	struct kdump_priv *k;
	int rc;

	k = calloc(1, sizeof(*k));
	if (!k)
		return dump_fail(err, errlen, "out of memory");
	k->fd = -1;
	d->priv = k;
	d->be = &kdump_backend;
	rc = kdump_setup(d, k, true, err, errlen);
	if (rc == 1 && !expect_kdump) {
		kdump_close_cb(d);
		d->be = NULL;
		return 1;
	}
	if (rc == 1)
		return dump_fail(err, errlen, "libkdumpfile does not know this format");
	if (rc)
		return -1;
	/* libkdumpfile calls makedumpfile's format "diskdump". */
	d->format = strcmp(d->detail, "diskdump") ? VMCSINFO_DUMP_LIBKDUMPFILE
						  : VMCSINFO_DUMP_KDUMP;
	if (d->format == VMCSINFO_DUMP_KDUMP &&
	    kdump_guard_init(&k->guard, d->fd, d->file_size, err, errlen))
		return -1;
	if (read_header_notes(d))
		return dump_fail(err, errlen, "out of memory");
	if (count_present(d, err, errlen))
		return -1;
	if (!d->present_bytes)
		return dump_fail(err, errlen, "no pages in the dump");
	return 0;
}
