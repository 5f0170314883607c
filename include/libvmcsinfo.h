/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * libvmcsinfo: read VMCSINFO notes (docs/note-format.md), decode VMCS
 * regions with the layout they describe, and find them in crash dumps.
 *
 * Only <stdint.h> types appear here, so the header can be included next to
 * other projects' headers (crash's defs.h defines its own u64).  Every
 * function that reads caller-supplied bytes checks every length first;
 * error messages are one line, without a trailing newline.
 */
#ifndef LIBVMCSINFO_H
#define LIBVMCSINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMCSINFO_MAP_BIT_CONST0	(-1)
#define VMCSINFO_MAP_BIT_CONST1	(-2)

/* A decoded VMCSINFO note (opaque). */
struct vmcsinfo_note;

/* The note's header, in host byte order. */
struct vmcsinfo_note_header {
	uint16_t version;
	uint32_t desc_size;
	uint32_t crc32;
	uint64_t note_paddr;
	uint32_t revision_id;
	uint32_t region_size;
	uint32_t cpuid_signature;
	uint32_t microcode;
	char vendor[13];
	uint32_t source;		/* 1 module, 2 simulator, 3 database */
	uint32_t methods;		/* bit 0 read, bit 1 write */
	uint32_t mismatches;
	uint32_t flags;
	uint32_t launch_state_offset;	/* 0xffffffff: unknown */
	uint32_t launch_state_size;
	uint32_t abort_offset;
	uint32_t nr_cpus;
	uint32_t vmptrld_count;
	uint32_t vmclear_count;
	uint32_t vmread_count;
	uint32_t vmwrite_count;
	uint32_t probe_usecs;
	uint32_t msr_valid;
	uint64_t msrs[20];		/* MSR 0x480 + i */
	uint32_t nfields;
};

/* One field of a layout. */
struct vmcsinfo_field_desc {
	uint32_t encoding;
	const char *name;		/* NULL when the field table lacks it */
	const char *description;	/* NULL likewise */
	unsigned int nbits;		/* VMREAD width: 16, 32 or 64 */
	uint32_t flags;			/* VMCSINFO_FF_* of layout.h */
	bool plain;			/* stored little-endian at offset */
	uint32_t offset, size;		/* bytes, when plain */
	int16_t map[64];		/* region bit, or VMCSINFO_MAP_BIT_* */
};

/*
 * Parse a complete note (ELF note header, name, desc) of len bytes.
 * Returns 0 and *out, or -1 with a message in err.
 */
int vmcsinfo_note_parse(const void *buf, size_t len,
			struct vmcsinfo_note **out, char *err, size_t errlen);
void vmcsinfo_note_free(struct vmcsinfo_note *note);

const struct vmcsinfo_note_header *
vmcsinfo_note_get_header(const struct vmcsinfo_note *note);

/* Field idx (0 .. nfields-1, sorted by encoding); -1 when out of range. */
int vmcsinfo_note_field(const struct vmcsinfo_note *note, uint32_t idx,
			struct vmcsinfo_field_desc *out);
/* Index of an encoding, or -1 when the layout has no such field. */
int vmcsinfo_note_find(const struct vmcsinfo_note *note, uint32_t encoding);

/*
 * The value VMREAD of encoding would give for a VMCS region image
 * (len must be at least the layout's region size).  0 or -1.
 */
int vmcsinfo_note_read_field(const struct vmcsinfo_note *note,
			     const uint8_t *region, size_t len,
			     uint32_t encoding, uint64_t *value);

/* Name of a field encoding from the field table, or NULL. */
const char *vmcsinfo_field_name(uint32_t encoding);

/* ------------------------------------------------------------------ */
/* Crash dumps (tools/vmcsinfo-decode/lib/dump*.c)                     */
/* ------------------------------------------------------------------ */

/*
 * A crash dump or memory image opened for physical reads.  Formats:
 * ELF vmcores (kexec, makedumpfile -E, QEMU), /proc/kcore, makedumpfile's
 * kdump-compressed files and the other formats libkdumpfile reads, and
 * raw physical-memory images (file offset = physical address).
 */
