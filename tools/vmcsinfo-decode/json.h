/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* A minimal streaming JSON writer for the --json outputs. */
#ifndef VMCSINFO_JSON_H
#define VMCSINFO_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *fp;
	bool pretty;
	int depth;
	bool need_comma[64];
};

void json_init(struct json *j, FILE *fp, bool pretty);
void json_obj_open(struct json *j, const char *key);	/* key NULL in arrays */
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_uint(struct json *j, const char *key, uint64_t v);
void json_int(struct json *j, const char *key, int64_t v);
void json_str(struct json *j, const char *key, const char *s);	/* NULL -> null */
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* An array of small integers on one line, even when pretty. */
void json_int16_array(struct json *j, const char *key, const int16_t *v,
		      unsigned int n);
/* Ends the document with a newline. */
void json_end(struct json *j);

#endif
