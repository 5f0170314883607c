// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: the scan of a memory image (scan.c, cmd_scan.c):
 * the page-start search for VMCSINFO notes (structure, checksum, the
 * physical address a note states), the VMCS candidates of every revision
 * a layout knows, the direct map from their HOST_CR3, the grouping into
 * VMs and vCPUs, and both outputs.
 *
 * Input: a raw physical-memory image, scanned by
 * `vmcsinfo-decode scan --format raw --explain --fields` as text and as
 * JSON, output discarded.
 */
#include <stdint.h>

#include "cli.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_no_user_db();
	return 0;
}

static void scan_command(const char *path, bool json)
{
	char a0[] = "scan", a1[] = "--format", a2[] = "raw", a3[] = "--explain",
	     a4[] = "--fields", a5[] = "--no-progress", a6[64];
	char *argv[] = { a0, a1, a2, a3, a4, a5, a6, NULL };
	struct cli c = { .json = json, .prog = "vmcsinfo-decode" };
	struct fuzz_quiet q;
	int rc;

	snprintf(a6, sizeof(a6), "%s", path);
	fuzz_quiet_begin(&q);
	c.out = stdout;
	rc = cmd_scan(&c, 7, argv);
	fuzz_quiet_end(&q);
	FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_FAIL || rc == EXIT_PARTIAL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size, 0);

	scan_command(path, false);
	scan_command(path, true);
	return 0;
}
