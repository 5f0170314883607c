/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The dump-opening fuzz targets (fuzz_dump.c, fuzz_dump_elf.c,
 * fuzz_dump_kdump.c) differ only in the format they ask for: each
 * defines FUZZ_FORMAT(data, size) and FUZZ_FORMAT_ARG(fmt) (the --format
 * of `scan`, or NULL) and includes this file.
 *
 * The input is written to a memfd and opened with vmcsinfo_dump_open();
 * then everything the API offers is used: ranges (each must be sane),
 * reads at their edges and across page boundaries, notes, warnings, the
 * direct map; then `vmcsinfo-decode scan --json --explain` on it.
 */
#ifndef VMCSINFO_FUZZ_DUMP_H
#define VMCSINFO_FUZZ_DUMP_H

#include <stdint.h>

#include "cli.h"
#include "fuzz_util.h"

#define MAX_RANGES	64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_no_user_db();
	return 0;
}

static void read_at(struct vmcsinfo_dump *d, uint64_t paddr, size_t len)
{
	static uint8_t buf[3 * FUZZ_PAGE];
	char err[256];
	int rc;

	if (len > sizeof(buf))
		len = sizeof(buf);
	rc = vmcsinfo_dump_read(d, paddr, buf, len, err, sizeof(err));
	FUZZ_ASSERT(rc == VMCSINFO_DUMP_OK || rc == VMCSINFO_DUMP_NODATA ||
		    rc == VMCSINFO_DUMP_ERROR);
	if (rc == VMCSINFO_DUMP_ERROR)
		fuzz_check_message(err, sizeof(err));
}

static void use_dump(struct vmcsinfo_dump *d)
{
	struct vmcsinfo_dump_range r;
	struct vmcsinfo_dump_note n;
	uint64_t addr = 0, present = 0, base;
	const char *source;
	char err[256];
	size_t i;
	int rc;

	FUZZ_ASSERT(vmcsinfo_dump_format_name(vmcsinfo_dump_get_format(d)));
	FUZZ_ASSERT(memchr(vmcsinfo_dump_format_detail(d), 0, 64));
	for (i = 0; i < MAX_RANGES; i++) {
		rc = vmcsinfo_dump_next_range(d, addr, &r, err, sizeof(err));
		if (rc) {
			FUZZ_ASSERT(rc == 1 || rc == -1);
			if (rc < 0)
				fuzz_check_message(err, sizeof(err));
			break;
		}
		FUZZ_ASSERT(r.start < r.end && r.end > addr);
		FUZZ_ASSERT(r.end <= vmcsinfo_dump_max_addr(d));
		present += r.end - r.start;
		read_at(d, r.start, FUZZ_PAGE);
		read_at(d, r.end - 8, 8);
		read_at(d, r.end - 8, 16);		/* past the range */
		read_at(d, r.start + FUZZ_PAGE - 8, 2 * FUZZ_PAGE);
		read_at(d, r.start + (r.end - r.start) / 2, 3 * FUZZ_PAGE);
		addr = r.end;
	}
	if (i < MAX_RANGES && rc == 1)
		FUZZ_ASSERT(present == vmcsinfo_dump_present_bytes(d));
	read_at(d, 0, 64);
	read_at(d, UINT64_MAX - 7, 16);
	read_at(d, vmcsinfo_dump_max_addr(d), FUZZ_PAGE);
	for (i = 0; vmcsinfo_dump_note(d, i, &n) == 0; i++) {
		volatile uint8_t sum = 0;
		uint32_t k;

		FUZZ_ASSERT(n.name && n.where && n.raw);
		FUZZ_ASSERT(strlen(n.name) < 1u << 24);
		for (k = 0; k < n.desc_size; k++)
			sum ^= n.desc[k];
		FUZZ_ASSERT(n.desc + n.desc_size <= n.raw + n.raw_size);
		(void)sum;
	}
	for (i = 0; i < vmcsinfo_dump_nwarnings(d); i++) {
		const char *w = vmcsinfo_dump_warning(d, i);

		FUZZ_ASSERT(w && w[0] && !strchr(w, '\n'));
	}
	FUZZ_ASSERT(!vmcsinfo_dump_warning(d, i));
	if (vmcsinfo_dump_direct_map(d, &base, &source) == 0)
		FUZZ_ASSERT(source);
	(void)vmcsinfo_dump_missing_pages(d);
	(void)vmcsinfo_dump_incomplete(d);
}

static void scan_command(const char *path, const char *format)
{
	char a0[] = "scan", a1[] = "--explain", a2[] = "--no-progress",
	     a3[] = "--format", a4[16], a5[64];
	char *argv[] = { a0, a1, a2, a3, a4, a5, NULL };
	struct cli c = { .json = true, .prog = "vmcsinfo-decode" };
	struct fuzz_quiet q;
	int rc;

	snprintf(a4, sizeof(a4), "%s", format ? format : "");
	snprintf(a5, sizeof(a5), "%s", path);
	fuzz_quiet_begin(&q);
	c.out = stdout;
	if (format)
		rc = cmd_scan(&c, 6, argv);
	else {
		argv[3] = a5;
		argv[4] = NULL;
		rc = cmd_scan(&c, 4, argv);
	}
	fuzz_quiet_end(&q);
	FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_FAIL || rc == EXIT_PARTIAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum vmcsinfo_dump_format fmt = FUZZ_FORMAT(data, size);
	const char *path = fuzz_file(data, size, 0);
	struct vmcsinfo_dump *d;
	char err[512];

	if (vmcsinfo_dump_open(path, fmt, &d, err, sizeof(err))) {
		fuzz_check_message(err, sizeof(err));
		return 0;
	}
	use_dump(d);
	vmcsinfo_dump_close(d);
	scan_command(path, FUZZ_FORMAT_ARG(fmt));
	return 0;
}

#endif
