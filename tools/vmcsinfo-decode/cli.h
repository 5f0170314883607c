/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* vmcsinfo-decode: what the subcommands share. */
#ifndef VMCSINFO_DECODE_CLI_H
#define VMCSINFO_DECODE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libvmcsinfo.h"

struct cli {
	bool json;
	bool pretty;
	const char *prog;
};

/* Exit statuses. */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* bad input or nothing usable */
#define EXIT_USAGE	2
#define EXIT_PARTIAL	3	/* result printed, but something was lost */

/* "prog: fmt\n" on stderr. */
void cli_err(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Read a whole file ("-" is standard input) of at most max bytes into a
 * malloc'd buffer.  On error prints "prog: PATH: reason" and returns -1.
 */
int cli_read_file(const struct cli *c, const char *path, size_t max,
		  uint8_t **buf, size_t *len);

/* Load and parse a note file; prints the error itself. */
struct vmcsinfo_note *cli_load_note(const struct cli *c, const char *path);

int cmd_layout(struct cli *c, int argc, char **argv);

#endif
