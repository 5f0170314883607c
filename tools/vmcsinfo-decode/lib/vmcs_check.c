// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Is this page a VMCS?  Structural checks on a candidate region read
 * with a layout: what the processor would have refused at VM entry (SDM
 * Vol. 3C, 27.2 "Checks on VMX controls and host-state area", 27.3
 * "Checking and loading guest state") or could never have written
 * (the VMX-abort indicator), plus one check against the rest of the dump:
 * a hypervisor's VMCS is mapped in its own address space, so HOST_CR3
 * must map the page at its direct-map address.
 *
 * Each check passes, fails, or is skipped when the layout lacks a field
 * or the dump cannot tell; a page is a VMCS when no check failed and the
 * key ones ran.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "libvmcsinfo.h"

#define ENC_EPT_POINTER			0x0000201au
#define ENC_VMCS_LINK_POINTER		0x00002800u
#define ENC_CPU_BASED			0x00004002u
#define ENC_VM_ENTRY_CONTROLS		0x00004012u
#define ENC_SECONDARY			0x0000401eu
#define ENC_GUEST_CR3			0x00006802u
#define ENC_GUEST_CR4			0x00006804u
#define ENC_HOST_CR0			0x00006c00u
#define ENC_HOST_CR3			0x00006c02u
#define ENC_HOST_CR4			0x00006c04u

#define PRIMARY_SECONDARY		(1ull << 31)
#define SECONDARY_EPT			(1ull << 1)
#define SECONDARY_SHADOWING		(1ull << 14)
#define ENTRY_IA32E_GUEST		(1ull << 9)
#define CR0_PE				(1ull << 0)
#define CR0_NE				(1ull << 5)
#define CR0_PG				(1ull << 31)
#define CR4_LA57			(1ull << 12)
#define CR4_VMXE			(1ull << 13)
#define CR4_PCIDE			(1ull << 17)
/* Every CR4 bit the SDM defines (see vmx_bits.c); the rest are reserved. */
#define CR4_DEFINED			0x11bff7fffull
/* Bits 63:52 are beyond any physical-address width. */
#define ABOVE_MAXPHYS			0xfff0000000000000ull
/* CR3 bits 11:5 and 2:0: reserved without PCIDs (3 and 4 are PWT, PCD). */
#define CR3_RESERVED_LOW		0xfe7ull
#define PAGE_MASK			0xfffull

struct ctx {
	const struct vmcsinfo_note *note;
	const uint8_t *page;
	size_t len;
	struct vmcsinfo_check_report *out;
};

static const char *const check_names[VMCSINFO_NR_CHECKS] = {
	[VMCSINFO_CHECK_REVISION] = "revision",
	[VMCSINFO_CHECK_ABORT] = "abort_indicator",
	[VMCSINFO_CHECK_LINK_POINTER] = "link_pointer",
	[VMCSINFO_CHECK_HOST_CR0] = "host_cr0",
	[VMCSINFO_CHECK_HOST_CR4] = "host_cr4",
	[VMCSINFO_CHECK_HOST_CR3] = "host_cr3",
	[VMCSINFO_CHECK_GUEST_CR3] = "guest_cr3",
	[VMCSINFO_CHECK_GUEST_CR4] = "guest_cr4",
	[VMCSINFO_CHECK_EPTP] = "eptp",
	[VMCSINFO_CHECK_HOST_MAPPING] = "host_mapping",
};

const char *vmcsinfo_check_name(enum vmcsinfo_check_id id)
{
	return (unsigned int)id < VMCSINFO_NR_CHECKS ? check_names[id] : NULL;
}

__attribute__((format(printf, 4, 5)))
static void set(struct ctx *c, enum vmcsinfo_check_id id,
		enum vmcsinfo_check_result r, const char *fmt, ...)
{
	va_list ap;

	c->out->result[id] = (uint8_t)r;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(c->out->detail[id], sizeof(c->out->detail[id]), fmt, ap);
		va_end(ap);
	}
}

