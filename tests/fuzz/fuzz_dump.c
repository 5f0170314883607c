// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: opening a dump of any format, detected as
 * vmcsinfo_dump_open() detects it (ELF, kdump, flattened, what
 * libkdumpfile knows, else a raw image), and reading it (fuzz_dump.h).
 */
#include "libvmcsinfo.h"

#define FUZZ_FORMAT(data, size)	((void)(data), (void)(size), VMCSINFO_DUMP_AUTO)
#define FUZZ_FORMAT_ARG(fmt)	((void)(fmt), (const char *)NULL)

#include "fuzz_dump.h"
