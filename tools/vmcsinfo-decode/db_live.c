// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The note of the running kernel: /sys/kernel/vmcsinfo says where it is
 * ("<physical address> <size>", hex, as /sys/kernel/vmcoreinfo), and the
 * bytes are read from /proc/kcore (its RAM segments carry physical
 * addresses) or, failing that, /dev/mem.  VMCSINFO_KCORE and
 * VMCSINFO_DEVMEM name other files (the tests use an ELF file).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_live.h"
#include "vmcsinfo/note.h"

bool db_live_parse(const char *text, size_t len, uint64_t *paddr,
		   uint64_t *size)
{
	char buf[64], *end;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, text, len);
	buf[len] = 0;
	if (!((buf[0] >= '0' && buf[0] <= '9') || (buf[0] >= 'a' && buf[0] <= 'f')))
		return false;
	errno = 0;
	*paddr = strtoull(buf, &end, 16);
	if (errno || *end != ' ')
		return false;
	*size = strtoull(end + 1, &end, 16);
	if (errno || (*end && strcmp(end, "\n")))
		return false;
	return *size > 0;
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

static int from_kcore(const char *path, uint64_t paddr, uint8_t *buf,
		      size_t len, char *err, size_t errlen)
{
	struct vmcsinfo_dump *d;
	char e[256];
	int s;

	if (vmcsinfo_dump_open(path, VMCSINFO_DUMP_AUTO, &d, e, sizeof(e))) {
		snprintf(err, errlen, "%s: %s", path, e);
		return -1;
	}
	s = vmcsinfo_dump_read(d, paddr, buf, len, e, sizeof(e));
	if (s != VMCSINFO_DUMP_OK)
		snprintf(err, errlen, "%s: physical 0x%" PRIx64 " is %s", path,
			 paddr, s == VMCSINFO_DUMP_NODATA ? "not in it" : e);
	vmcsinfo_dump_close(d);
	return s == VMCSINFO_DUMP_OK ? 0 : -1;
}

static int from_devmem(const char *path, uint64_t paddr, uint8_t *buf,
		       size_t len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	got = pread(fd, buf, len, (off_t)paddr);
	if (got != (ssize_t)len)
		snprintf(err, errlen, "%s: %s", path,
			 got < 0 ? strerror(errno) : "short read");
	close(fd);
	return got == (ssize_t)len ? 0 : -1;
}

int db_live_read(const struct cli *c, const char *sysfs, uint64_t paddr,
		 uint64_t size, uint8_t **out, size_t *outlen)
{
	const char *kcore = env_or("VMCSINFO_KCORE", "/proc/kcore");
	const char *devmem = env_or("VMCSINFO_DEVMEM", "/dev/mem");
	char e1[300], e2[300];
	uint8_t *buf;

	if (size < VMCSINFO_NOTE_DESC_OFF ||
	    size > VMCSINFO_NOTE_DESC_OFF + (uint64_t)VMCSINFO_NOTE_MAX_DESC) {
		cli_err(c, "%s: note size 0x%" PRIx64 " is not that of a VMCSINFO note",
			sysfs, size);
		return -1;
	}
	buf = malloc((size_t)size);
	if (!buf) {
		cli_err(c, "out of memory");
		return -1;
	}
	if (from_kcore(kcore, paddr, buf, (size_t)size, e1, sizeof(e1)) &&
	    from_devmem(devmem, paddr, buf, (size_t)size, e2, sizeof(e2))) {
		cli_err(c, "%s: cannot read the note at physical 0x%" PRIx64 " (%s; %s)",
			sysfs, paddr, e1, e2);
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = (size_t)size;
	return 0;
}
