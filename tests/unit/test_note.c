// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The VMCSINFO note: encoder (core/note.c) and decoder
 * (tools/vmcsinfo-decode/lib/note_parse.c).  Round trips through a probe of
 * a model, the checksum against zlib's, and the decoder's refusal of every
 * kind of malformed note.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "libvmcsinfo.h"
#include "model.h"
#include "vmcsinfo/note.h"

#define DESC VMCSINFO_NOTE_DESC_OFF
#define HOFF(m) (DESC + offsetof(struct vmcsinfo_note_hdr, m))

static void put32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32 get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* A note for a model's own layout (no probe needed for the format). */
static u8 *model_note(const char *name, size_t *len, struct sim_model *m)
{
	struct vmcsinfo_note_info info = { 0 };
	char path[1024], msg[256];
	u8 *buf;

	snprintf(path, sizeof(path), "%s/models/%s", VMCSINFO_SRCDIR, name);
	if (sim_model_load(path, m, msg, sizeof(msg)))
		fail_msg("%s", msg);
	m->layout.methods = 3;
	info.cpuid_signature = 0x50654;
	info.microcode = 0x2006e05;
	memcpy(info.vendor, "GenuineIntel", 12);
	info.source = VMCSINFO_SRC_SIMULATOR;
	info.msr_valid = m->msr_valid;
	memcpy(info.msrs, m->msrs, sizeof(info.msrs));
	*len = vmcsinfo_note_size(&m->layout);
	buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(vmcsinfo_note_encode(&m->layout, &info, 0x1234000,
					      buf, *len), *len);
	/* one byte short is refused */
	assert_int_equal(vmcsinfo_note_encode(&m->layout, &info, 0, buf,
					      *len - 1), 0);
	return buf;
}

/* Recompute the checksum after a deliberate corruption. */
static void reseal(u8 *note)
{
	u32 dsize = get32(note + 4);

	put32(note + HOFF(crc32), 0);
	put32(note + HOFF(crc32), (u32)crc32(0, note + DESC, dsize));
}

static int parse(const u8 *buf, size_t len, char *err, size_t errlen)
{
	struct vmcsinfo_note *n = NULL;
	int r = vmcsinfo_note_parse(buf, len, &n, err, errlen);

	assert_true(r == 0 ? n != NULL : n == NULL);
	vmcsinfo_note_free(n);
	return r;
}

static void test_crc32_matches_zlib(void **state)
{
	u8 data[1000];
	size_t i;

	(void)state;
	assert_int_equal(vmcsinfo_crc32(0, (const u8 *)"123456789", 9),
			 0xcbf43926u);
	srand(7);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (u8)rand();
	for (i = 0; i <= sizeof(data); i += 37)
		assert_int_equal(vmcsinfo_crc32(0, data, i),
				 (u32)crc32(0, data, (uInt)i));
	/* chaining */
	assert_int_equal(vmcsinfo_crc32(vmcsinfo_crc32(0, data, 100),
					data + 100, 900),
			 (u32)crc32(0, data, 1000));
}

static void test_round_trip(void **state)
{
	const char *models[] = { "bochs-2.7-corei7_skylake_x.model",
				 "realcpu-packed.model", "kvm-vmcs12.model" };
	unsigned int k;

	(void)state;
	for (k = 0; k < 3; k++) {
		struct sim_model m;
		struct vmcsinfo_note *n;
		const struct vmcsinfo_note_header *h;
		char err[256];
		size_t len;
		u8 *buf = model_note(models[k], &len, &m);
		u32 i;

		assert_int_equal(vmcsinfo_note_parse(buf, len, &n, err,
						     sizeof(err)), 0);
		h = vmcsinfo_note_get_header(n);
		assert_int_equal(h->revision_id, m.revision_id);
		assert_int_equal(h->region_size, m.region_size);
		assert_int_equal(h->nfields, m.layout.nfields);
		assert_int_equal(h->note_paddr, 0x1234000);
		assert_int_equal(h->cpuid_signature, 0x50654);
		assert_int_equal(h->microcode, 0x2006e05);
		assert_string_equal(h->vendor, "GenuineIntel");
		assert_int_equal(h->launch_state_offset, m.launch_state_offset);
		assert_int_equal(h->msrs[0], m.msrs[0]);
		for (i = 0; i < m.layout.nfields; i++) {
			struct vmcsinfo_field_desc f;

			assert_int_equal(vmcsinfo_note_field(n, i, &f), 0);
			assert_int_equal(f.encoding, m.layout.fields[i].encoding);
			assert_int_equal(f.nbits, m.layout.fields[i].nbits);
			assert_memory_equal(f.map, m.layout.fields[i].map,
					    sizeof(f.map));
			assert_int_equal(vmcsinfo_note_find(n, f.encoding),
					 (int)i);
		}
		assert_int_equal(vmcsinfo_note_field(n, i, &(struct vmcsinfo_field_desc){ 0 }), -1);
		vmcsinfo_note_free(n);
		sim_model_free(&m);
		free(buf);
	}
}

