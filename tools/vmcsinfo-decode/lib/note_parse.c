// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Decoder of the VMCSINFO note, version 1 (docs/note-format.md).
 *
 * The input is untrusted (it may come from a crash dump of a machine we
 * know nothing about): every offset and count is checked against the
 * bytes actually present before it is used.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvmcsinfo.h"
#include "vmcsinfo/fields.h"
#include "vmcsinfo/note.h"
#include "note_internal.h"

#define HDR_OFF(member) offsetof(struct vmcsinfo_note_hdr, member)

static u16 get16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 get32(const u8 *p)
{
	return get16(p) | (u32)get16(p + 2) << 16;
}

static u64 get64(const u8 *p)
{
	return get32(p) | (u64)get32(p + 4) << 32;
}

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void read_header(const u8 *d, struct vmcsinfo_note_header *h)
{
	unsigned int i;

	h->version = get16(d + HDR_OFF(version));
	h->desc_size = get32(d + HDR_OFF(desc_size));
	h->crc32 = get32(d + HDR_OFF(crc32));
	h->note_paddr = get64(d + HDR_OFF(note_paddr));
	h->revision_id = get32(d + HDR_OFF(revision_id));
	h->region_size = get32(d + HDR_OFF(region_size));
	h->cpuid_signature = get32(d + HDR_OFF(cpuid_signature));
	h->microcode = get32(d + HDR_OFF(microcode));
	memcpy(h->vendor, d + HDR_OFF(vendor), 12);
	h->vendor[12] = 0;
	for (i = 0; i < 12; i++)
		if (h->vendor[i] < 0x20 || h->vendor[i] > 0x7e)
			h->vendor[i] = h->vendor[i] ? '?' : 0;
	h->source = get32(d + HDR_OFF(source));
	h->methods = get32(d + HDR_OFF(methods));
	h->mismatches = get32(d + HDR_OFF(mismatches));
	h->flags = get32(d + HDR_OFF(flags));
	h->launch_state_offset = get32(d + HDR_OFF(launch_state_offset));
	h->launch_state_size = get32(d + HDR_OFF(launch_state_size));
	h->abort_offset = get32(d + HDR_OFF(abort_offset));
	h->nr_cpus = get32(d + HDR_OFF(nr_cpus));
	h->vmptrld_count = get32(d + HDR_OFF(vmptrld_count));
	h->vmclear_count = get32(d + HDR_OFF(vmclear_count));
	h->vmread_count = get32(d + HDR_OFF(vmread_count));
	h->vmwrite_count = get32(d + HDR_OFF(vmwrite_count));
	h->probe_usecs = get32(d + HDR_OFF(probe_usecs));
	h->msr_valid = get32(d + HDR_OFF(msr_valid));
	for (i = 0; i < VMCSINFO_NR_MSRS; i++)
		h->msrs[i] = get64(d + HDR_OFF(msrs) + 8 * i);
	h->nfields = get32(d + HDR_OFF(nfields));
}

/* Parse one field record at d[*pos], d holding end bytes. */
static int parse_field(const u8 *d, size_t end, size_t *pos, u32 region_bits,
		       u32 index, struct vmcsinfo_field_map *f,
		       char *err, size_t errlen)
{
	size_t p = *pos;
	unsigned int nruns, r, next = 0, i;

	if (end - p < sizeof(struct vmcsinfo_note_field))
		return bad(err, errlen, "field record %u is truncated", index);
	f->encoding = get32(d + p);
	f->nbits = d[p + 4];
	f->flags = d[p + 5];
	nruns = d[p + 6];
	p += sizeof(struct vmcsinfo_note_field);
	if (f->encoding & VMCSINFO_ENC_RESERVED)
		return bad(err, errlen, "field record %u: encoding 0x%x has reserved bits set",
			   index, f->encoding);
	if (f->nbits != vmcsinfo_enc_bits(f->encoding))
		return bad(err, errlen, "field 0x%x: width %u bits, its encoding says %u",
			   f->encoding, f->nbits, vmcsinfo_enc_bits(f->encoding));
	if (!nruns || nruns > f->nbits)
		return bad(err, errlen, "field 0x%x: %u runs for %u bits",
			   f->encoding, nruns, f->nbits);
	if ((end - p) / sizeof(struct vmcsinfo_note_run) < nruns)
		return bad(err, errlen, "field 0x%x: runs extend past the note",
			   f->encoding);
	for (i = 0; i < VMCSINFO_MAX_BITS; i++)
		f->map[i] = VMCSINFO_MAP_CONST0;
	for (r = 0; r < nruns; r++, p += sizeof(struct vmcsinfo_note_run)) {
		unsigned int first = d[p], n = d[p + 1];
		u32 target = get16(d + p + 2);

		if (!n)
			return bad(err, errlen, "field 0x%x: run %u is empty",
				   f->encoding, r);
		if (first != next || first + n > f->nbits)
			return bad(err, errlen, "field 0x%x: run %u covers bits %u-%u, expected to start at %u within %u bits",
				   f->encoding, r, first, first + n - 1, next,
				   f->nbits);
		if (target != VMCSINFO_RUN_CONST0 &&
		    target != VMCSINFO_RUN_CONST1 &&
		    (target < 64 || target + n > region_bits))
			return bad(err, errlen, "field 0x%x: run %u points at region bits %u-%u, outside bytes 8-%u",
				   f->encoding, r, target, target + n - 1,
				   region_bits / 8 - 1);
		for (i = 0; i < n; i++) {
			if (target == VMCSINFO_RUN_CONST0)
				f->map[first + i] = VMCSINFO_MAP_CONST0;
			else if (target == VMCSINFO_RUN_CONST1)
				f->map[first + i] = VMCSINFO_MAP_CONST1;
			else
				f->map[first + i] = (s16)(target + i);
		}
		next = first + n;
	}
	if (next != f->nbits)
		return bad(err, errlen, "field 0x%x: runs cover %u of %u bits",
			   f->encoding, next, f->nbits);
	*pos = p;
	return 0;
}

