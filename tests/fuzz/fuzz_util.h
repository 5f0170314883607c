/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the fuzz targets share: the input as a file with a path (the dump
 * reader and the commands open paths), the built-in layouts, checks that
 * trap on a broken promise, and quiet stdio.
 */
#ifndef VMCSINFO_FUZZ_UTIL_H
#define VMCSINFO_FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libvmcsinfo.h"

#define FUZZ_PAGE	4096u

/* Generated from the models at build time (db_builtin.c). */
const unsigned char *db_builtin_get(size_t i, size_t *size,
				    const char **name, const char **model);

#define FUZZ_MAX_BUILTIN	16

struct fuzz_layouts {
	struct vmcsinfo_note *note[FUZZ_MAX_BUILTIN];
	const char *name[FUZZ_MAX_BUILTIN];
	size_t n;
};

/* The built-in database's notes, parsed once. */
static inline const struct fuzz_layouts *fuzz_builtin(void)
{
	static struct fuzz_layouts l;
	const unsigned char *p;
	const char *name, *model;
	size_t size;
	char err[256];

	if (l.n)
		return &l;
	while (l.n < FUZZ_MAX_BUILTIN &&
	       (p = db_builtin_get(l.n, &size, &name, &model))) {
		if (vmcsinfo_note_parse(p, size, &l.note[l.n], err, sizeof(err))) {
			fprintf(stderr, "fuzz: built-in layout %s: %s\n", name, err);
			abort();
		}
		l.name[l.n++] = name;
	}
	if (!l.n)
		abort();
	return &l;
}

/*
 * The input in a memfd, padded with zeros to at least min_size bytes;
 * the path that opens it.  One memfd for the whole run.
 */
static inline const char *fuzz_file(const uint8_t *data, size_t size,
				    size_t min_size)
{
	static int fd = -1;
	static char path[64];
	size_t done = 0;

	if (fd < 0) {
		fd = memfd_create("fuzz-input", MFD_CLOEXEC);
		if (fd < 0) {
			perror("fuzz: memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0))
		abort();
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);

		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	if (size < min_size && ftruncate(fd, (off_t)min_size))
		abort();
	return path;
}

/* A promise of the API is broken: make libFuzzer keep the input. */
#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__,	\
				__LINE__, #cond);			\
			abort();					\
		}							\
	} while (0)

/* An error message: non-empty, one line, terminated within its buffer. */
static inline void fuzz_check_message(const char *err, size_t len)
{
	FUZZ_ASSERT(memchr(err, 0, len));
	FUZZ_ASSERT(err[0]);
	FUZZ_ASSERT(!strchr(err, '\n'));
}

/*
 * stdout and stderr of the code under test go to /dev/null (the
 * commands print on them); sanitizer and libFuzzer reports write to
 * file descriptor 2 directly and still show.
 */
struct fuzz_quiet {
	FILE *out, *err;
};

static inline void fuzz_quiet_begin(struct fuzz_quiet *q)
{
	static FILE *sink;

	if (!sink) {
		sink = fopen("/dev/null", "w");
		if (!sink)
			abort();
	}
	fflush(stdout);
	fflush(stderr);
	q->out = stdout;
	q->err = stderr;
	stdout = sink;
	stderr = sink;
}

static inline void fuzz_quiet_end(struct fuzz_quiet *q)
{
	fflush(stdout);
	clearerr(stdout);
	stdout = q->out;
	stderr = q->err;
}

/* No user layout database: only the built-in one. */
static inline void fuzz_no_user_db(void)
{
	setenv("VMCSINFO_DB", "/nonexistent/vmcsinfo-fuzz-db", 1);
}

#endif
