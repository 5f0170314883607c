/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A progress line on standard error, shown only when it is a terminal and
 * the work has taken more than a second.
 */
#ifndef VMCSINFO_DECODE_PROGRESS_H
#define VMCSINFO_DECODE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
	bool enabled, shown;
	const char *prog, *what;
	uint64_t total;
	double start, last;
	unsigned int calls;
};

void progress_init(struct progress *p, bool allow, const char *prog,
		   const char *what, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
/* Erase the line, if one was shown. */
void progress_done(struct progress *p);

#endif
