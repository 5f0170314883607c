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
#define DDH_SUB_HDR_SIZE	432
#define DDH_BITMAP_BLOCKS	436
#define DDH_MAX_MAPNR		440
#define DDH_SIZE		464
#define DDH_STATUS_INCOMPLETE	0x8
/* The same header as a 32-bit system writes it (4-byte timeval). */
#define DDH32_BLOCK_SIZE	416
#define DDH32_BITMAP_BLOCKS	424
#define DDH32_MAX_MAPNR		428
/* struct kdump_sub_header, at file offset block_size */
#define KSH_OFFSET_VMCOREINFO	32
#define KSH_SIZE_VMCOREINFO	40
#define KSH_OFFSET_NOTE		48
#define KSH_SIZE_NOTE		56
#define KSH_MAX_MAPNR_64	96
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
		dump_warn_lost(d, "kdump sub-header (block size %llu) cannot be read; no notes",
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

/* Whether the file starts with a diskdump or kdump-compressed signature. */
static bool has_diskdump_signature(int fd)
{
	uint8_t sig[8];

	return pread_all(fd, sig, sizeof(sig), 0) == 0 &&
	       (!memcmp(sig, "KDUMP   ", 8) || !memcmp(sig, "DISKDUMP", 8));
}

/*
 * VMCOREINFO text that libkdumpfile 0.5.1 cannot take (found by
 * fuzz_dump_kdump): it makes an attribute of each line's key, and a key
 * that starts with '.' makes its lookup read past the key until it
 * faults; and a PAGESIZE it reads as 0 (also "PAGESIZE=") passes as a
 * power of two and becomes a 2^63-byte allocation.  Only 4096-byte pages
 * are read here, so any other PAGESIZE is refused.  0, or -1 with a
 * message.
 */
static int vmcoreinfo_check(const uint8_t *text, size_t len, const char *what,
			    bool linux_info, char *err, size_t errlen)
{
	static const char key[] = "PAGESIZE=";
	size_t i, n;

	for (i = 0; i < len; i += n + 1) {
		const uint8_t *nl = memchr(text + i, '\n', len - i);

		n = nl ? (size_t)(nl - (text + i)) : len - i;
		if (text[i] == '.')
			return dump_fail(err, errlen, "%s line at byte %zu has a key that starts with '.'; libkdumpfile cannot read it",
					 what, i);
		if (linux_info && n >= sizeof(key) - 1 &&
		    !memcmp(text + i, key, sizeof(key) - 1)) {
			/* libkdumpfile reads the value as a C string */
			const uint8_t *nul = memchr(text + i, 0, n);
			size_t end_off = nul ? (size_t)(nul - (text + i)) : n;
			char val[32], *end;
			size_t vlen = end_off - (sizeof(key) - 1);
			unsigned long v;

			if (vlen >= sizeof(val))
				continue;	/* libkdumpfile ignores it too */
			memcpy(val, text + i + sizeof(key) - 1, vlen);
			val[vlen] = 0;
			v = strtoul(val, &end, 10);
			if (!*end && v != DUMP_PAGE_SIZE)
				return dump_fail(err, errlen, "%s says PAGESIZE=%s; only 4096-byte pages are read",
						 what, val);
		}
	}
	return 0;
}

/*
 * LKCD and s390 dump headers: libkdumpfile 0.5.1 takes a page size of 0
 * there too (as for PAGESIZE above).  0 unless the file has one of those
 * signatures and a page size other than 4096; then -1 with a message.
 */
static int other_header_check(int fd, char *err, size_t errlen)
{
	static const uint8_t lkcd_le[8] = { 0xed, 0x23, 0x8f, 0x61, 0x73, 0x01, 0x19, 0xa8 };
	static const uint8_t lkcd_be[8] = { 0xa8, 0x19, 0x01, 0x73, 0x61, 0x8f, 0x23, 0xed };
	static const uint8_t s390[8] = { 0xa8, 0x19, 0x01, 0x73, 0x61, 0x8f, 0x23, 0xfd };
	uint8_t h[24];
	uint32_t ps;
	const char *what;

	if (pread_all(fd, h, sizeof(h), 0))
		return 0;
	if (!memcmp(h, lkcd_le, 8)) {
		what = "LKCD";
		ps = (uint32_t)get_le(h + 20, 4);
	} else if (!memcmp(h, lkcd_be, 8) || !memcmp(h, s390, 8)) {
		what = h[7] == 0xed ? "LKCD" : "s390";
		ps = (uint32_t)h[20] << 24 | h[21] << 16 | h[22] << 8 | h[23];
	} else {
		return 0;
	}
	if (ps != DUMP_PAGE_SIZE)
		return dump_fail(err, errlen, "%s dump header: page size %u is not 4096",
				 what, ps);
	return 0;
}

/* The area [off, off + size) of the file (inside it, checked), checked. */
static int vmcoreinfo_area_check(int fd, uint64_t off, uint64_t size,
				 char *err, size_t errlen)
{
	uint8_t *buf = malloc(size ? (size_t)size : 1);
	int rc;

	if (!buf)
		return dump_fail(err, errlen, "out of memory");
	rc = pread_all(fd, buf, (size_t)size, off) ?
	     dump_fail(err, errlen, "kdump VMCOREINFO at offset 0x%llx cannot be read",
		       (unsigned long long)off) :
	     vmcoreinfo_check(buf, (size_t)size, "VMCOREINFO", true, err, errlen);
	free(buf);
	return rc;
}

/* The VMCOREINFO notes of the note area, walked as libkdumpfile does. */
static int note_area_check(int fd, uint64_t off, uint64_t size, char *err,
			   size_t errlen)
{
	uint8_t *buf = malloc((size_t)size);
	size_t pos = 0;
	int rc = 0;

	if (!buf)
		return dump_fail(err, errlen, "out of memory");
	if (pread_all(fd, buf, (size_t)size, off)) {
		free(buf);
		return dump_fail(err, errlen, "kdump note area at offset 0x%llx cannot be read",
				 (unsigned long long)off);
	}
	while (!rc && size - pos >= 12) {
		uint64_t namesz = get_le(buf + pos, 4), descsz = get_le(buf + pos + 4, 4);
		uint64_t descoff = 12 + ((namesz + 3) & ~3ull);
		const uint8_t *name = buf + pos + 12;

		if (size - pos < descoff + descsz)
			break;
		if ((namesz == 10 || namesz == 11) && !memcmp(name, "VMCOREINFO", 10) &&
		    (namesz == 10 || !name[10]))
			rc = vmcoreinfo_check(buf + pos + descoff, (size_t)descsz,
					      "VMCOREINFO note", true, err, errlen);
		else if ((namesz == 14 || namesz == 15) &&
			 !memcmp(name, "VMCOREINFO_XEN", 14) && (namesz == 14 || !name[14]))
			rc = vmcoreinfo_check(buf + pos + descoff, (size_t)descsz,
					      "VMCOREINFO_XEN note", false, err, errlen);
		pos += descoff + ((descsz + 3) & ~3ull);
		if (pos > size)
			break;
	}
	free(buf);
	return rc;
}

/*
 * Whether libkdumpfile would take the header for a 32-bit system's (in
 * either byte order): it tries that first, with the sanity checks below.
 */
static bool reads_as_32bit(const uint8_t *h, bool big_endian)
{
	uint64_t bs, bm, mapnr;

	if (big_endian) {
		bs = (uint32_t)h[DDH32_BLOCK_SIZE] << 24 | h[DDH32_BLOCK_SIZE + 1] << 16 |
		     h[DDH32_BLOCK_SIZE + 2] << 8 | h[DDH32_BLOCK_SIZE + 3];
		bm = (uint32_t)h[DDH32_BITMAP_BLOCKS] << 24 | h[DDH32_BITMAP_BLOCKS + 1] << 16 |
		     h[DDH32_BITMAP_BLOCKS + 2] << 8 | h[DDH32_BITMAP_BLOCKS + 3];
		mapnr = (uint32_t)h[DDH32_MAX_MAPNR] << 24 | h[DDH32_MAX_MAPNR + 1] << 16 |
			h[DDH32_MAX_MAPNR + 2] << 8 | h[DDH32_MAX_MAPNR + 3];
	} else {
		bs = get_le(h + DDH32_BLOCK_SIZE, 4);
		bm = get_le(h + DDH32_BITMAP_BLOCKS, 4);
		mapnr = get_le(h + DDH32_MAX_MAPNR, 4);
	}
	return bs >= 4096 && bs <= (1u << 18) && !(bs & (bs - 1)) &&
	       8 * bm * bs >= mapnr;
}

/*
 * The header of a diskdump/kdump-compressed file, checked before
 * libkdumpfile sees it.  libkdumpfile 0.5.1 cannot fail to open such a
 * file safely (see kdump_setup()), so what it would refuse is refused
 * here first, with a message that says what is wrong: a header that
 * does not fit in the file, a block size other than 4096 (the only one
 * read here), a bitmap that is not in the file or does not cover
 * max_mapnr (or max_mapnr_64), a sub-header, VMCOREINFO or note area
 * outside the file, VMCOREINFO text it cannot parse, and a header that
 * also reads as a 32-bit one (libkdumpfile tries that first).
 */
static int kdump_header_check(int fd, uint64_t file_size, char *err,
			      size_t errlen)
{
	uint8_t h[DDH_SIZE], sh[KSH_SIZE];
	uint64_t bs, sub, bm;
	int32_t version;

	if (pread_all(fd, h, sizeof(h), 0))
		return dump_fail(err, errlen, "kdump header is truncated (%llu bytes)",
				 (unsigned long long)file_size);
	version = (int32_t)get_le(h + DDH_HEADER_VERSION, 4);
	bs = get_le(h + DDH_BLOCK_SIZE, 4);
	sub = get_le(h + DDH_SUB_HDR_SIZE, 4);
	bm = get_le(h + DDH_BITMAP_BLOCKS, 4);
	if (version < 0)
		return dump_fail(err, errlen, "kdump header version %d is invalid",
				 (int)version);
	if (bs != DUMP_PAGE_SIZE)
		return dump_fail(err, errlen, "kdump block size %llu is not 4096",
				 (unsigned long long)bs);
	if (!bm || (1 + sub + bm) * bs > file_size)
		return dump_fail(err, errlen, "kdump bitmap (%llu blocks after %llu) is not inside the %llu-byte file",
				 (unsigned long long)bm, (unsigned long long)(1 + sub),
				 (unsigned long long)file_size);
	if (get_le(h + DDH_MAX_MAPNR, 4) > bm * bs * 8)
		return dump_fail(err, errlen, "kdump max_mapnr %llu needs a larger bitmap than %llu blocks",
				 (unsigned long long)get_le(h + DDH_MAX_MAPNR, 4),
				 (unsigned long long)bm);
	if (reads_as_32bit(h, false) || reads_as_32bit(h, true))
		return dump_fail(err, errlen, "kdump header also reads as a 32-bit one; libkdumpfile would misread it");
	if (version < 1)
		return 0;
	if (pread_all(fd, sh, sizeof(sh), bs))
		return dump_fail(err, errlen, "kdump sub-header at offset %llu is not in the file",
				 (unsigned long long)bs);
	if (version == 3) {
		uint64_t off = get_le(sh + KSH_OFFSET_VMCOREINFO, 8);
		uint64_t size = get_le(sh + KSH_SIZE_VMCOREINFO, 8);

		if (size > DUMP_MAX_NOTE_AREA || off > file_size ||
		    size > file_size - off)
			return dump_fail(err, errlen, "kdump VMCOREINFO at offset 0x%llx, %llu bytes, lies outside the file",
					 (unsigned long long)off,
					 (unsigned long long)size);
		if (vmcoreinfo_area_check(fd, off, size, err, errlen))
			return -1;
	}
	/* libkdumpfile allocates and reads the whole note area. */
	if (version >= 4) {
		uint64_t off = get_le(sh + KSH_OFFSET_NOTE, 8);
		uint64_t size = get_le(sh + KSH_SIZE_NOTE, 8);

		if (size && (size > DUMP_MAX_NOTE_AREA || off > file_size ||
			     size > file_size - off))
			return dump_fail(err, errlen, "kdump note area at offset 0x%llx, %llu bytes, lies outside the %llu-byte file",
					 (unsigned long long)off,
					 (unsigned long long)size,
					 (unsigned long long)file_size);
		if (size && note_area_check(fd, off, size, err, errlen))
			return -1;
	}
	if (version >= 6 && get_le(sh + KSH_MAX_MAPNR_64, 8) > bm * bs * 8)
		return dump_fail(err, errlen, "kdump max_mapnr_64 %llu needs a larger bitmap than %llu blocks",
				 (unsigned long long)get_le(sh + KSH_MAX_MAPNR_64, 8),
				 (unsigned long long)bm);
	return 0;
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
	bool diskdump = has_diskdump_signature(d->fd);

	if (diskdump ? kdump_header_check(d->fd, d->file_size, err, errlen)
		     : other_header_check(d->fd, err, errlen))
		return -1;
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
	if (s != KDUMP_OK && diskdump) {
		/*
		 * When libkdumpfile 0.5.1 fails to open a diskdump file
		 * after reading its header, it frees its format data but
		 * leaves an attribute override pointing into it, and
		 * kdump_free() then crashes (found by tests/badinput).  The
		 * context is left allocated: one per failed open.
		 */
		dump_fail(err, errlen, "libkdumpfile cannot open it: %s",
			  kdump_get_err(k->ctx) ? kdump_get_err(k->ctx)
						: kdump_strerror(s));
		k->ctx = NULL;
		return -1;
	}
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