int vmcsinfo_note_parse(const void *buf, size_t len,
			struct vmcsinfo_note **out, char *err, size_t errlen)
{
	const u8 *b = buf, *d;
	struct vmcsinfo_note *note;
	struct vmcsinfo_note_header *h;
	u32 namesz, descsz, type, hdr_size, foff, fsize, crc, i;
	size_t pos, end;

	*out = NULL;
	if (len < VMCSINFO_NOTE_DESC_OFF)
		return bad(err, errlen, "%zu bytes is too short for a VMCSINFO note", len);
	namesz = get32(b);
	descsz = get32(b + 4);
	type = get32(b + 8);
	if (namesz != VMCSINFO_NOTE_NAMESZ ||
	    memcmp(b + 12, VMCSINFO_NOTE_NAME, VMCSINFO_NOTE_NAMESZ))
		return bad(err, errlen, "not a VMCSINFO note (wrong note name)");
	if (type != VMCSINFO_NOTE_TYPE)
		return bad(err, errlen, "VMCSINFO note of unknown type %u", type);
	if (descsz > len - VMCSINFO_NOTE_DESC_OFF)
		return bad(err, errlen, "note is truncated: its header says %u desc bytes, %zu present",
			   descsz, len - VMCSINFO_NOTE_DESC_OFF);
	if (descsz > VMCSINFO_NOTE_MAX_DESC)
		return bad(err, errlen, "note desc size %u exceeds the limit %u",
			   descsz, VMCSINFO_NOTE_MAX_DESC);
	d = b + VMCSINFO_NOTE_DESC_OFF;
	if (descsz < 8)
		return bad(err, errlen, "note desc of %u bytes is too short", descsz);
	if (get32(d) != VMCSINFO_NOTE_MAGIC)
		return bad(err, errlen, "bad magic 0x%08x in VMCSINFO note", get32(d));
	if (get16(d + HDR_OFF(version)) != VMCSINFO_NOTE_VERSION)
		return bad(err, errlen, "VMCSINFO note version %u is not supported (this tool reads version %u)",
			   get16(d + HDR_OFF(version)), VMCSINFO_NOTE_VERSION);
	hdr_size = get16(d + HDR_OFF(hdr_size));
	if (hdr_size < sizeof(struct vmcsinfo_note_hdr) || hdr_size > descsz)
		return bad(err, errlen, "note header size %u is invalid (need %zu..%u)",
			   hdr_size, sizeof(struct vmcsinfo_note_hdr), descsz);
	if (get32(d + HDR_OFF(desc_size)) != descsz)
		return bad(err, errlen, "note desc size %u disagrees with its ELF header (%u)",
			   get32(d + HDR_OFF(desc_size)), descsz);
	crc = get32(d + HDR_OFF(crc32));
	{
		u8 zero[4] = { 0 };
		u32 c = vmcsinfo_crc32(0, d, HDR_OFF(crc32));

		c = vmcsinfo_crc32(c, zero, 4);
		c = vmcsinfo_crc32(c, d + HDR_OFF(crc32) + 4,
				   descsz - HDR_OFF(crc32) - 4);
		if (c != crc)
			return bad(err, errlen, "note checksum mismatch (stored 0x%08x, computed 0x%08x)",
				   crc, c);
	}
	note = calloc(1, sizeof(*note));
	if (!note)
		return bad(err, errlen, "out of memory");
	h = &note->header;
	read_header(d, h);
	if (h->region_size < 16 || h->region_size > VMCSINFO_MAX_REGION) {
		bad(err, errlen, "region size %u is outside 16..4096", h->region_size);
		goto fail;
	}
	if (h->launch_state_offset != VMCSINFO_NO_OFFSET &&
	    (h->launch_state_offset < 8 || !h->launch_state_size ||
	     h->launch_state_size > h->region_size - h->launch_state_offset ||
	     h->launch_state_offset >= h->region_size)) {
		bad(err, errlen, "launch state at %u+%u lies outside the %u-byte region",
		    h->launch_state_offset, h->launch_state_size, h->region_size);
		goto fail;
	}
	if (h->abort_offset > h->region_size - 4) {
		bad(err, errlen, "abort indicator offset %u lies outside the %u-byte region",
		    h->abort_offset, h->region_size);
		goto fail;
	}
	foff = get32(d + HDR_OFF(fields_offset));
	fsize = get32(d + HDR_OFF(fields_size));
	if (foff < hdr_size || foff > descsz || fsize > descsz - foff) {
		bad(err, errlen, "field records at %u+%u lie outside the %u-byte desc",
		    foff, fsize, descsz);
		goto fail;
	}
	if (h->nfields > VMCSINFO_ENC_SPACE ||
	    h->nfields > fsize / sizeof(struct vmcsinfo_note_field)) {
		bad(err, errlen, "field count %u does not fit in %u bytes of records",
		    h->nfields, fsize);
		goto fail;
	}
	note->layout.fields = calloc(h->nfields ? h->nfields : 1,
				     sizeof(*note->layout.fields));
	if (!note->layout.fields) {
		bad(err, errlen, "out of memory");
		goto fail;
	}
	pos = foff;
	end = (size_t)foff + fsize;
	for (i = 0; i < h->nfields; i++) {
		struct vmcsinfo_field_map *f = &note->layout.fields[i];

		if (parse_field(d, end, &pos, h->region_size * 8, i, f, err, errlen))
			goto fail;
		if (i && f->encoding <= note->layout.fields[i - 1].encoding) {
			bad(err, errlen, "field 0x%x is out of order (after 0x%x)",
			    f->encoding, note->layout.fields[i - 1].encoding);
			goto fail;
		}
	}
	if (pos != end) {
		bad(err, errlen, "%zu stray bytes after the last field record", end - pos);
		goto fail;
	}
	note->layout.nfields = h->nfields;
	note->layout.cap = h->nfields;
	note->layout.revision_id = h->revision_id;
	note->layout.region_size = h->region_size;
	note->layout.launch_state_offset = h->launch_state_offset;
	note->layout.launch_state_size = h->launch_state_size;
	note->layout.abort_offset = h->abort_offset;
	note->layout.methods = h->methods;
	note->layout.mismatches = h->mismatches;
	note->layout.flags = h->flags;
	note->size = VMCSINFO_NOTE_DESC_OFF + (size_t)descsz;
	*out = note;
	return 0;
fail:
	vmcsinfo_note_free(note);
	return -1;
}

