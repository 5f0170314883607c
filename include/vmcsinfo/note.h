/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The VMCSINFO ELF note, version 1.  Specified in docs/note-format.md.
 *
 * All integers little-endian.  The note starts on a page boundary:
 *
 *   0   Elf64_Nhdr { n_namesz = 9, n_descsz, n_type = 1 }
 *   12  "VMCSINFO\0" padded to 12 bytes
 *   24  struct vmcsinfo_note_hdr         (desc starts here)
 *       field records at hdr.fields_offset (from desc start)
 *
 * A field record is struct vmcsinfo_note_field followed by nruns
 * struct vmcsinfo_note_run; each run maps VMREAD bits
 * [first, first + nbits) to region bits [region_bit, region_bit + nbits),
 * or to a constant.
 */
#ifndef VMCSINFO_NOTE_H
#define VMCSINFO_NOTE_H

#include "types.h"
#include "layout.h"

#define VMCSINFO_NOTE_NAME	"VMCSINFO"
#define VMCSINFO_NOTE_NAMESZ	9	/* with the NUL */
#define VMCSINFO_NOTE_TYPE	1
#define VMCSINFO_NOTE_DESC_OFF	24	/* 12-byte Nhdr + name padded to 12 */
#define VMCSINFO_NOTE_MAGIC	0x53434d56u	/* "VMCS" little-endian */
#define VMCSINFO_NOTE_VERSION	1
/* A note never needs more: 16384 encodings of 64 one-bit runs. */
#define VMCSINFO_NOTE_MAX_DESC	BIT(24)

/* Capability MSRs recorded: IA32_VMX_BASIC (0x480) .. 0x493. */
#define VMCSINFO_MSR_FIRST	0x480u
#define VMCSINFO_NR_MSRS	20

/* hdr.source */
#define VMCSINFO_SRC_MODULE	1	/* vmcsinfo.ko on real VMX */
#define VMCSINFO_SRC_SIMULATOR	2	/* vmcsinfo-sim on a model */
#define VMCSINFO_SRC_DATABASE	3	/* built from a layout-database entry */

/* run.region_bit values that are not bit indexes */
#define VMCSINFO_RUN_CONST0	0xffffu
#define VMCSINFO_RUN_CONST1	0xfffeu

struct vmcsinfo_note_hdr {
	u32 magic;		/* VMCSINFO_NOTE_MAGIC */
	u16 version;		/* VMCSINFO_NOTE_VERSION */
	u16 hdr_size;		/* sizeof(struct vmcsinfo_note_hdr) */
	u32 desc_size;		/* equals the ELF n_descsz */
	u32 crc32;		/* CRC-32 (IEEE 802.3) of the desc, this field 0 */
	u64 note_paddr;		/* physical address of the Nhdr; 0 = unknown */
	u32 revision_id;	/* VMCS revision identifier */
	u32 region_size;	/* bytes */
	u32 cpuid_signature;	/* CPUID.01H:EAX */
	u32 microcode;		/* IA32_BIOS_SIGN_ID[63:32] */
	u32 vendor[3];		/* CPUID.00H EBX, EDX, ECX */
	u32 source;		/* VMCSINFO_SRC_* */
	u32 methods;		/* VMCSINFO_METHOD_* */
	u32 mismatches;		/* failed read/write cross-checks */
	u32 flags;		/* VMCSINFO_LF_* */
	u32 launch_state_offset;	/* VMCSINFO_NO_OFFSET when unknown */
	u32 launch_state_size;
	u32 abort_offset;
	u32 nr_cpus;		/* CPUs whose capabilities were compared */
	u32 vmptrld_count;
	u32 vmclear_count;
	u32 vmread_count;
	u32 vmwrite_count;
	u32 probe_usecs;	/* duration of the probe window */
	u32 msr_valid;		/* bit i: msrs[i] holds MSR 0x480 + i */
	u32 reserved0;
	u64 msrs[VMCSINFO_NR_MSRS];
	u32 nfields;
	u32 fields_offset;	/* from the start of the desc */
	u32 fields_size;	/* bytes of field records */
	u32 reserved1;
};				/* 288 bytes */

struct vmcsinfo_note_field {
	u32 encoding;
	u8 nbits;		/* 16, 32 or 64 */
	u8 flags;		/* VMCSINFO_FF_* */
	u8 nruns;
	u8 reserved;
};

struct vmcsinfo_note_run {
	u8 first;		/* first VMREAD bit */
	u8 nbits;		/* run length, >= 1 */
	u16 region_bit;		/* or VMCSINFO_RUN_CONST0/1 */
};

/* What the note says beyond the layout itself. */
struct vmcsinfo_note_info {
	u32 cpuid_signature;
	u32 microcode;
	u32 vendor[3];
	u32 source;
	u32 nr_cpus;
	u32 probe_usecs;
	u32 msr_valid;
	u64 msrs[VMCSINFO_NR_MSRS];
};

/* Bytes the whole note (Nhdr, name, desc) takes for this layout. */
size_t vmcsinfo_note_size(const struct vmcsinfo_layout *l);

/*
 * Serialise into buf (len >= vmcsinfo_note_size()); note_paddr is the
 * physical address buf will have, or 0.  Returns the bytes written or 0
 * when len is too small.
 */
size_t vmcsinfo_note_encode(const struct vmcsinfo_layout *l,
			    const struct vmcsinfo_note_info *info,
			    u64 note_paddr, u8 *buf, size_t len);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()) of len bytes. */
u32 vmcsinfo_crc32(u32 crc, const u8 *p, size_t len);

#endif /* VMCSINFO_NOTE_H */