struct vmcsinfo_dump;

enum vmcsinfo_dump_format {
	VMCSINFO_DUMP_AUTO = 0,		/* vmcsinfo_dump_open(): detect */
	VMCSINFO_DUMP_RAW,
	VMCSINFO_DUMP_ELF,
	VMCSINFO_DUMP_KCORE,
	VMCSINFO_DUMP_KDUMP,		/* makedumpfile kdump-compressed */
	VMCSINFO_DUMP_LIBKDUMPFILE,	/* another format libkdumpfile reads */
};

/* Return values of vmcsinfo_dump_read(). */
#define VMCSINFO_DUMP_OK	0
#define VMCSINFO_DUMP_NODATA	1	/* a hole, or a page filtered out */
#define VMCSINFO_DUMP_ERROR	(-1)	/* should be there but is not readable */

/* Physical pages present in the dump: [start, end), page aligned. */
struct vmcsinfo_dump_range {
	uint64_t start, end;
};

/* One ELF note of the dump (PT_NOTE segments or the kdump header). */
struct vmcsinfo_dump_note {
	const char *name;		/* NUL-terminated, "" when empty */
	uint32_t type;
	const uint8_t *desc;
	uint32_t desc_size;
	const uint8_t *raw;		/* the whole note: Nhdr, name, desc */
	size_t raw_size;
	const char *where;		/* "PT_NOTE", "kdump header" */
};

/*
 * Open path read-only as format fmt (VMCSINFO_DUMP_AUTO: detect; a file
 * with no known signature is a raw image).  A flattened makedumpfile
 * stream is refused with a message that names `makedumpfile -R`.
 * Returns 0 and *out, or -1 with a one-line message in err.
 */
int vmcsinfo_dump_open(const char *path, enum vmcsinfo_dump_format fmt,
		       struct vmcsinfo_dump **out, char *err, size_t errlen);
void vmcsinfo_dump_close(struct vmcsinfo_dump *d);

enum vmcsinfo_dump_format vmcsinfo_dump_get_format(const struct vmcsinfo_dump *d);
/* "raw", "elf", "kcore", "kdump", "libkdumpfile"; NULL for others. */
const char *vmcsinfo_dump_format_name(enum vmcsinfo_dump_format fmt);
/* Format details, e.g. libkdumpfile's "diskdump", or "". */
const char *vmcsinfo_dump_format_detail(const struct vmcsinfo_dump *d);

/*
 * The first run of present pages that ends above addr (its start may be
 * below addr).  0 and *r; 1 when there is none; -1 on error (message in
 * err).  Holes and filtered pages lie between runs.
 */
int vmcsinfo_dump_next_range(struct vmcsinfo_dump *d, uint64_t addr,
			     struct vmcsinfo_dump_range *r,
			     char *err, size_t errlen);
/* Bytes of the present runs, and the end of the highest one. */
uint64_t vmcsinfo_dump_present_bytes(const struct vmcsinfo_dump *d);
uint64_t vmcsinfo_dump_max_addr(const struct vmcsinfo_dump *d);

/*
 * Read len bytes at physical address paddr.  VMCSINFO_DUMP_OK,
 * VMCSINFO_DUMP_NODATA (some byte is in a hole or a filtered page) or
 * VMCSINFO_DUMP_ERROR (truncated file, corrupt page, I/O error; message
 * in err).  Sequential small reads are served from a read-ahead buffer.
 */
int vmcsinfo_dump_read(struct vmcsinfo_dump *d, uint64_t paddr, void *buf,
		       size_t len, char *err, size_t errlen);

/* Notes of the dump, in file order; -1 past the end. */
int vmcsinfo_dump_note(const struct vmcsinfo_dump *d, size_t idx,
		       struct vmcsinfo_dump_note *out);

/*
 * Warnings found while opening (truncated segments, oversized note
 * areas, ...): one line each, no newline.
 */
