/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Inside libvmcsinfo: the dump reader and its back ends.
 *
 * File-backed formats (raw, ELF, kcore) describe physical memory as
 * segments of the file and share one reader with a read-ahead buffer
 * (dump.c).  kdump-compressed and other libkdumpfile formats have their
 * own read and range functions (dump_kdump.c).
 */
#ifndef VMCSINFO_DUMP_INTERNAL_H
#define VMCSINFO_DUMP_INTERNAL_H

#include <stdarg.h>
#include <sys/types.h>

#include "libvmcsinfo.h"

#define DUMP_PAGE_SIZE		4096u
#define DUMP_PAGE_MASK		((uint64_t)DUMP_PAGE_SIZE - 1)
/* Read-ahead for file-backed dumps: large sequential preads. */
#define DUMP_CACHE_SIZE		(1u << 20)
#define DUMP_RANDOM_READ	(16u << 10)
/* No dump we read has more note bytes than this. */
#define DUMP_MAX_NOTE_AREA	(64u << 20)
#define DUMP_MAX_WARNINGS	32

/* Physical [paddr, paddr + size) is at file offset off. */
struct dump_segment {
	uint64_t paddr;
	uint64_t size;		/* bytes the headers promise */
	uint64_t off;
	uint64_t avail;		/* bytes the file really holds (<= size) */
	uint64_t vaddr;		/* ELF p_vaddr, or 0 */
};

struct dump_note_rec {
	size_t area, off;	/* area index, offset of the Nhdr */
	size_t raw_size;
	uint32_t namesz, descsz, type;
	const char *where;
};

struct dump_note_area {
	uint8_t *buf;
	size_t len;
};

struct dump_backend {
	int (*read)(struct vmcsinfo_dump *d, uint64_t paddr, uint8_t *buf,
		    size_t len, char *err, size_t errlen);
	int (*next_range)(struct vmcsinfo_dump *d, uint64_t addr,
			  struct vmcsinfo_dump_range *r,
			  char *err, size_t errlen);
	void (*close)(struct vmcsinfo_dump *d);
};

struct vmcsinfo_dump {
	int fd;
	char *path;
	uint64_t file_size;
	enum vmcsinfo_dump_format format;
	char detail[64];
	const struct dump_backend *be;
	void *priv;			/* back-end state */

	/* file-backed formats: sorted, non-overlapping */
	struct dump_segment *seg;
	size_t nseg;

	uint64_t present_bytes, max_addr, missing_pages;
	bool incomplete;		/* a warning says data is lost */
	bool have_elf_direct_map;	/* from PT_LOAD p_vaddr - p_paddr */
	uint64_t elf_direct_map;
	bool direct_map_tried, have_direct_map;
	uint64_t direct_map;
	const char *direct_map_source;

	struct dump_note_area *areas;
	size_t nareas;
	struct dump_note_rec *notes;
	size_t nnotes, notes_cap;

	char *warn[DUMP_MAX_WARNINGS];
	size_t nwarn;
	bool warn_overflow;

	uint8_t *cache;
	uint64_t cache_off;		/* file offset of cache[0] */
	size_t cache_len;
};

/* Reads through the segments of d and the read-ahead buffer. */
extern const struct dump_backend dump_file_backend;

void dump_warn(struct vmcsinfo_dump *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A warning that also marks the dump incomplete. */
void dump_warn_lost(struct vmcsinfo_dump *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int dump_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* kdump_guard.c: page descriptors checked before libkdumpfile reads. */
struct kdump_guard {
	int fd;
	uint64_t file_size, bitmap_off, desc_off, max_pfn;
	uint64_t *rank;			/* marked pages before each group */
	uint64_t ngroups, group;	/* group: the one in bits[] */
	uint8_t bits[512];
	uint8_t desc[170 * 24];
	uint64_t desc_first;
	size_t desc_n;
	/* marked pages below rank_pfn (in group), for sequential checks */
	uint64_t rank_pfn, rank_below;
};

int kdump_guard_init(struct kdump_guard *g, int fd, uint64_t file_size,
		     char *err, size_t errlen);
/* 0 when the page's descriptor is sane (or it has none), else -1. */
int kdump_guard_check(struct kdump_guard *g, uint64_t pfn, char *err,
		      size_t errlen);
void kdump_guard_free(struct kdump_guard *g);

/* Take ownership of a malloc'd note area and index its notes. */
int dump_add_note_area(struct vmcsinfo_dump *d, uint8_t *buf, size_t len,
		       const char *where);

/* Sort and trim the segments; compute present_bytes and max_addr. */
int dump_finish_segments(struct vmcsinfo_dump *d, char *err, size_t errlen);

/* Back ends: fill in d (segments or be/priv, notes) or fail. */
int dump_open_raw(struct vmcsinfo_dump *d, char *err, size_t errlen);
int dump_open_elf(struct vmcsinfo_dump *d, bool kcore,
		  char *err, size_t errlen);
int dump_open_kdump(struct vmcsinfo_dump *d, bool expect_kdump,
		    char *err, size_t errlen);

/* VMCOREINFO value of key ("NUMBER(phys_base)") from the notes, or -1. */
int dump_vmcoreinfo_hex(const struct vmcsinfo_dump *d, const char *key,
			bool decimal, uint64_t *val);

#endif
