/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* vmcsinfo-decode: what the subcommands share. */
#ifndef VMCSINFO_DECODE_CLI_H
#define VMCSINFO_DECODE_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "libvmcsinfo.h"

struct cli {
	bool json;
	bool pretty;
	const char *prog;
	FILE *out;		/* results: stdout, or crash's fp */
};

/* Exit statuses. */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* bad input or nothing usable */
#define EXIT_USAGE	2
#define EXIT_PARTIAL	3	/* result printed, but something was lost */

/* "prog: fmt\n" on stderr. */
void cli_err(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "prog: warning: fmt\n" on stderr. */
void cli_warn(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Read a whole file ("-" is standard input) of at most max bytes into a
 * malloc'd buffer.  On error prints "prog: PATH: reason" and returns -1.
 */
int cli_read_file(const struct cli *c, const char *path, size_t max,
		  uint8_t **buf, size_t *len);

/* Load and parse a note file; prints the error itself. */
struct vmcsinfo_note *cli_load_note(const struct cli *c, const char *path);

/* "standard input" for "-", else path. */
const char *cli_name(const char *path);

/* A decimal or 0x-hexadecimal number; 0 or -1. */
int cli_parse_u64(const char *s, uint64_t *v);

/* Reset getopt for a subcommand's own options (argv[0] = its name). */
void cli_getopt_reset(void);

/* Check stdout after writing; prints the error.  0 or -1. */
int cli_flush(const struct cli *c);

int cmd_layout(struct cli *c, int argc, char **argv);
/* The text form of `layout` for one note. */
void layout_print_text(FILE *out, const struct vmcsinfo_note *n);
int cmd_page(struct cli *c, int argc, char **argv);
int cmd_scan(struct cli *c, int argc, char **argv);
int cmd_db(struct cli *c, int argc, char **argv);

/* cmd_layout.c: the layout of a note, as `layout` prints it. */
void layout_print(const struct cli *c, const struct vmcsinfo_note *n);
/* "module", "simulator", "database" or "unknown". */
const char *layout_source_name(uint32_t source);

#endif