size_t vmcsinfo_dump_nwarnings(const struct vmcsinfo_dump *d);
const char *vmcsinfo_dump_warning(const struct vmcsinfo_dump *d, size_t idx);
/* Pages the dump's own headers promise but the file lacks (truncation). */
uint64_t vmcsinfo_dump_missing_pages(const struct vmcsinfo_dump *d);
/* Whether opening found data lost (truncation, unreadable notes, ...). */
bool vmcsinfo_dump_incomplete(const struct vmcsinfo_dump *d);

/*
 * Base of the kernel's direct map of physical memory, when the dump says:
 * found in the kernel's page tables (VMCOREINFO init_top_pgt), else from
 * ELF/kcore PT_LOAD p_vaddr - p_paddr.  0 and *base (and, if source is
 * not NULL, a phrase naming where it came from), or -1 when unknown.
 */
int vmcsinfo_dump_direct_map(struct vmcsinfo_dump *d, uint64_t *base,
			     const char **source);

/* ------------------------------------------------------------------ */
/* Page walks (tools/vmcsinfo-decode/lib/pagewalk.c)                   */
/* ------------------------------------------------------------------ */

/* Return values of vmcsinfo_pagewalk(). */
#define VMCSINFO_WALK_MAPPED	0
#define VMCSINFO_WALK_UNMAPPED	1	/* a non-present entry on the way */
#define VMCSINFO_WALK_NODATA	2	/* a paging structure is not in the dump */

/*
 * Translate the linear address va with the 4-level (or, with la57,
 * 5-level) IA-32e paging structures at cr3, reading them from the dump.
 * On VMCSINFO_WALK_MAPPED *pa is the physical address; otherwise why
 * names the level that stopped the walk.
 */
int vmcsinfo_pagewalk(struct vmcsinfo_dump *d, uint64_t cr3, bool la57,
		      uint64_t va, uint64_t *pa, char *why, size_t whylen);

/*
 * Base of the kernel's direct map in the paging structures at cr3: the
 * lowest 1 GiB-aligned kernel-half address that maps physical address 0
 * (Linux maps physical memory from 0 at page_offset_base, which KASLR
 * moves in 1 GiB steps).  0 and *base, or -1.
 */
int vmcsinfo_find_direct_map(struct vmcsinfo_dump *d, uint64_t cr3,
			     bool la57, uint64_t *base);

/* ------------------------------------------------------------------ */
/* VMCS candidates (tools/vmcsinfo-decode/lib/vmcs_check.c)            */
/* ------------------------------------------------------------------ */

/* KVM's software VMCS for L1 hypervisors (struct vmcs12). */
#define VMCSINFO_VMCS12_REVISION	0x11e57ed0u

enum vmcsinfo_check_id {
	VMCSINFO_CHECK_REVISION,	/* bits 30:0 of dword 0 = layout's */
	VMCSINFO_CHECK_ABORT,		/* VMX-abort indicator 0 or an SDM code */
	VMCSINFO_CHECK_LINK_POINTER,	/* all ones (or a shadow VMCS) */
	VMCSINFO_CHECK_HOST_CR0,	/* PE, PG, NE set */
	VMCSINFO_CHECK_HOST_CR4,	/* VMXE set, no reserved bit */
	VMCSINFO_CHECK_HOST_CR3,	/* page aligned, below max address */
	VMCSINFO_CHECK_GUEST_CR3,	/* bits 63:52 clear (aligned in 64-bit mode) */
	VMCSINFO_CHECK_GUEST_CR4,	/* no reserved bit */
	VMCSINFO_CHECK_EPTP,		/* memory type, walk length, reserved bits */
	VMCSINFO_CHECK_HOST_MAPPING,	/* HOST_CR3 maps the page's direct-map address */
	VMCSINFO_NR_CHECKS
};

enum vmcsinfo_check_result {
	VMCSINFO_CHECK_SKIPPED = 0,
	VMCSINFO_CHECK_PASS,
	VMCSINFO_CHECK_FAIL,
};

