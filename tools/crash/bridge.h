/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Between the crash extension (vmcsinfo.c, which includes crash's defs.h)
 * and libvmcsinfo and the decoder (bridge.c): plain C types only, because
 * defs.h and our headers disagree on names such as u64.
 */
#ifndef VMCSINFO_CRASH_BRIDGE_H
#define VMCSINFO_CRASH_BRIDGE_H

#include <stdint.h>
#include <stdio.h>

/* `vmcs -l`: the layout of every VMCSINFO note in the dump.  0 or -1. */
int vmcsinfo_bridge_layout(FILE *out, const char *dumpfile);
/* `vmcs -s [-e]`: scan the dump as `vmcsinfo-decode scan` does. */
int vmcsinfo_bridge_scan(FILE *out, const char *dumpfile, int explain);
/*
 * `vmcs ADDR`: decode the VMCS region page (4096 bytes, read by crash at
 * physical address paddr) with the dump's notes or the layout database.
 */
int vmcsinfo_bridge_decode(FILE *out, const char *dumpfile, uint64_t paddr,
			   const uint8_t *page, size_t len);
/* Forget what was cached about the dump. */
void vmcsinfo_bridge_release(void);

#endif
