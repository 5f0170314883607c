// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Tests of the VMCS field table (include/vmcsinfo/fields.def, expanded by
 * core/fields.c into vmcsinfo_fields[]).
 *
 * The table is the single source of field names and widths for the module,
 * the tools and the decoder, so every entry is checked against what its
 * encoding itself says (SDM Vol. 3C, "VMREAD, VMWRITE, and Encodings of
 * VMCS Fields"), and a set of well-known fields against their published
 * encodings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "vmcsinfo/fields.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define HIGH_SUFFIX	"_HIGH"
#define HIGH_SUFFIX_LEN	(sizeof(HIGH_SUFFIX) - 1)
#define HIGH_DESC	" (high 32 bits)"
#define HIGH_DESC_LEN	(sizeof(HIGH_DESC) - 1)

/*
 * A second, independent expansion of fields.def.  It proves the file can
 * be included more than once with different VMCS_FIELD() definitions, and
 * maps the width and type tokens to encoding bits without going through
 * core/fields.c, so a wrong token mapping there would show up as a
 * mismatch below.
 */
#define TEST_WIDTH_16	0u
#define TEST_WIDTH_64	1u
#define TEST_WIDTH_32	2u
#define TEST_WIDTH_NAT	3u
#define TEST_TYPE_CTRL		0u
#define TEST_TYPE_RODATA	1u
#define TEST_TYPE_GUEST		2u
#define TEST_TYPE_HOST		3u

struct def_entry {
	u32 encoding;
	unsigned int width_bits;
	unsigned int type_bits;
	const char *name;
	const char *desc;
};

#define VMCS_FIELD(enc, name, width, type, desc) \
	{ enc, TEST_WIDTH_##width, TEST_TYPE_##type, #name, desc },
static const struct def_entry def_entries[] = {
#include "vmcsinfo/fields.def"
};

#undef VMCS_FIELD

#define NR_DEF_ENTRIES ARRAY_SIZE(def_entries)

static const char *width_token(unsigned int width)
{
	static const char *const tokens[] = { "16", "64", "32", "NAT" };

	return width < 4 ? tokens[width] : "?";
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

static bool is_upper_c_identifier(const char *s)
{
	const char *p;

	if (!(*s >= 'A' && *s <= 'Z') && *s != '_')
		return false;
	for (p = s; *p; p++) {
		bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			  *p == '_';

		if (!ok)
			return false;
	}
	return true;
}

static void test_table_matches_def(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(vmcsinfo_nr_fields, NR_DEF_ENTRIES);
	for (i = 0; i < vmcsinfo_nr_fields; i++) {
		const struct vmcsinfo_field *f = &vmcsinfo_fields[i];
		const struct def_entry *d = &def_entries[i];

		assert_int_equal(f->encoding, d->encoding);
		assert_int_equal(f->width, d->width_bits);
		assert_int_equal(f->type, d->type_bits);
		assert_string_equal(f->name, d->name);
		assert_string_equal(f->desc, d->desc);
	}
}

static void test_encoding_bits(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < vmcsinfo_nr_fields; i++) {
		const struct vmcsinfo_field *f = &vmcsinfo_fields[i];
		u32 enc = f->encoding;

		if (enc & VMCSINFO_ENC_RESERVED)
			fail_msg("%s (0x%08x): reserved encoding bits set",
				 f->name, (unsigned int)enc);
		if (f->width != vmcsinfo_enc_width(enc))
			fail_msg("%s (0x%08x): declared width %s, encoding says %s",
				 f->name, (unsigned int)enc,
				 width_token(f->width),
				 width_token(vmcsinfo_enc_width(enc)));
		if (f->type != vmcsinfo_enc_type(enc))
			fail_msg("%s (0x%08x): declared type %u, encoding says %u",
				 f->name, (unsigned int)enc, (unsigned int)f->type,
				 (unsigned int)vmcsinfo_enc_type(enc));
		if (vmcsinfo_enc_is_high(enc) && f->width != VMCSINFO_W_64)
			fail_msg("%s (0x%08x): high access on a %s-bit field",
				 f->name, (unsigned int)enc,
				 width_token(f->width));
		/* The _HIGH name suffix and the access-type bit go together. */
		if (ends_with(f->name, HIGH_SUFFIX) != vmcsinfo_enc_is_high(enc))
			fail_msg("%s (0x%08x): _HIGH suffix does not match bit 0",
				 f->name, (unsigned int)enc);
	}
}

static void test_high_entries_pair_up(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < vmcsinfo_nr_fields; i++) {
		const struct vmcsinfo_field *f = &vmcsinfo_fields[i];
		const struct vmcsinfo_field *full, *high;
		size_t len;

		if (f->width != VMCSINFO_W_64)
			continue;
		if (!vmcsinfo_enc_is_high(f->encoding)) {
			/* Every 64-bit full entry is directly followed by its _HIGH. */
			if (i + 1 >= vmcsinfo_nr_fields ||
			    vmcsinfo_fields[i + 1].encoding != (f->encoding | 1))
				fail_msg("%s (0x%08x): no _HIGH entry follows",
					 f->name, (unsigned int)f->encoding);
			continue;
		}
		/* Every _HIGH entry directly follows its full entry. */
		if (i == 0 || vmcsinfo_fields[i - 1].encoding != (f->encoding & ~1u))
			fail_msg("%s (0x%08x): does not follow its full entry",
				 f->name, (unsigned int)f->encoding);
		full = &vmcsinfo_fields[i - 1];
		high = f;

		len = strlen(full->name);
		if (strlen(high->name) != len + HIGH_SUFFIX_LEN ||
		    strncmp(high->name, full->name, len) != 0 ||
		    strcmp(high->name + len, HIGH_SUFFIX) != 0)
			fail_msg("%s: name is not %s" HIGH_SUFFIX,
				 high->name, full->name);
		assert_int_equal(high->width, full->width);
		assert_int_equal(high->type, full->type);

		len = strlen(full->desc);
		if (strlen(high->desc) != len + HIGH_DESC_LEN ||
		    strncmp(high->desc, full->desc, len) != 0 ||
		    strcmp(high->desc + len, HIGH_DESC) != 0)
			fail_msg("%s: description is not \"%s" HIGH_DESC "\"",
				 high->name, full->desc);
	}
}

static void test_sorted_and_unique(void **state)
{
	unsigned int i, j;

	(void)state;
	assert_true(vmcsinfo_nr_fields > 0);
	for (i = 1; i < vmcsinfo_nr_fields; i++)
		if (vmcsinfo_fields[i].encoding <= vmcsinfo_fields[i - 1].encoding)
			fail_msg("%s (0x%08x) is not above %s (0x%08x)",
				 vmcsinfo_fields[i].name,
				 (unsigned int)vmcsinfo_fields[i].encoding,
				 vmcsinfo_fields[i - 1].name,
				 (unsigned int)vmcsinfo_fields[i - 1].encoding);
	/* Strict order already rules out duplicate encodings; names next. */
	for (i = 0; i < vmcsinfo_nr_fields; i++)
		for (j = i + 1; j < vmcsinfo_nr_fields; j++)
			if (strcmp(vmcsinfo_fields[i].name,
				   vmcsinfo_fields[j].name) == 0)
				fail_msg("name %s used twice",
					 vmcsinfo_fields[i].name);
}

static void test_names_and_descriptions(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < vmcsinfo_nr_fields; i++) {
		const struct vmcsinfo_field *f = &vmcsinfo_fields[i];

		assert_non_null(f->name);
		assert_non_null(f->desc);
		if (!is_upper_c_identifier(f->name))
			fail_msg("0x%08x: \"%s\" is not an upper-case C identifier",
				 (unsigned int)f->encoding, f->name);
		if (f->desc[0] == '\0')
			fail_msg("%s: empty description", f->name);
	}
}

