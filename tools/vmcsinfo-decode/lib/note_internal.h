/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Inside libvmcsinfo: what a decoded note holds. */
#ifndef VMCSINFO_NOTE_INTERNAL_H
#define VMCSINFO_NOTE_INTERNAL_H

#include "libvmcsinfo.h"
#include "vmcsinfo/layout.h"

struct vmcsinfo_note {
	struct vmcsinfo_note_header header;
	struct vmcsinfo_layout layout;
	size_t size;		/* bytes of the whole note */
};

#endif
