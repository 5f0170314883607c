// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: ELF vmcores and /proc/kcore (dump_elf.c through
 * libelf), opened and read as fuzz_dump.h does.  An odd e_ident[15]
 * (padding, which libelf ignores) asks for the kcore reading.
 */
#include "libvmcsinfo.h"

#define FUZZ_FORMAT(data, size)	\
	((size) > 15 && ((data)[15] & 1) ? VMCSINFO_DUMP_KCORE : VMCSINFO_DUMP_ELF)
#define FUZZ_FORMAT_ARG(fmt)	((fmt) == VMCSINFO_DUMP_KCORE ? "kcore" : "elf")

#include "fuzz_dump.h"