static void test_lookup_every_entry(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < vmcsinfo_nr_fields; i++) {
		const struct vmcsinfo_field *f = &vmcsinfo_fields[i];

		assert_ptr_equal(vmcsinfo_field_by_encoding(f->encoding), f);
		assert_ptr_equal(vmcsinfo_field_by_name(f->name), f);
	}
}

static void test_lookup_misses(void **state)
{
	(void)state;
	/* High access to a 16-bit field does not exist. */
	assert_null(vmcsinfo_field_by_encoding(0x00000001));
	/* Unassigned index between known 64-bit control fields. */
	assert_null(vmcsinfo_field_by_encoding(0x00002046));
	/* High access to a natural-width field does not exist. */
	assert_null(vmcsinfo_field_by_encoding(0x0000681f));
	/* Reserved bits set. */
	assert_null(vmcsinfo_field_by_encoding(0x0000781e));
	assert_null(vmcsinfo_field_by_encoding(0xffffffff));
	assert_null(vmcsinfo_field_by_encoding(0x0001681e));

	assert_null(vmcsinfo_field_by_name(""));
	assert_null(vmcsinfo_field_by_name("guest_rip"));
	assert_null(vmcsinfo_field_by_name("GUEST_RIP_HIGH"));
	assert_null(vmcsinfo_field_by_name("GUEST_RI"));
	assert_null(vmcsinfo_field_by_name("GUEST_RIPX"));
}

