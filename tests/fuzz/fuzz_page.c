// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target: the VMCS page decoder (vmcs_print.c, the checks of
 * vmcs_check.c, the layout choice of layouts.c, `page` of cmd_page.c) on
 * a region image.
 *
 * Input: one selector byte, then
 *   - bit 7 clear: a region image decoded with built-in layout
 *     (selector & 0x3f) mod N; bit 6 selects --json for `page`;
 *   - bit 7 set: a little-endian u32 length, a VMCSINFO note of that
 *     length (its CRC is recomputed here, so mutations of the layout reach
 *     the decoder instead of failing the checksum), then the region.
 * The region is copied into a heap buffer of exactly the layout's region
 * size, so a read past it is an AddressSanitizer report.  A built-in
 * layout's region is also decoded by `page --force --layout NAME`.
 */
#include <stdint.h>

#include "cli.h"
#include "fuzz_util.h"
#include "json.h"
#include "layouts.h"
#include "vmcs_print.h"
#include "vmcsinfo/note.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_no_user_db();
	fuzz_builtin();
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The note with its CRC made right, parsed; NULL when it does not parse. */
static struct vmcsinfo_note *fuzzed_note(const uint8_t *p, size_t len)
{
	struct vmcsinfo_note *n = NULL;
	uint8_t *copy;
	char err[256];
	uint32_t descsz;

	if (len < VMCSINFO_NOTE_DESC_OFF + 16)
		return NULL;
	copy = malloc(len);
	if (!copy)
		return NULL;
	memcpy(copy, p, len);
	descsz = le32(copy + 4);
	if (descsz >= 16 && descsz <= len - VMCSINFO_NOTE_DESC_OFF) {
		uint8_t *d = copy + VMCSINFO_NOTE_DESC_OFF;
		uint32_t crc;

		memset(d + 12, 0, 4);
		crc = vmcsinfo_crc32(0, d, descsz);
		d[12] = (uint8_t)crc;
		d[13] = (uint8_t)(crc >> 8);
		d[14] = (uint8_t)(crc >> 16);
		d[15] = (uint8_t)(crc >> 24);
	}
	if (vmcsinfo_note_parse(copy, len, &n, err, sizeof(err))) {
		fuzz_check_message(err, sizeof(err));
		n = NULL;
	}
	free(copy);
	return n;
}

static void check_report(const struct vmcsinfo_check_report *r)
{
	int i;

	FUZZ_ASSERT(r->passed + r->failed + r->skipped == VMCSINFO_NR_CHECKS);
	for (i = 0; i < VMCSINFO_NR_CHECKS; i++) {
		FUZZ_ASSERT(r->result[i] <= VMCSINFO_CHECK_FAIL);
		FUZZ_ASSERT(memchr(r->detail[i], 0, sizeof(r->detail[i])));
		FUZZ_ASSERT(!r->is_vmcs || r->result[i] != VMCSINFO_CHECK_FAIL);
	}
}

/*
 * Everything the printers do with a region and its layout (print: the
 * text and JSON printers too, when `page` does not run them).
 */
static void decode(const struct vmcsinfo_note *note, const uint8_t *region,
		   size_t len, FILE *out, bool print)
{
	const struct vmcsinfo_note_header *h = vmcsinfo_note_get_header(note);
	struct vmcsinfo_check_report rep;
	struct vmcsinfo_field_desc f;
	struct vmcs_header vh;
	struct json j;
	char buf[512];
	uint32_t i;

	FUZZ_ASSERT(len == h->region_size);
	FUZZ_ASSERT(vmcsinfo_vmcs_check(note, region, len, 0x12345000, NULL, &rep) == 0);
	check_report(&rep);
	if (len > 16)
		FUZZ_ASSERT(vmcsinfo_vmcs_check(note, region, len - 1, 0, NULL, &rep) == -1);
	vmcs_read_header(note, region, &vh);
	vmcs_launch_state_name(&vh, buf, sizeof(buf));
	if (print) {
		vmcs_print_text(out, note, region, "  ");
		json_init(&j, out, true);
		json_obj_open(&j, NULL);
		checks_json(&j, &rep);
		vmcs_print_json(&j, note, region);
		json_obj_close(&j);
		json_end(&j);
	}
	for (i = 0; vmcsinfo_note_field(note, i, &f) == 0; i++) {
		uint64_t v;

		FUZZ_ASSERT(vmcs_field(note, region, f.encoding, &v));
		FUZZ_ASSERT(f.nbits == 64 || !(v >> f.nbits));
		/* A small buffer: the decoders must stop at its end. */
		vmcs_decode_text(f.encoding, v, buf, 24);
		FUZZ_ASSERT(strlen(buf) < 24);
		vmcs_decode_text(f.encoding, ~v, buf, sizeof(buf));
	}
}

/* `vmcsinfo-decode page --force --layout NAME FILE`, output discarded. */
static void page_command(const char *layout, const uint8_t *region, size_t len,
			 bool json)
{
	char a0[] = "page", a1[] = "--layout", a3[] = "--force", a4[64];
	char a2[128];
	char *argv[] = { a0, a1, a2, a3, a4, NULL };
	struct cli c = { .json = json, .prog = "vmcsinfo-decode" };
	struct fuzz_quiet q;
	int rc;

	snprintf(a2, sizeof(a2), "%s", layout);
	snprintf(a4, sizeof(a4), "%s", fuzz_file(region, len, 0));
	fuzz_quiet_begin(&q);
	c.out = stdout;
	rc = cmd_page(&c, 5, argv);
	fuzz_quiet_end(&q);
	FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_FAIL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_layouts *b = fuzz_builtin();
	struct vmcsinfo_note *own = NULL;
	const struct vmcsinfo_note *note;
	const uint8_t *region;
	size_t rlen, rsize;
	struct layout_set set = { 0 };
	struct layout_choice ch;
	struct fuzz_quiet q;
	uint8_t *buf;
	size_t i;

	if (size < 1)
		return 0;
	if (data[0] & 0x80) {
		uint32_t nlen;

		if (size < 5)
			return 0;
		nlen = le32(data + 1);
		if (nlen > size - 5)
			return 0;
		own = fuzzed_note(data + 5, nlen);
		if (!own)
			return 0;
		note = own;
		region = data + 5 + nlen;
		rlen = size - 5 - nlen;
	} else {
		note = b->note[(data[0] & 0x3f) % b->n];
		region = data + 1;
		rlen = size - 1;
	}
	rsize = vmcsinfo_note_get_header(note)->region_size;
	buf = calloc(1, rsize);
	if (!buf) {
		vmcsinfo_note_free(own);
		return 0;
	}
	memcpy(buf, region, rlen < rsize ? rlen : rsize);
	fuzz_quiet_begin(&q);
	decode(note, buf, rsize, stdout, own != NULL);
	fuzz_quiet_end(&q);

	/* The layout choice among the built-in ones (and the note). */
	for (i = 0; i < b->n; i++)
		if (layouts_add(&set, b->note[i], b->name[i], false))
			abort();
	if (own && layouts_add(&set, own, "fuzzed note", !(data[0] & 0x40)))
		abort();
	if (layouts_choose(&set, buf, rsize, 0, NULL, NULL, &ch) == 0) {
		check_report(&ch.report);
		FUZZ_ASSERT(memchr(ch.reason, 0, sizeof(ch.reason)));
	}
	layouts_free(&set);

	if (!own)
		page_command(b->name[(data[0] & 0x3f) % b->n], region, rlen,
			     data[0] & 0x40);
	free(buf);
	vmcsinfo_note_free(own);
	return 0;
}
