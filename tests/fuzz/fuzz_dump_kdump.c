// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: makedumpfile's kdump-compressed files (dump_kdump.c
 * through libkdumpfile, with kdump_guard.c checking page descriptors
 * first), opened and read as fuzz_dump.h does.
 */
#include "libvmcsinfo.h"

#define FUZZ_FORMAT(data, size)	((void)(data), (void)(size), VMCSINFO_DUMP_KDUMP)
#define FUZZ_FORMAT_ARG(fmt)	((void)(fmt), "kdump")

#include "fuzz_dump.h"