/*
 * Well-known encodings, from the SDM's Appendix B and Linux's
 * enum vmcs_field, written out here independently of fields.def.
 */
struct known_field {
	const char *name;
	u32 encoding;
	unsigned int width;
	unsigned int type;
};

static const struct known_field known_fields[] = {
	{ "VIRTUAL_PROCESSOR_ID", 0x0000, VMCSINFO_W_16, VMCSINFO_T_CTRL },
	{ "POSTED_INTR_NV", 0x0002, VMCSINFO_W_16, VMCSINFO_T_CTRL },
	{ "GUEST_ES_SELECTOR", 0x0800, VMCSINFO_W_16, VMCSINFO_T_GUEST },
	{ "GUEST_TR_SELECTOR", 0x080e, VMCSINFO_W_16, VMCSINFO_T_GUEST },
	{ "GUEST_INTR_STATUS", 0x0810, VMCSINFO_W_16, VMCSINFO_T_GUEST },
	{ "HOST_CS_SELECTOR", 0x0c02, VMCSINFO_W_16, VMCSINFO_T_HOST },
	{ "HOST_TR_SELECTOR", 0x0c0c, VMCSINFO_W_16, VMCSINFO_T_HOST },
	{ "IO_BITMAP_A", 0x2000, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "MSR_BITMAP", 0x2004, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "PML_ADDRESS", 0x200e, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "TSC_OFFSET", 0x2010, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "TSC_OFFSET_HIGH", 0x2011, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "EPT_POINTER", 0x201a, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "XSS_EXIT_BITMAP", 0x202c, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "ENCLS_EXITING_BITMAP", 0x202e, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "TSC_MULTIPLIER", 0x2032, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "TERTIARY_VM_EXEC_CONTROL", 0x2034, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "PID_POINTER_TABLE", 0x2042, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "SECONDARY_VM_EXIT_CONTROLS", 0x2044, VMCSINFO_W_64, VMCSINFO_T_CTRL },
	{ "GUEST_PHYSICAL_ADDRESS", 0x2400, VMCSINFO_W_64, VMCSINFO_T_RODATA },
	{ "VMCS_LINK_POINTER", 0x2800, VMCSINFO_W_64, VMCSINFO_T_GUEST },
	{ "VMCS_LINK_POINTER_HIGH", 0x2801, VMCSINFO_W_64, VMCSINFO_T_GUEST },
	{ "GUEST_IA32_EFER", 0x2806, VMCSINFO_W_64, VMCSINFO_T_GUEST },
	{ "GUEST_IA32_FRED_CONFIG", 0x281a, VMCSINFO_W_64, VMCSINFO_T_GUEST },
	{ "HOST_IA32_EFER", 0x2c02, VMCSINFO_W_64, VMCSINFO_T_HOST },
	{ "PIN_BASED_VM_EXEC_CONTROL", 0x4000, VMCSINFO_W_32, VMCSINFO_T_CTRL },
	{ "CPU_BASED_VM_EXEC_CONTROL", 0x4002, VMCSINFO_W_32, VMCSINFO_T_CTRL },
	{ "SECONDARY_VM_EXEC_CONTROL", 0x401e, VMCSINFO_W_32, VMCSINFO_T_CTRL },
	{ "NOTIFY_WINDOW", 0x4024, VMCSINFO_W_32, VMCSINFO_T_CTRL },
	{ "VM_INSTRUCTION_ERROR", 0x4400, VMCSINFO_W_32, VMCSINFO_T_RODATA },
	{ "VM_EXIT_REASON", 0x4402, VMCSINFO_W_32, VMCSINFO_T_RODATA },
	{ "GUEST_ES_AR_BYTES", 0x4814, VMCSINFO_W_32, VMCSINFO_T_GUEST },
	{ "GUEST_TR_AR_BYTES", 0x4822, VMCSINFO_W_32, VMCSINFO_T_GUEST },
	{ "GUEST_ACTIVITY_STATE", 0x4826, VMCSINFO_W_32, VMCSINFO_T_GUEST },
	{ "VMX_PREEMPTION_TIMER_VALUE", 0x482e, VMCSINFO_W_32, VMCSINFO_T_GUEST },
	{ "HOST_IA32_SYSENTER_CS", 0x4c00, VMCSINFO_W_32, VMCSINFO_T_HOST },
	{ "CR0_GUEST_HOST_MASK", 0x6000, VMCSINFO_W_NAT, VMCSINFO_T_CTRL },
	{ "EXIT_QUALIFICATION", 0x6400, VMCSINFO_W_NAT, VMCSINFO_T_RODATA },
	{ "GUEST_CR3", 0x6802, VMCSINFO_W_NAT, VMCSINFO_T_GUEST },
	{ "GUEST_RSP", 0x681c, VMCSINFO_W_NAT, VMCSINFO_T_GUEST },
	{ "GUEST_RIP", 0x681e, VMCSINFO_W_NAT, VMCSINFO_T_GUEST },
	{ "GUEST_RFLAGS", 0x6820, VMCSINFO_W_NAT, VMCSINFO_T_GUEST },
	{ "GUEST_S_CET", 0x6828, VMCSINFO_W_NAT, VMCSINFO_T_GUEST },
	{ "HOST_CR3", 0x6c02, VMCSINFO_W_NAT, VMCSINFO_T_HOST },
	{ "HOST_RSP", 0x6c14, VMCSINFO_W_NAT, VMCSINFO_T_HOST },
	{ "HOST_RIP", 0x6c16, VMCSINFO_W_NAT, VMCSINFO_T_HOST },
	{ "HOST_INTR_SSP_TABLE", 0x6c1c, VMCSINFO_W_NAT, VMCSINFO_T_HOST },
};

