// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Encoder of the VMCSINFO ELF note, version 1 (docs/note-format.md).
 *
 * Everything is written byte by byte in little-endian order, so the result
 * does not depend on the host's struct layout or byte order.
 */
#include "vmcsinfo/note.h"

#define HDR_OFF(member) __builtin_offsetof(struct vmcsinfo_note_hdr, member)

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

u32 vmcsinfo_crc32(u32 crc, const u8 *p, size_t len)
{
	/* Bitwise CRC-32: the core is freestanding and this is not hot. */
	crc = ~crc;
	while (len--) {
		int k;

		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

/* Whether map[i] continues the run that started at map[start]. */
static bool run_continues(const s16 *map, unsigned int start, unsigned int i)
{
	if (map[start] < 0)
		return map[i] == map[start];
	return map[i] == map[start] + (s16)(i - start);
}

static unsigned int count_runs(const struct vmcsinfo_field_map *f)
{
	unsigned int i, runs = 0, start = 0;

	for (i = 0; i < f->nbits; i++) {
		if (i == 0 || !run_continues(f->map, start, i)) {
			runs++;
			start = i;
		}
	}
	return runs;
}

static u16 run_target(s16 m)
{
	if (m == VMCSINFO_MAP_CONST1)
		return VMCSINFO_RUN_CONST1;
	if (m < 0)
		return VMCSINFO_RUN_CONST0;
	return (u16)m;
}

static size_t field_record_size(const struct vmcsinfo_field_map *f)
{
	return sizeof(struct vmcsinfo_note_field) +
	       count_runs(f) * sizeof(struct vmcsinfo_note_run);
}

static size_t desc_size(const struct vmcsinfo_layout *l)
{
	size_t n = sizeof(struct vmcsinfo_note_hdr);
	u32 i;

	for (i = 0; i < l->nfields; i++)
		n += field_record_size(&l->fields[i]);
	return n;
}

size_t vmcsinfo_note_size(const struct vmcsinfo_layout *l)
{
	/* The desc is a multiple of 4 bytes: no ELF padding after it. */
	return VMCSINFO_NOTE_DESC_OFF + desc_size(l);
}

static u8 *put_field(u8 *p, const struct vmcsinfo_field_map *f)
{
	unsigned int i, start = 0;
	u8 *runs = p + sizeof(struct vmcsinfo_note_field);
	unsigned int nruns = 0;

	for (i = 1; i <= f->nbits; i++) {
		if (i < f->nbits && run_continues(f->map, start, i))
			continue;
		runs[0] = (u8)start;
		runs[1] = (u8)(i - start);
		put16(runs + 2, run_target(f->map[start]));
		runs += sizeof(struct vmcsinfo_note_run);
		nruns++;
		start = i;
	}
	put32(p, f->encoding);
	p[4] = f->nbits;
	p[5] = f->flags;
	p[6] = (u8)nruns;
	p[7] = 0;
	return runs;
}

size_t vmcsinfo_note_encode(const struct vmcsinfo_layout *l,
			    const struct vmcsinfo_note_info *info,
			    u64 note_paddr, u8 *buf, size_t len)
{
	size_t total = vmcsinfo_note_size(l);
	size_t dsize = total - VMCSINFO_NOTE_DESC_OFF;
	u8 *d = buf + VMCSINFO_NOTE_DESC_OFF;
	u8 *p;
	u32 i;

	if (len < total || dsize > VMCSINFO_NOTE_MAX_DESC)
		return 0;
	__builtin_memset(buf, 0, total);

	put32(buf, VMCSINFO_NOTE_NAMESZ);
	put32(buf + 4, (u32)dsize);
	put32(buf + 8, VMCSINFO_NOTE_TYPE);
	__builtin_memcpy(buf + 12, VMCSINFO_NOTE_NAME, VMCSINFO_NOTE_NAMESZ);

	put32(d + HDR_OFF(magic), VMCSINFO_NOTE_MAGIC);
	put16(d + HDR_OFF(version), VMCSINFO_NOTE_VERSION);
	put16(d + HDR_OFF(hdr_size), sizeof(struct vmcsinfo_note_hdr));
	put32(d + HDR_OFF(desc_size), (u32)dsize);
	put64(d + HDR_OFF(note_paddr), note_paddr);
	put32(d + HDR_OFF(revision_id), l->revision_id);
	put32(d + HDR_OFF(region_size), l->region_size);
	put32(d + HDR_OFF(cpuid_signature), info->cpuid_signature);
	put32(d + HDR_OFF(microcode), info->microcode);
	for (i = 0; i < 3; i++)
		put32(d + HDR_OFF(vendor) + 4 * i, info->vendor[i]);
	put32(d + HDR_OFF(source), info->source);
	put32(d + HDR_OFF(methods), l->methods);
	put32(d + HDR_OFF(mismatches), l->mismatches);
	put32(d + HDR_OFF(flags), l->flags);
	put32(d + HDR_OFF(launch_state_offset), l->launch_state_offset);
	put32(d + HDR_OFF(launch_state_size), l->launch_state_size);
	put32(d + HDR_OFF(abort_offset), l->abort_offset);
	put32(d + HDR_OFF(nr_cpus), info->nr_cpus);
	put32(d + HDR_OFF(vmptrld_count), l->counts.vmptrld);
	put32(d + HDR_OFF(vmclear_count), l->counts.vmclear);
	put32(d + HDR_OFF(vmread_count), l->counts.vmread);
	put32(d + HDR_OFF(vmwrite_count), l->counts.vmwrite);
	put32(d + HDR_OFF(probe_usecs), info->probe_usecs);
	put32(d + HDR_OFF(msr_valid), info->msr_valid);
	for (i = 0; i < VMCSINFO_NR_MSRS; i++)
		put64(d + HDR_OFF(msrs) + 8 * i, info->msrs[i]);
	put32(d + HDR_OFF(nfields), l->nfields);
	put32(d + HDR_OFF(fields_offset), sizeof(struct vmcsinfo_note_hdr));
	put32(d + HDR_OFF(fields_size),
	      (u32)(dsize - sizeof(struct vmcsinfo_note_hdr)));

	p = d + sizeof(struct vmcsinfo_note_hdr);
	for (i = 0; i < l->nfields; i++)
		p = put_field(p, &l->fields[i]);

	put32(d + HDR_OFF(crc32), vmcsinfo_crc32(0, d, dsize));
	return total;
}
