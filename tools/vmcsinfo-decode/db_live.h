/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The running kernel's VMCSINFO note (db_live.c). */
#ifndef VMCSINFO_DECODE_DB_LIVE_H
#define VMCSINFO_DECODE_DB_LIVE_H

#include "cli.h"

/* Whether len bytes of text are "<hex address> <hex size>[\n]". */
bool db_live_parse(const char *text, size_t len, uint64_t *paddr,
		   uint64_t *size);

/*
 * Read size bytes at physical paddr (from /proc/kcore, else /dev/mem)
 * into a malloc'd buffer; sysfs names the source in messages.  0, or -1
 * after printing the error.
 */
int db_live_read(const struct cli *c, const char *sysfs, uint64_t paddr,
		 uint64_t size, uint8_t **out, size_t *outlen);

#endif