static void test_known_fields(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(known_fields); i++) {
		const struct known_field *k = &known_fields[i];
		const struct vmcsinfo_field *by_name, *by_enc;

		by_name = vmcsinfo_field_by_name(k->name);
		if (!by_name)
			fail_msg("%s missing from the table", k->name);
		if (by_name->encoding != k->encoding)
			fail_msg("%s: encoding 0x%08x, expected 0x%08x", k->name,
				 (unsigned int)by_name->encoding,
				 (unsigned int)k->encoding);
		assert_int_equal(by_name->width, k->width);
		assert_int_equal(by_name->type, k->type);

		by_enc = vmcsinfo_field_by_encoding(k->encoding);
		if (!by_enc)
			fail_msg("0x%08x (%s) missing from the table",
				 (unsigned int)k->encoding, k->name);
		assert_string_equal(by_enc->name, k->name);
		assert_ptr_equal(by_enc, by_name);
	}
}

/*
 * Completeness floor: per width and type, at least as many entries as
 * the corresponding table of the SDM's Appendix B (edition of February
 * 2026: B-1 to B-15, _HIGH encodings counted, 273 in all).  The table may
 * hold more (fields announced outside the SDM), never fewer.
 */
static void test_sdm_table_counts(void **state)
{
	static const unsigned int sdm_count[4][4] = {
		/* CTRL, RODATA, GUEST, HOST */
		[VMCSINFO_W_16]  = {  5, 0, 11,  7 },
		[VMCSINFO_W_64]  = { 74, 6, 42, 24 },
		[VMCSINFO_W_32]  = { 20, 8, 23,  1 },
		[VMCSINFO_W_NAT] = {  8, 6, 23, 15 },
	};
	unsigned int count[4][4] = { { 0 } };
	unsigned int i, w, t;

	(void)state;
	for (i = 0; i < vmcsinfo_nr_fields; i++)
		count[vmcsinfo_fields[i].width & 3][vmcsinfo_fields[i].type & 3]++;
	for (w = 0; w < 4; w++)
		for (t = 0; t < 4; t++)
			if (count[w][t] < sdm_count[w][t])
				fail_msg("width %s type %u: %u entries, SDM lists %u",
					 width_token(w), t, count[w][t],
					 sdm_count[w][t]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_matches_def),
		cmocka_unit_test(test_encoding_bits),
		cmocka_unit_test(test_high_entries_pair_up),
		cmocka_unit_test(test_sorted_and_unique),
		cmocka_unit_test(test_names_and_descriptions),
		cmocka_unit_test(test_lookup_every_entry),
		cmocka_unit_test(test_lookup_misses),
		cmocka_unit_test(test_known_fields),
		cmocka_unit_test(test_sdm_table_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
