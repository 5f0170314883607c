// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The dump reader: format detection, the notes and warnings every back
 * end shares, and physical reads of file-backed formats (raw, ELF, kcore)
 * through a read-ahead buffer, so that a scan that asks for the first
 * bytes of every page turns into large sequential preads.
 *
 * Dumps are untrusted input: every offset and size from a header is
 * checked before use, and arithmetic on them is done so that it cannot
 * overflow.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "dump_internal.h"
#include "vmcsinfo/note.h"

#define PROC_SUPER_MAGIC_VALUE	0x9fa0

int dump_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void add_warning(struct vmcsinfo_dump *d, const char *fmt, va_list ap)
{
	char *s;

	if (d->nwarn == DUMP_MAX_WARNINGS) {
		d->warn_overflow = true;
		return;
	}
	if (vasprintf(&s, fmt, ap) >= 0)
		d->warn[d->nwarn++] = s;
}

void dump_warn(struct vmcsinfo_dump *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_warning(d, fmt, ap);
	va_end(ap);
}

void dump_warn_lost(struct vmcsinfo_dump *d, const char *fmt, ...)
{
	va_list ap;

	d->incomplete = true;
	va_start(ap, fmt);
	add_warning(d, fmt, ap);
	va_end(ap);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Index the notes of an area: Nhdr, name and desc, each 4-byte aligned. */
int dump_add_note_area(struct vmcsinfo_dump *d, uint8_t *buf, size_t len,
		       const char *where)
{
	struct dump_note_area *a;
	size_t pos = 0;

	a = realloc(d->areas, (d->nareas + 1) * sizeof(*a));
	if (!a) {
		free(buf);
		return -1;
	}
	d->areas = a;
	a[d->nareas].buf = buf;
	a[d->nareas].len = len;
	while (len - pos >= 12) {
		uint32_t namesz = le32(buf + pos), descsz = le32(buf + pos + 4);
		size_t name_pad = ((size_t)namesz + 3) & ~(size_t)3;
		size_t desc_pad = ((size_t)descsz + 3) & ~(size_t)3;
		struct dump_note_rec *r;

		/* An all-zero header ends the area (kexec pads with zeros). */
		if (!namesz && !descsz && !le32(buf + pos + 8))
			break;
		if (name_pad > len - pos - 12 ||
		    desc_pad > len - pos - 12 - name_pad) {
			/* The last note may lack the padding of its desc. */
			if (name_pad <= len - pos - 12 &&
			    descsz <= len - pos - 12 - name_pad)
				desc_pad = descsz;
			else {
				dump_warn_lost(d, "%s: note at offset %zu runs past the end of the %zu-byte note area",
					  where, pos, len);
				break;
			}
		}
		if (d->nnotes == d->notes_cap) {
			size_t cap = d->notes_cap ? 2 * d->notes_cap : 16;

			r = realloc(d->notes, cap * sizeof(*r));
			if (!r)
				return -1;
			d->notes = r;
			d->notes_cap = cap;
		}
		r = &d->notes[d->nnotes++];
		r->area = d->nareas;
		r->off = pos;
		r->namesz = namesz;
		r->descsz = descsz;
		r->type = le32(buf + pos + 8);
		r->raw_size = 12 + name_pad + desc_pad;
		r->where = where;
		pos += r->raw_size;
	}
	d->nareas++;
	return 0;
}

int vmcsinfo_dump_note(const struct vmcsinfo_dump *d, size_t idx,
		       struct vmcsinfo_dump_note *out)
{
	static const char empty[] = "";
	const struct dump_note_rec *r;
	const uint8_t *p;

	if (idx >= d->nnotes)
		return -1;
	r = &d->notes[idx];
	p = d->areas[r->area].buf + r->off;
	memset(out, 0, sizeof(*out));
	/* Only a NUL-terminated name is a name. */
	if (r->namesz && p[12 + r->namesz - 1] == 0)
		out->name = (const char *)p + 12;
	else
		out->name = empty;
	out->type = r->type;
	out->desc = p + 12 + ((r->namesz + 3) & ~3u);
	out->desc_size = r->descsz;
	out->raw = p;
	out->raw_size = r->raw_size;
	out->where = r->where;
	return 0;
}

/* The VMCOREINFO text, NUL-terminated copy, or NULL. */
static char *vmcoreinfo_text(const struct vmcsinfo_dump *d)
{
	struct vmcsinfo_dump_note n;
	size_t i;

	for (i = 0; vmcsinfo_dump_note(d, i, &n) == 0; i++) {
		char *s;

		if (strcmp(n.name, "VMCOREINFO"))
			continue;
		s = malloc((size_t)n.desc_size + 1);
		if (!s)
			return NULL;
		memcpy(s, n.desc, n.desc_size);
		s[n.desc_size] = 0;
		return s;
	}
	return NULL;
}

int dump_vmcoreinfo_hex(const struct vmcsinfo_dump *d, const char *key,
			bool decimal, uint64_t *val)
{
	char *text = vmcoreinfo_text(d), *line, *save = NULL;
	size_t klen = strlen(key);
	int rc = -1;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *end;

		if (strncmp(line, key, klen) || line[klen] != '=')
			continue;
		errno = 0;
		*val = decimal ? (uint64_t)strtoll(line + klen + 1, &end, 10)
			       : strtoull(line + klen + 1, &end, 16);
		if (!errno && end != line + klen + 1 && !*end)
			rc = 0;
		break;
	}
	free(text);
	return rc;
}