struct vmcsinfo_check_env {
	struct vmcsinfo_dump *dump;	/* for the page walk; NULL: skipped */
	uint64_t max_paddr;		/* highest physical address + 1; 0 unknown */
	uint64_t direct_map;		/* valid when have_direct_map */
	bool have_direct_map;
};

struct vmcsinfo_check_report {
	uint8_t result[VMCSINFO_NR_CHECKS];	/* enum vmcsinfo_check_result */
	char detail[VMCSINFO_NR_CHECKS][112];	/* why, for FAIL and SKIPPED */
	unsigned int passed, failed, skipped;
	bool is_vmcs;		/* no check failed, the key ones ran */
	bool shadow;		/* bit 31 of dword 0: a shadow VMCS */
	uint32_t abort_indicator;
};

/* Short name of a check ("link_pointer", ...). */
const char *vmcsinfo_check_name(enum vmcsinfo_check_id id);

/*
 * Judge whether page (len bytes at physical address paddr) is a VMCS
 * region of the note's layout.  Returns 0, or -1 when len is shorter
 * than the layout's region.
 */
int vmcsinfo_vmcs_check(const struct vmcsinfo_note *note,
			const uint8_t *page, size_t len, uint64_t paddr,
			const struct vmcsinfo_check_env *env,
			struct vmcsinfo_check_report *out);

/* ------------------------------------------------------------------ */
/* Field values (tools/vmcsinfo-decode/lib/vmx_bits.c): SDM Vol. 3C    */
/* ------------------------------------------------------------------ */

/* How a field's value is structured. */
enum vmcsinfo_value_kind {
	VMCSINFO_VAL_PLAIN = 0,		/* a number or an address */
	VMCSINFO_VAL_FLAGS,		/* named bits: vmcsinfo_value_bits() */
	VMCSINFO_VAL_EXIT_REASON,	/* VM_EXIT_REASON */
	VMCSINFO_VAL_INTR_INFO,		/* interruption / IDT-vectoring info */
	VMCSINFO_VAL_ACCESS_RIGHTS,	/* guest segment access rights */
	VMCSINFO_VAL_ACTIVITY,		/* guest activity state */
	VMCSINFO_VAL_EPTP,		/* EPT pointer */
	VMCSINFO_VAL_VM_INSN_ERROR,	/* VM-instruction error number */
};

struct vmcsinfo_bit_name {
	uint8_t bit;
	const char *name;
};

enum vmcsinfo_value_kind vmcsinfo_value_kind(uint32_t encoding);
/*
 * For VMCSINFO_VAL_FLAGS fields (VM-execution, VM-exit and VM-entry
 * controls, CR0, CR4, EFER, RFLAGS, interruptibility state): the named
 * bits, sorted, and their number in *n.  NULL for other fields.
 */
const struct vmcsinfo_bit_name *vmcsinfo_value_bits(uint32_t encoding,
						    size_t *n);
/* Bits that read 1 whatever software wrote (reserved, default1). */
uint64_t vmcsinfo_value_default1(uint32_t encoding);

/* Basic exit reason name ("HLT", Linux spelling) or NULL. */
const char *vmcsinfo_exit_reason_name(uint32_t basic);
/* Bits 31:16 of the exit reason that have names, as flags. */
const struct vmcsinfo_bit_name *vmcsinfo_exit_reason_flags(size_t *n);
/* Interruption type (bits 10:8) name ("hardware exception") or NULL. */
const char *vmcsinfo_intr_type_name(unsigned int type);
/* Activity state name ("HLT") or NULL. */
const char *vmcsinfo_activity_state_name(uint32_t state);
/* VM-instruction error description or NULL. */
const char *vmcsinfo_vm_insn_error_name(uint32_t error);
/* Segment type description ("code, execute/read, accessed"), S = 1 or 0. */
const char *vmcsinfo_segment_type_name(unsigned int type, bool s);
/* EPT memory type (bits 2:0) name ("WB") or NULL. */
const char *vmcsinfo_memory_type_name(unsigned int type);

#ifdef __cplusplus
}
#endif

#endif /* LIBVMCSINFO_H */