static bool get(const struct ctx *c, uint32_t enc, uint64_t *v)
{
	return vmcsinfo_note_read_field(c->note, c->page, c->len, enc, v) == 0;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void check_abort(struct ctx *c, uint32_t offset, uint32_t region)
{
	static const char *const why[] = {
		NULL,
		"saving guest MSRs failed",
		"host checking of PDPTEs failed",
		"the current VMCS was corrupted",
		"loading host MSRs failed",
		"machine-check event during VM exit",
		"IA-32e mode host with host address-space size 0",
	};
	uint32_t v;

	if (offset > region - 4) {
		set(c, VMCSINFO_CHECK_ABORT, VMCSINFO_CHECK_SKIPPED,
		    "layout puts the abort indicator at 0x%x", offset);
		return;
	}
	v = le32(c->page + offset);
	c->out->abort_indicator = v;
	if (!v)
		set(c, VMCSINFO_CHECK_ABORT, VMCSINFO_CHECK_PASS, NULL);
	else if (v < sizeof(why) / sizeof(why[0]))
		set(c, VMCSINFO_CHECK_ABORT, VMCSINFO_CHECK_PASS,
		    "VMX abort %u: %s", v, why[v]);
	else
		set(c, VMCSINFO_CHECK_ABORT, VMCSINFO_CHECK_FAIL,
		    "abort indicator 0x%x is neither 0 nor a VMX-abort code", v);
}

static void check_link(struct ctx *c, uint64_t max)
{
	uint64_t link, prim = 0, sec = 0;

	if (!get(c, ENC_VMCS_LINK_POINTER, &link)) {
		set(c, VMCSINFO_CHECK_LINK_POINTER, VMCSINFO_CHECK_SKIPPED,
		    "layout has no VMCS_LINK_POINTER");
		return;
	}
	get(c, ENC_CPU_BASED, &prim);
	get(c, ENC_SECONDARY, &sec);
	if (link == ~0ull)
		set(c, VMCSINFO_CHECK_LINK_POINTER, VMCSINFO_CHECK_PASS, NULL);
	else if ((prim & PRIMARY_SECONDARY) && (sec & SECONDARY_SHADOWING) &&
		 !(link & PAGE_MASK) && link && (!max || link < max))
		set(c, VMCSINFO_CHECK_LINK_POINTER, VMCSINFO_CHECK_PASS,
		    "shadow VMCS at 0x%llx", (unsigned long long)link);
	else
		set(c, VMCSINFO_CHECK_LINK_POINTER, VMCSINFO_CHECK_FAIL,
		    "VMCS link pointer 0x%llx is not all ones",
		    (unsigned long long)link);
}

static void check_host_cr(struct ctx *c, uint64_t max, bool nested)
{
	uint64_t cr0, cr3, cr4, low;

	if (!get(c, ENC_HOST_CR0, &cr0))
		set(c, VMCSINFO_CHECK_HOST_CR0, VMCSINFO_CHECK_SKIPPED,
		    "layout has no HOST_CR0");
	else if ((cr0 & (CR0_PE | CR0_NE | CR0_PG)) != (CR0_PE | CR0_NE | CR0_PG))
		set(c, VMCSINFO_CHECK_HOST_CR0, VMCSINFO_CHECK_FAIL,
		    "HOST_CR0 0x%llx lacks PE, NE or PG", (unsigned long long)cr0);
	else
		set(c, VMCSINFO_CHECK_HOST_CR0, VMCSINFO_CHECK_PASS, NULL);

	if (!get(c, ENC_HOST_CR4, &cr4)) {
		set(c, VMCSINFO_CHECK_HOST_CR4, VMCSINFO_CHECK_SKIPPED,
		    "layout has no HOST_CR4");
		cr4 = 0;
	} else if (!(cr4 & CR4_VMXE)) {
		set(c, VMCSINFO_CHECK_HOST_CR4, VMCSINFO_CHECK_FAIL,
		    "HOST_CR4 0x%llx has VMXE clear", (unsigned long long)cr4);
	} else if (cr4 & ~CR4_DEFINED) {
		set(c, VMCSINFO_CHECK_HOST_CR4, VMCSINFO_CHECK_FAIL,
		    "HOST_CR4 0x%llx sets reserved bits 0x%llx",
		    (unsigned long long)cr4,
		    (unsigned long long)(cr4 & ~CR4_DEFINED));
	} else {
		set(c, VMCSINFO_CHECK_HOST_CR4, VMCSINFO_CHECK_PASS, NULL);
	}

	if (!get(c, ENC_HOST_CR3, &cr3)) {
		set(c, VMCSINFO_CHECK_HOST_CR3, VMCSINFO_CHECK_SKIPPED,
		    "layout has no HOST_CR3");
		return;
	}
	/* With PCIDs bits 11:0 are the PCID. */
	low = cr4 & CR4_PCIDE ? 0 : cr3 & CR3_RESERVED_LOW;
	if ((cr3 & ABOVE_MAXPHYS) || low || !(cr3 & ~PAGE_MASK))
		set(c, VMCSINFO_CHECK_HOST_CR3, VMCSINFO_CHECK_FAIL,
		    "HOST_CR3 0x%llx is not a page-aligned physical address",
		    (unsigned long long)cr3);
	else if (!nested && max && (cr3 & ~PAGE_MASK) >= max)
		set(c, VMCSINFO_CHECK_HOST_CR3, VMCSINFO_CHECK_FAIL,
		    "HOST_CR3 0x%llx lies above the dump's memory (ends at 0x%llx)",
		    (unsigned long long)cr3, (unsigned long long)max);
	else
		set(c, VMCSINFO_CHECK_HOST_CR3, VMCSINFO_CHECK_PASS, NULL);
}

static void check_guest_cr(struct ctx *c)
{
	uint64_t cr3, cr4 = 0, entry = 0;
	bool have_cr4 = get(c, ENC_GUEST_CR4, &cr4);

	if (!have_cr4)
		set(c, VMCSINFO_CHECK_GUEST_CR4, VMCSINFO_CHECK_SKIPPED,
		    "layout has no GUEST_CR4");
	else if (cr4 & ~CR4_DEFINED)
		set(c, VMCSINFO_CHECK_GUEST_CR4, VMCSINFO_CHECK_FAIL,
		    "GUEST_CR4 0x%llx sets reserved bits 0x%llx",
		    (unsigned long long)cr4,
		    (unsigned long long)(cr4 & ~CR4_DEFINED));
	else
		set(c, VMCSINFO_CHECK_GUEST_CR4, VMCSINFO_CHECK_PASS, NULL);

	if (!get(c, ENC_GUEST_CR3, &cr3)) {
		set(c, VMCSINFO_CHECK_GUEST_CR3, VMCSINFO_CHECK_SKIPPED,
		    "layout has no GUEST_CR3");
		return;
	}
	get(c, ENC_VM_ENTRY_CONTROLS, &entry);
	if (cr3 & ABOVE_MAXPHYS)
		set(c, VMCSINFO_CHECK_GUEST_CR3, VMCSINFO_CHECK_FAIL,
		    "GUEST_CR3 0x%llx sets bits 63:52", (unsigned long long)cr3);
	/* Only a 64-bit guest without PCIDs has a page-aligned CR3. */
	else if ((entry & ENTRY_IA32E_GUEST) && have_cr4 && !(cr4 & CR4_PCIDE) &&
		 (cr3 & CR3_RESERVED_LOW))
		set(c, VMCSINFO_CHECK_GUEST_CR3, VMCSINFO_CHECK_FAIL,
		    "GUEST_CR3 0x%llx of a 64-bit guest is not page aligned",
		    (unsigned long long)cr3);
	else
		set(c, VMCSINFO_CHECK_GUEST_CR3, VMCSINFO_CHECK_PASS, NULL);
}

/*
 * EPTP (SDM 25.6.11): bits 2:0 memory type UC (0) or WB (6), bits 5:3
 * walk length - 1 = 3 (4-level) or 4 (5-level), bit 6 A/D flags, bit 7
 * supervisor shadow-stack control, bits 11:8 reserved, address bits.
 */
static void check_eptp(struct ctx *c, uint64_t max, bool nested)
{
	uint64_t prim = 0, sec = 0, eptp;
	unsigned int type, walk;

	if (!get(c, ENC_CPU_BASED, &prim) ||
	    !(prim & PRIMARY_SECONDARY) || !get(c, ENC_SECONDARY, &sec) ||
	    !(sec & SECONDARY_EPT)) {
		set(c, VMCSINFO_CHECK_EPTP, VMCSINFO_CHECK_SKIPPED, "EPT is not enabled");
		return;
	}
	if (!get(c, ENC_EPT_POINTER, &eptp)) {
		set(c, VMCSINFO_CHECK_EPTP, VMCSINFO_CHECK_SKIPPED,
		    "layout has no EPT_POINTER");
		return;
	}
	type = eptp & 7;
	walk = (eptp >> 3) & 7;
	if (type != 0 && type != 6)
		set(c, VMCSINFO_CHECK_EPTP, VMCSINFO_CHECK_FAIL,
		    "EPTP 0x%llx: memory type %u is neither UC nor WB",
		    (unsigned long long)eptp, type);
	else if (walk != 3 && walk != 4)
		set(c, VMCSINFO_CHECK_EPTP, VMCSINFO_CHECK_FAIL,
		    "EPTP 0x%llx: page-walk length %u is neither 4 nor 5",
		    (unsigned long long)eptp, walk + 1);
	else if (eptp & (0xf00ull | ABOVE_MAXPHYS))
		set(c, VMCSINFO_CHECK_EPTP, VMCSINFO_CHECK_FAIL,
		    "EPTP 0x%llx sets reserved bits", (unsigned long long)eptp);
	else if (!nested && max && (eptp & ~PAGE_MASK) >= max)
		set(c, VMCSINFO_CHECK_EPTP, VMCSINFO_CHECK_FAIL,
		    "EPTP 0x%llx lies above the dump's memory",
		    (unsigned long long)eptp);
	else
		set(c, VMCSINFO_CHECK_EPTP, VMCSINFO_CHECK_PASS, NULL);
}

static void check_mapping(struct ctx *c, uint64_t paddr,
			  const struct vmcsinfo_check_env *env, bool nested)
{
	enum vmcsinfo_check_id id = VMCSINFO_CHECK_HOST_MAPPING;
	uint64_t cr3, cr4 = 0, base, pa;
	char why[80];
	bool la57;

	if (nested) {
		set(c, id, VMCSINFO_CHECK_SKIPPED,
		    "vmcs12: its host state is L1's, in guest-physical memory");
		return;
	}
	if (!env || !env->dump) {
		set(c, id, VMCSINFO_CHECK_SKIPPED, "no dump to walk");
		return;
	}
	if (c->out->result[VMCSINFO_CHECK_HOST_CR3] != VMCSINFO_CHECK_PASS ||
	    !get(c, ENC_HOST_CR3, &cr3)) {
		set(c, id, VMCSINFO_CHECK_SKIPPED, "no usable HOST_CR3");
		return;
	}
	get(c, ENC_HOST_CR4, &cr4);
	la57 = cr4 & CR4_LA57;
	if (env->have_direct_map)
		base = env->direct_map;
	else if (vmcsinfo_find_direct_map(env->dump, cr3, la57, &base)) {
		set(c, id, VMCSINFO_CHECK_SKIPPED,
		    "direct-map base unknown (no physical 0 under HOST_CR3)");
		return;
	}
	switch (vmcsinfo_pagewalk(env->dump, cr3, la57, base + paddr, &pa,
				  why, sizeof(why))) {
	case VMCSINFO_WALK_MAPPED:
		if (pa == paddr)
			set(c, id, VMCSINFO_CHECK_PASS, "at 0x%llx",
			    (unsigned long long)(base + paddr));
		else
			set(c, id, VMCSINFO_CHECK_FAIL,
			    "HOST_CR3 maps 0x%llx to physical 0x%llx",
			    (unsigned long long)(base + paddr),
			    (unsigned long long)pa);
		break;
	case VMCSINFO_WALK_UNMAPPED:
		set(c, id, VMCSINFO_CHECK_FAIL, "0x%llx is not mapped: %s",
		    (unsigned long long)(base + paddr), why);
		break;
	default:
		set(c, id, VMCSINFO_CHECK_SKIPPED, "walk of 0x%llx: %s",
		    (unsigned long long)(base + paddr), why);
		break;
	}
}

int vmcsinfo_vmcs_check(const struct vmcsinfo_note *note,
			const uint8_t *page, size_t len, uint64_t paddr,
			const struct vmcsinfo_check_env *env,
			struct vmcsinfo_check_report *out)
{
	const struct vmcsinfo_note_header *h = vmcsinfo_note_get_header(note);
	struct ctx c = { note, page, len, out };
	uint64_t max = env ? env->max_paddr : 0;
	bool nested = h->revision_id == VMCSINFO_VMCS12_REVISION;
	uint32_t rev;
	int i;

	if (len < h->region_size || h->region_size < 8)
		return -1;
	memset(out, 0, sizeof(*out));
	rev = le32(page);
	out->shadow = rev >> 31;
	if ((rev & 0x7fffffffu) == h->revision_id)
		set(&c, VMCSINFO_CHECK_REVISION, VMCSINFO_CHECK_PASS, NULL);
	else
		set(&c, VMCSINFO_CHECK_REVISION, VMCSINFO_CHECK_FAIL,
		    "revision 0x%x, the layout's is 0x%x", rev & 0x7fffffffu,
		    h->revision_id);
	check_abort(&c, h->abort_offset, h->region_size);
	check_link(&c, max);
	check_host_cr(&c, max, nested);
	check_guest_cr(&c);
	check_eptp(&c, max, nested);
	check_mapping(&c, paddr, env, nested);
	for (i = 0; i < VMCSINFO_NR_CHECKS; i++) {
		if (out->result[i] == VMCSINFO_CHECK_PASS)
			out->passed++;
		else if (out->result[i] == VMCSINFO_CHECK_FAIL)
			out->failed++;
		else
			out->skipped++;
	}
	out->is_vmcs = !out->failed &&
		out->result[VMCSINFO_CHECK_REVISION] == VMCSINFO_CHECK_PASS &&
		out->result[VMCSINFO_CHECK_LINK_POINTER] == VMCSINFO_CHECK_PASS &&
		out->result[VMCSINFO_CHECK_HOST_CR4] == VMCSINFO_CHECK_PASS;
	return 0;
}