static int cmp_segment(const void *a, const void *b)
{
	const struct dump_segment *x = a, *y = b;

	if (x->paddr != y->paddr)
		return x->paddr < y->paddr ? -1 : 1;
	/* Of two segments at one address keep the larger first. */
	return x->size > y->size ? -1 : x->size < y->size;
}

int dump_finish_segments(struct vmcsinfo_dump *d, char *err, size_t errlen)
{
	size_t i, n = 0;
	uint64_t end = 0;

	if (d->nseg)
		qsort(d->seg, d->nseg, sizeof(*d->seg), cmp_segment);
	/*
	 * Segments may overlap: vmcores describe the kernel text twice
	 * (its own PT_LOAD and the RAM one), /proc/kcore too.  Keep each
	 * physical byte once, from the first segment that has it.
	 */
	for (i = 0; i < d->nseg; i++) {
		struct dump_segment s = d->seg[i];

		if (n && s.paddr < end) {
			uint64_t cut = end - s.paddr;

			if (cut >= s.size)
				continue;
			s.paddr += cut;
			s.off += cut;
			s.vaddr = s.vaddr ? s.vaddr + cut : 0;
			s.size -= cut;
			s.avail = s.avail > cut ? s.avail - cut : 0;
		}
		if (!s.size)
			continue;
		d->seg[n++] = s;
		end = s.paddr + s.size;
	}
	d->nseg = n;
	d->present_bytes = 0;
	d->max_addr = 0;
	for (i = 0; i < n; i++) {
		d->present_bytes += d->seg[i].size;
		d->max_addr = d->seg[i].paddr + d->seg[i].size;
		if (d->seg[i].avail < d->seg[i].size)
			d->missing_pages += (d->seg[i].size - d->seg[i].avail +
					     DUMP_PAGE_SIZE - 1) / DUMP_PAGE_SIZE;
	}
	if (!n)
		return dump_fail(err, errlen, "no physical memory in the dump");
	return 0;
}

