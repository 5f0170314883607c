// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Minimal JSON writer: objects, arrays, integers, strings, booleans.
 * Integers are printed exactly (no floating point), as the --json
 * outputs promise integer values.
 */
#include <inttypes.h>

#include "json.h"

void json_init(struct json *j, FILE *fp, bool pretty)
{
	j->fp = fp;
	j->pretty = pretty;
	j->depth = 0;
	j->need_comma[0] = false;
}

static void indent(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	fputc('\n', j->fp);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->fp);
}

static void put_string(struct json *j, const char *s)
{
	fputc('"', j->fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(j->fp, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(j->fp, "\\u%04x", c);
		else
			fputc(c, j->fp);
	}
	fputc('"', j->fp);
}

static void member(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->fp);
	j->need_comma[j->depth] = true;
	if (j->depth)
		indent(j);
	if (key) {
		put_string(j, key);
		fputs(j->pretty ? ": " : ":", j->fp);
	}
}

static void open(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->fp);
	if (j->depth < 63)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(struct json *j, char c)
{
	bool had = j->need_comma[j->depth];

	if (j->depth)
		j->depth--;
	if (had)
		indent(j);
	fputc(c, j->fp);
}

void json_obj_open(struct json *j, const char *key)
{
	open(j, key, '{');
}

void json_obj_close(struct json *j)
{
	close_(j, '}');
}

void json_arr_open(struct json *j, const char *key)
{
	open(j, key, '[');
}

void json_arr_close(struct json *j)
{
	close_(j, ']');
}

void json_uint(struct json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->fp, "%" PRIu64, v);
}

void json_int(struct json *j, const char *key, int64_t v)
{
	member(j, key);
	fprintf(j->fp, "%" PRId64, v);
}

void json_str(struct json *j, const char *key, const char *s)
{
	member(j, key);
	if (s)
		put_string(j, s);
	else
		fputs("null", j->fp);
}

void json_bool(struct json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->fp);
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->fp);
}

void json_end(struct json *j)
{
	fputc('\n', j->fp);
}

void json_int16_array(struct json *j, const char *key, const int16_t *v,
		      unsigned int n)
{
	unsigned int i;

	member(j, key);
	fputc('[', j->fp);
	for (i = 0; i < n; i++)
		fprintf(j->fp, i ? ",%d" : "%d", v[i]);
	fputc(']', j->fp);
}