/* The CRC covers the desc with the crc field zero: recompute it. */
static void test_crc_definition(void **state)
{
	struct sim_model m;
	size_t len;
	u8 *buf = model_note("kvm-vmcs12.model", &len, &m);
	u32 stored = get32(buf + HOFF(crc32));

	(void)state;
	put32(buf + HOFF(crc32), 0);
	assert_int_equal((u32)crc32(0, buf + DESC, (uInt)(len - DESC)), stored);
	sim_model_free(&m);
	free(buf);
}

/* Plain fields are one run; the Bochs AR rotation is two. */
static void test_compact_runs(void **state)
{
	struct sim_model m;
	size_t len, want = sizeof(struct vmcsinfo_note_hdr);
	u8 *buf = model_note("bochs-2.7-corei7_skylake_x.model", &len, &m);
	u32 i;

	(void)state;
	for (i = 0; i < m.layout.nfields; i++) {
		u32 e = m.layout.fields[i].encoding;
		bool ar = e >= 0x4814 && e <= 0x4822;

		want += 8 + 4 * (ar ? 2 : 1);
	}
	assert_int_equal(len, DESC + want);
	sim_model_free(&m);
	free(buf);
}

struct corruption {
	const char *what;
	size_t offset;		/* byte to change (from note start) */
	u32 value;		/* new 32-bit value at offset */
	bool reseal;		/* fix the CRC so deeper checks are reached */
	const char *expect;	/* substring of the error */
};

static void test_rejects_corruption(void **state)
{
	struct sim_model m;
	size_t len;
	u8 *good = model_note("bochs-2.7-corei7_skylake_x.model", &len, &m);
	size_t f0 = DESC + sizeof(struct vmcsinfo_note_hdr);
	const struct corruption cases[] = {
		{ "name", 12, 0x58534d56, false, "wrong note name" },
		{ "namesz", 0, 8, false, "wrong note name" },
		{ "type", 8, 2, false, "unknown type" },
		{ "descsz past end", 4, 0x10000, false, "truncated" },
		{ "magic", HOFF(magic), 0x12345678, false, "bad magic" },
		{ "version", HOFF(version), 2, true, "version 2" },
		{ "hdr_size", HOFF(version), 1 | (16u << 16), true, "header size" },
		{ "desc_size", HOFF(desc_size), 12, true, "disagrees" },
		{ "crc", HOFF(crc32), 0xdeadbeef, false, "checksum" },
		{ "region size", HOFF(region_size), 8192, true, "region size" },
		{ "nfields", HOFF(nfields), 0xffffffff, true, "field count" },
		{ "fields offset", HOFF(fields_offset), 0xfffffff0, true, "outside" },
		{ "fields size", HOFF(fields_size), 0xfffffff0, true, "outside" },
		{ "field width", f0 + 4, 64 | (0 << 8), true, "width" },
		{ "run start", f0 + 8, 1 | (16 << 8), true, "run 0" },
		{ "run target", f0 + 8, 0 | (16 << 8) | (0x7ffeu << 16), true,
		  "outside bytes" },
		{ "run into header", f0 + 8, 0 | (16 << 8) | (8u << 16), true,
		  "outside bytes" },
		{ "reserved encoding bits", f0, 0x10000, true, "reserved bits" },
		{ "order", f0, 0x0c0c, true, "out of order" },
	};
	unsigned int i;
	char err[256];

	(void)state;
	assert_int_equal(parse(good, len, err, sizeof(err)), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		u8 *bad = malloc(len);

		memcpy(bad, good, len);
		put32(bad + cases[i].offset, cases[i].value);
		if (cases[i].reseal)
			reseal(bad);
		err[0] = 0;
		if (parse(bad, len, err, sizeof(err)) == 0)
			fail_msg("corruption '%s' was accepted", cases[i].what);
		if (!strstr(err, cases[i].expect))
			fail_msg("corruption '%s': error '%s' lacks '%s'",
				 cases[i].what, err, cases[i].expect);
		assert_null(strchr(err, '\n'));
		free(bad);
	}
	/* every truncation */
	for (i = 0; i < len; i += 7)
		assert_int_equal(parse(good, i, err, sizeof(err)), -1);
	sim_model_free(&m);
	free(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_matches_zlib),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_crc_definition),
		cmocka_unit_test(test_compact_runs),
		cmocka_unit_test(test_rejects_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