void vmcsinfo_note_free(struct vmcsinfo_note *note)
{
	if (!note)
		return;
	free(note->layout.fields);
	free(note);
}

const struct vmcsinfo_note_header *
vmcsinfo_note_get_header(const struct vmcsinfo_note *note)
{
	return &note->header;
}

int vmcsinfo_note_find(const struct vmcsinfo_note *note, uint32_t encoding)
{
	const struct vmcsinfo_field_map *f =
		vmcsinfo_layout_find(&note->layout, encoding);

	return f ? (int)(f - note->layout.fields) : -1;
}

int vmcsinfo_note_field(const struct vmcsinfo_note *note, uint32_t idx,
			struct vmcsinfo_field_desc *out)
{
	const struct vmcsinfo_field_map *f;
	const struct vmcsinfo_field *t;

	if (idx >= note->layout.nfields)
		return -1;
	f = &note->layout.fields[idx];
	t = vmcsinfo_field_by_encoding(f->encoding);
	memset(out, 0, sizeof(*out));
	out->encoding = f->encoding;
	out->name = t ? t->name : NULL;
	out->description = t ? t->desc : NULL;
	out->nbits = f->nbits;
	out->flags = f->flags;
	out->plain = vmcsinfo_map_is_plain(f, &out->offset, &out->size);
	memcpy(out->map, f->map, sizeof(out->map));
	return 0;
}

int vmcsinfo_note_read_field(const struct vmcsinfo_note *note,
			     const uint8_t *region, size_t len,
			     uint32_t encoding, uint64_t *value)
{
	const struct vmcsinfo_field_map *f =
		vmcsinfo_layout_find(&note->layout, encoding);

	if (!f || len < note->layout.region_size)
		return -1;
	*value = vmcsinfo_map_extract(f, region, note->layout.region_size);
	return 0;
}

const char *vmcsinfo_field_name(uint32_t encoding)
{
	const struct vmcsinfo_field *t = vmcsinfo_field_by_encoding(encoding);

	return t ? t->name : NULL;
}
