// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The scan's progress line on a terminal (progress.h). */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define SHOW_AFTER	1.0	/* seconds: quick scans print nothing */
#define EVERY		0.1	/* seconds between redraws */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, bool allow, const char *prog,
		   const char *what, uint64_t total)
{
	p->enabled = allow && isatty(STDERR_FILENO);
	p->shown = false;
	p->prog = prog;
	p->what = what;
	p->total = total ? total : 1;
	p->start = p->last = p->enabled ? now() : 0;
	p->calls = 0;
}

void progress_update(struct progress *p, uint64_t done)
{
	double t;

	/* Look at the clock only now and then: this runs once a page. */
	if (!p->enabled || ++p->calls % 256)
		return;
	t = now();
	if (t - p->start < SHOW_AFTER || t - p->last < EVERY)
		return;
	p->last = t;
	p->shown = true;
	fprintf(stderr, "\r%s: %s: %3u%% (%.1f of %.1f MiB)", p->prog, p->what,
		(unsigned int)(done * 100 / p->total), done / 1048576.0,
		p->total / 1048576.0);
	fflush(stderr);
}

void progress_done(struct progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = false;
}