/* First segment that ends above paddr, or nseg. */
static size_t find_segment(const struct vmcsinfo_dump *d, uint64_t paddr)
{
	size_t lo = 0, hi = d->nseg;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->seg[mid].paddr + d->seg[mid].size <= paddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* pread through the read-ahead buffer; all len bytes or -1. */
static int cached_pread(struct vmcsinfo_dump *d, uint64_t off, uint8_t *buf,
			size_t len, uint64_t limit, char *err, size_t errlen)
{
	while (len) {
		size_t n;

		if (off < d->cache_off || off >= d->cache_off + d->cache_len) {
			uint64_t start = off & ~(uint64_t)DUMP_PAGE_MASK;
			size_t want = DUMP_CACHE_SIZE;
			ssize_t got;

			/*
			 * Read far ahead only when reads run sequentially
			 * (a scan); random reads (page walks, candidates)
			 * get what they ask for, rounded up to 16 KiB.
			 */
			if (start != d->cache_off + d->cache_len) {
				uint64_t need = (off + len - start + DUMP_PAGE_MASK) &
						~(uint64_t)DUMP_PAGE_MASK;

				want = need < DUMP_RANDOM_READ ? DUMP_RANDOM_READ :
				       need < DUMP_CACHE_SIZE ? (size_t)need :
				       DUMP_CACHE_SIZE;
			}
			if (limit - start < want)
				want = (size_t)(limit - start);
			do
				got = pread(d->fd, d->cache, want, (off_t)start);
			while (got < 0 && errno == EINTR);
			if (got < 0)
				return dump_fail(err, errlen, "read error at file offset 0x%llx: %s",
						 (unsigned long long)start,
						 strerror(errno));
			d->cache_off = start;
			d->cache_len = (size_t)got;
			if (off >= start + (uint64_t)got)
				return dump_fail(err, errlen, "file ends at offset 0x%llx, before 0x%llx",
						 (unsigned long long)(start + (uint64_t)got),
						 (unsigned long long)off);
		}
		n = (size_t)(d->cache_off + d->cache_len - off);
		if (n > len)
			n = len;
		memcpy(buf, d->cache + (off - d->cache_off), n);
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int file_read(struct vmcsinfo_dump *d, uint64_t paddr, uint8_t *buf,
		     size_t len, char *err, size_t errlen)
{
	size_t i = find_segment(d, paddr);

	while (len) {
		const struct dump_segment *s;
		uint64_t in, n;

		if (i >= d->nseg || d->seg[i].paddr > paddr)
			return VMCSINFO_DUMP_NODATA;
		s = &d->seg[i];
		in = paddr - s->paddr;
		n = s->size - in;
		if (n > len)
			n = len;
		if (in + n > s->avail)
			return dump_fail(err, errlen, "physical 0x%llx is beyond the end of the truncated file",
					 (unsigned long long)(paddr + (in < s->avail ? s->avail - in : 0)));
		if (cached_pread(d, s->off + in, buf, (size_t)n,
				 s->off + s->avail, err, errlen))
			return VMCSINFO_DUMP_ERROR;
		buf += n;
		paddr += n;
		len -= (size_t)n;
		i++;
	}
	return VMCSINFO_DUMP_OK;
}

static int file_next_range(struct vmcsinfo_dump *d, uint64_t addr,
			   struct vmcsinfo_dump_range *r,
			   char *err, size_t errlen)
{
	size_t i = find_segment(d, addr);

	(void)err;
	(void)errlen;
	if (i >= d->nseg)
		return 1;
	r->start = d->seg[i].paddr;
	r->end = d->seg[i].paddr + d->seg[i].size;
	/* Merge adjacent segments into one run. */
	while (++i < d->nseg && d->seg[i].paddr == r->end)
		r->end += d->seg[i].size;
	return 0;
}

const struct dump_backend dump_file_backend = {
	.read = file_read,
	.next_range = file_next_range,
};

static bool is_procfs(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC_VALUE;
}

static int detect_and_open(struct vmcsinfo_dump *d,
			   enum vmcsinfo_dump_format fmt,
			   char *err, size_t errlen)
{
	uint8_t head[16] = { 0 };
	ssize_t got = pread(d->fd, head, sizeof(head), 0);

	if (got < 0)
		return dump_fail(err, errlen, "cannot read: %s", strerror(errno));
	if (fmt == VMCSINFO_DUMP_AUTO) {
		if (got == 0)
			return dump_fail(err, errlen, "empty file");
		if (got >= 4 && !memcmp(head, "\177ELF", 4))
			fmt = is_procfs(d->fd) ? VMCSINFO_DUMP_KCORE
					       : VMCSINFO_DUMP_ELF;
		else if (got >= 12 && !memcmp(head, "makedumpfile", 12))
			return dump_fail(err, errlen, "a flattened makedumpfile stream (makedumpfile -F); convert it first with `makedumpfile -R NEWFILE < FILE`");
		else if (got >= 8 && (!memcmp(head, "KDUMP   ", 8) ||
				      !memcmp(head, "DISKDUMP", 8)))
			fmt = VMCSINFO_DUMP_KDUMP;
		else if (got == sizeof(head) &&
			 le32(head) == VMCSINFO_NOTE_NAMESZ &&
			 le32(head + 8) == VMCSINFO_NOTE_TYPE &&
			 !memcmp(head + 12, VMCSINFO_NOTE_NAME, 4))
			/* Page 0 of a memory image never holds the note. */
			return dump_fail(err, errlen, "a VMCSINFO note, not a dump (`layout` reads notes)");
		else
			fmt = VMCSINFO_DUMP_LIBKDUMPFILE;	/* or raw */
	}
	d->format = fmt;
	switch (fmt) {
	case VMCSINFO_DUMP_RAW:
		return dump_open_raw(d, err, errlen);
	case VMCSINFO_DUMP_ELF:
	case VMCSINFO_DUMP_KCORE:
		return dump_open_elf(d, fmt == VMCSINFO_DUMP_KCORE, err, errlen);
	case VMCSINFO_DUMP_KDUMP:
		return dump_open_kdump(d, true, err, errlen);
	case VMCSINFO_DUMP_LIBKDUMPFILE:
		/* 1: libkdumpfile does not know it, so it is a raw image. */
		switch (dump_open_kdump(d, false, err, errlen)) {
		case 0:
			return 0;
		case 1:
			d->format = VMCSINFO_DUMP_RAW;
			return dump_open_raw(d, err, errlen);
		default:
			return -1;
		}
	default:
		return dump_fail(err, errlen, "unknown dump format %d", (int)fmt);
	}
}

int dump_open_raw(struct vmcsinfo_dump *d, char *err, size_t errlen)
{
	uint64_t size = d->file_size & ~DUMP_PAGE_MASK;

	if (d->file_size % DUMP_PAGE_SIZE)
		dump_warn_lost(d, "raw image of %llu bytes is not a whole number of pages: the last %llu bytes are ignored",
			  (unsigned long long)d->file_size,
			  (unsigned long long)(d->file_size % DUMP_PAGE_SIZE));
	if (!size)
		return dump_fail(err, errlen, "%llu bytes is less than one page",
				 (unsigned long long)d->file_size);
	d->seg = calloc(1, sizeof(*d->seg));
	if (!d->seg)
		return dump_fail(err, errlen, "out of memory");
	d->seg[0].size = d->seg[0].avail = size;
	d->nseg = 1;
	d->be = &dump_file_backend;
	snprintf(d->detail, sizeof(d->detail), "physical memory image");
	return dump_finish_segments(d, err, errlen);
}

int vmcsinfo_dump_open(const char *path, enum vmcsinfo_dump_format fmt,
		       struct vmcsinfo_dump **out, char *err, size_t errlen)
{
	struct vmcsinfo_dump *d;
	struct stat st;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return dump_fail(err, errlen, "out of memory");
	d->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0) {
		dump_fail(err, errlen, "%s", strerror(errno));
		free(d);
		return -1;
	}
	d->path = strdup(path);
	/*
	 * Page aligned, like the file offsets it is filled from: the
	 * kernel copies from the page cache into a buffer 16 bytes off a
	 * cache line (what malloc returns) at half the speed.
	 */
	d->cache = aligned_alloc(DUMP_PAGE_SIZE, DUMP_CACHE_SIZE);
	if (!d->path || !d->cache) {
		dump_fail(err, errlen, "out of memory");
		goto fail;
	}
	if (fstat(d->fd, &st)) {
		dump_fail(err, errlen, "%s", strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		dump_fail(err, errlen, "is a directory");
		goto fail;
	}
	d->file_size = (uint64_t)st.st_size;
	if (detect_and_open(d, fmt, err, errlen))
		goto fail;
	*out = d;
	return 0;
fail:
	vmcsinfo_dump_close(d);
	return -1;
}

void vmcsinfo_dump_close(struct vmcsinfo_dump *d)
{
	size_t i;

	if (!d)
		return;
	if (d->be && d->be->close)
		d->be->close(d);
	for (i = 0; i < d->nareas; i++)
		free(d->areas[i].buf);
	for (i = 0; i < d->nwarn; i++)
		free(d->warn[i]);
	free(d->areas);
	free(d->notes);
	free(d->seg);
	free(d->cache);
	free(d->path);
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}

enum vmcsinfo_dump_format vmcsinfo_dump_get_format(const struct vmcsinfo_dump *d)
{
	return d->format;
}

const char *vmcsinfo_dump_format_name(enum vmcsinfo_dump_format fmt)
{
	switch (fmt) {
	case VMCSINFO_DUMP_RAW:
		return "raw";
	case VMCSINFO_DUMP_ELF:
		return "elf";
	case VMCSINFO_DUMP_KCORE:
		return "kcore";
	case VMCSINFO_DUMP_KDUMP:
		return "kdump";
	case VMCSINFO_DUMP_LIBKDUMPFILE:
		return "libkdumpfile";
	default:
		return NULL;
	}
}

const char *vmcsinfo_dump_format_detail(const struct vmcsinfo_dump *d)
{
	return d->detail;
}

int vmcsinfo_dump_next_range(struct vmcsinfo_dump *d, uint64_t addr,
			     struct vmcsinfo_dump_range *r,
			     char *err, size_t errlen)
{
	return d->be->next_range(d, addr, r, err, errlen);
}

uint64_t vmcsinfo_dump_present_bytes(const struct vmcsinfo_dump *d)
{
	return d->present_bytes;
}

uint64_t vmcsinfo_dump_max_addr(const struct vmcsinfo_dump *d)
{
	return d->max_addr;
}

int vmcsinfo_dump_read(struct vmcsinfo_dump *d, uint64_t paddr, void *buf,
		       size_t len, char *err, size_t errlen)
{
	if (paddr + len < paddr)
		return VMCSINFO_DUMP_NODATA;
	return d->be->read(d, paddr, buf, len, err, errlen);
}

size_t vmcsinfo_dump_nwarnings(const struct vmcsinfo_dump *d)
{
	return d->nwarn + d->warn_overflow;
}

const char *vmcsinfo_dump_warning(const struct vmcsinfo_dump *d, size_t idx)
{
	if (idx < d->nwarn)
		return d->warn[idx];
	if (idx == d->nwarn && d->warn_overflow)
		return "more warnings were suppressed";
	return NULL;
}

uint64_t vmcsinfo_dump_missing_pages(const struct vmcsinfo_dump *d)
{
	return d->missing_pages;
}

bool vmcsinfo_dump_incomplete(const struct vmcsinfo_dump *d)
{
	return d->incomplete || d->missing_pages;
}

/*
 * The direct map.  The kernel's own page tables (VMCOREINFO's
 * init_top_pgt) are the authority: search them for the lowest kernel
 * address that maps physical 0.  Without VMCOREINFO, the ELF program
 * headers (p_vaddr - p_paddr of the RAM segments) say it, but those are
 * only what the dump writer believed (kexec-tools derives them itself).
 */
int vmcsinfo_dump_direct_map(struct vmcsinfo_dump *d, uint64_t *base,
			     const char **source)
{
	uint64_t sym, phys_base = 0, l5 = 0, cr3, b;

	if (!d->direct_map_tried) {
		d->direct_map_tried = true;
		if (!dump_vmcoreinfo_hex(d, "SYMBOL(init_top_pgt)", false, &sym) &&
		    sym >= 0xffffffff80000000ull) {
			dump_vmcoreinfo_hex(d, "NUMBER(phys_base)", true, &phys_base);
			dump_vmcoreinfo_hex(d, "NUMBER(pgtable_l5_enabled)", true, &l5);
			cr3 = sym - 0xffffffff80000000ull + phys_base;
			if (vmcsinfo_find_direct_map(d, cr3, l5 != 0, &b) == 0) {
				d->direct_map = b;
				d->have_direct_map = true;
				d->direct_map_source = "the kernel page tables (VMCOREINFO init_top_pgt)";
			}
		}
		if (!d->have_direct_map && d->have_elf_direct_map) {
			d->direct_map = d->elf_direct_map;
			d->have_direct_map = true;
			d->direct_map_source = "the ELF program headers";
		}
		if (d->have_direct_map && d->have_elf_direct_map &&
		    d->elf_direct_map != d->direct_map)
			dump_warn(d, "the ELF program headers put the direct map at 0x%llx, the kernel's page tables at 0x%llx; using the latter",
				  (unsigned long long)d->elf_direct_map,
				  (unsigned long long)d->direct_map);
	}
	if (!d->have_direct_map)
		return -1;
	*base = d->direct_map;
	if (source)
		*source = d->direct_map_source;
	return 0;
}
