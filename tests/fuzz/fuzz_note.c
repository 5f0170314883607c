// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: the VMCSINFO note decoder and everything a decoded
 * note drives (field descriptions, value extraction from a region).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "libvmcsinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t region[4096];
	struct vmcsinfo_note *n;
	struct vmcsinfo_field_desc f;
	char err[256];
	uint32_t i;

	if (vmcsinfo_note_parse(data, size, &n, err, sizeof(err))) {
		/* errors are one line */
		if (!memchr(err, 0, sizeof(err)) || strchr(err, '\n'))
			__builtin_trap();
		return 0;
	}
	memset(region, 0xa5, sizeof(region));
	for (i = 0; vmcsinfo_note_field(n, i, &f) == 0; i++) {
		uint64_t v;

		if (vmcsinfo_note_find(n, f.encoding) != (int)i)
			__builtin_trap();
		if (vmcsinfo_note_read_field(n, region, sizeof(region),
					     f.encoding, &v))
			__builtin_trap();
		if (f.nbits < 64 && v >> f.nbits)
			__builtin_trap();
	}
	vmcsinfo_note_free(n);
	return 0;
}
