// SPDX-License-Identifier: GPL-2.0 OR MIT
/* vmcsinfo-decode: helpers shared by the subcommands. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_err(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_warn(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: warning: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *cli_name(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

int cli_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

void cli_getopt_reset(void)
{
	/* glibc: 0 also resets its internal state (e.g. after "+" mode). */
	optind = 0;
	opterr = 1;
}

int cli_flush(const struct cli *c)
{
	if (fflush(c->out) || ferror(c->out)) {
		cli_err(c, "write error on standard output");
		return -1;
	}
	return 0;
}

int cli_read_file(const struct cli *c, const char *path, size_t max,
		  uint8_t **buf, size_t *len)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	const char *name = is_stdin ? "standard input" : path;
	size_t cap = 65536, n = 0;
	uint8_t *b;

	*buf = NULL;
	*len = 0;
	if (!fp) {
		cli_err(c, "%s: %s", name, strerror(errno));
		return -1;
	}
	b = malloc(cap);
	if (!b)
		goto nomem;
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *nb;

			if (cap > max)
				break;
			cap *= 2;
			nb = realloc(b, cap);
			if (!nb)
				goto nomem;
			b = nb;
		}
		got = fread(b + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		cli_err(c, "%s: read error: %s", name, strerror(errno));
		goto fail;
	}
	if (n > max) {
		cli_err(c, "%s: larger than %zu bytes; not a note file", name, max);
		goto fail;
	}
	if (!is_stdin)
		fclose(fp);
	*buf = b;
	*len = n;
	return 0;
nomem:
	cli_err(c, "%s: out of memory", name);
fail:
	free(b);
	if (!is_stdin)
		fclose(fp);
	return -1;
}

struct vmcsinfo_note *cli_load_note(const struct cli *c, const char *path)
{
	struct vmcsinfo_note *note;
	char err[256];
	uint8_t *buf;
	size_t len;

	if (cli_read_file(c, path, 1u << 25, &buf, &len))
		return NULL;
	if (vmcsinfo_note_parse(buf, len, &note, err, sizeof(err))) {
		cli_err(c, "%s: %s", cli_name(path), err);
		note = NULL;
	}
	free(buf);
	return note;
}
