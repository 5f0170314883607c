// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ELF vmcores and /proc/kcore: libelf enumerates the program headers;
 * PT_LOADs give the physical memory (p_paddr, p_filesz at p_offset),
 * PT_NOTEs the notes.  The reads themselves go through dump.c's
 * read-ahead buffer.
 *
 * /proc/kcore describes kernel virtual memory: its RAM segments carry the
 * physical address of the direct map in p_paddr, the others (vmalloc,
 * modules, vmemmap) have p_paddr = -1 and are skipped.  Its kernel-text
 * segment overlaps RAM and is trimmed away by dump_finish_segments().
 */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump_internal.h"

/* Kernel-half addresses below the kernel text mapping. */
#define KERNEL_HALF		0xffff800000000000ull
#define KERNEL_TEXT_MAP		0xffffffff80000000ull
#define GIB			(1ull << 30)

static int add_segment(struct vmcsinfo_dump *d, size_t idx,
		       const GElf_Phdr *ph, bool kcore)
{
	struct dump_segment *s;
	uint64_t avail = ph->p_filesz;

	if (ph->p_offset + ph->p_filesz < ph->p_offset ||
	    ph->p_paddr + ph->p_filesz < ph->p_paddr) {
		dump_warn_lost(d, "PT_LOAD %zu: offset 0x%llx + size 0x%llx overflows; ignored",
			  idx, (unsigned long long)ph->p_offset,
			  (unsigned long long)ph->p_filesz);
		return 0;
	}
	/* /proc/kcore's st_size says nothing about what it holds. */
	if (!kcore && ph->p_offset + ph->p_filesz > d->file_size) {
		avail = ph->p_offset < d->file_size ?
			d->file_size - ph->p_offset : 0;
		dump_warn_lost(d, "PT_LOAD %zu (physical 0x%llx-0x%llx) is truncated: the file holds %llu of its %llu bytes",
			  idx, (unsigned long long)ph->p_paddr,
			  (unsigned long long)(ph->p_paddr + ph->p_filesz - 1),
			  (unsigned long long)avail,
			  (unsigned long long)ph->p_filesz);
	}
	s = realloc(d->seg, (d->nseg + 1) * sizeof(*s));
	if (!s)
		return -1;
	d->seg = s;
	s += d->nseg++;
	s->paddr = ph->p_paddr;
	s->size = ph->p_filesz;
	s->off = ph->p_offset;
	s->avail = avail;
	s->vaddr = ph->p_vaddr;
	return 0;
}

static int add_notes(struct vmcsinfo_dump *d, Elf *e, size_t idx,
		     const GElf_Phdr *ph)
{
	Elf_Data *data;
	uint8_t *copy;

	if (!ph->p_filesz)
		return 0;
	if (ph->p_filesz > DUMP_MAX_NOTE_AREA) {
		dump_warn_lost(d, "PT_NOTE %zu has %llu bytes, more than %u; its notes are ignored",
			  idx, (unsigned long long)ph->p_filesz,
			  DUMP_MAX_NOTE_AREA);
		return 0;
	}
	data = elf_getdata_rawchunk(e, (int64_t)ph->p_offset,
				    (size_t)ph->p_filesz, ELF_T_BYTE);
	if (!data || !data->d_buf || data->d_size != ph->p_filesz) {
		dump_warn_lost(d, "PT_NOTE %zu at offset 0x%llx cannot be read (%s); its notes are ignored",
			  idx, (unsigned long long)ph->p_offset, elf_errmsg(-1));
		return 0;
	}
	copy = malloc(data->d_size);
	if (!copy)
		return -1;
	memcpy(copy, data->d_buf, data->d_size);
	return dump_add_note_area(d, copy, data->d_size, "PT_NOTE");
}

/* The p_vaddr - p_paddr most RAM bytes agree on, when 1 GiB aligned. */
static void direct_map_from_segments(struct vmcsinfo_dump *d)
{
	uint64_t best = 0, best_bytes = 0;
	size_t i, j;

	for (i = 0; i < d->nseg; i++) {
		uint64_t delta = d->seg[i].vaddr - d->seg[i].paddr, bytes = 0;

		if (d->seg[i].vaddr < KERNEL_HALF ||
		    d->seg[i].vaddr >= KERNEL_TEXT_MAP || delta % GIB)
			continue;
		for (j = 0; j < d->nseg; j++)
			if (d->seg[j].vaddr - d->seg[j].paddr == delta)
				bytes += d->seg[j].size;
		if (bytes > best_bytes) {
			best = delta;
			best_bytes = bytes;
		}
	}
	if (best_bytes) {
		d->elf_direct_map = best;
		d->have_elf_direct_map = true;
	}
}

int dump_open_elf(struct vmcsinfo_dump *d, bool kcore, char *err, size_t errlen)
{
	GElf_Ehdr eh;
	size_t i, nph, nload = 0;
	Elf *e;
	int rc = -1;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return dump_fail(err, errlen, "libelf: %s", elf_errmsg(-1));
	e = elf_begin(d->fd, ELF_C_READ, NULL);
	if (!e)
		return dump_fail(err, errlen, "not a readable ELF file: %s",
				 elf_errmsg(-1));
	if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		int eno = elf_errno();

		/* libelf sets no error for a header it does not recognise. */
		dump_fail(err, errlen, "not a readable ELF file: %s",
			  eno ? elf_errmsg(eno) : "truncated or unknown ELF header");
		goto out;
	}
	if (eh.e_type != ET_CORE) {
		dump_fail(err, errlen, "ELF file of type %u, not a core dump (ET_CORE)",
			  eh.e_type);
		goto out;
	}
	if (eh.e_machine != EM_X86_64 && eh.e_machine != EM_386)
		dump_warn(d, "ELF machine %u is not x86; reading it anyway",
			  eh.e_machine);
	if (elf_getphdrnum(e, &nph)) {
		dump_fail(err, errlen, "cannot count program headers: %s",
			  elf_errmsg(-1));
		goto out;
	}
	for (i = 0; i < nph; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			dump_fail(err, errlen, "program header %zu of %zu cannot be read: %s",
				  i, nph, elf_errmsg(-1));
			goto out;
		}
		if (ph.p_type == PT_NOTE) {
			if (add_notes(d, e, i, &ph))
				goto nomem;
		} else if (ph.p_type == PT_LOAD) {
			uint64_t none = eh.e_ident[EI_CLASS] == ELFCLASS32 ?
					0xffffffffull : ~0ull;

			if (kcore && ph.p_paddr == none)
				continue;
			if (add_segment(d, i, &ph, kcore))
				goto nomem;
			nload++;
		}
	}
	if (!nload) {
		dump_fail(err, errlen, "ELF core file without physical memory (no PT_LOAD with a physical address)");
		goto out;
	}
	snprintf(d->detail, sizeof(d->detail), "%s, %zu PT_LOAD segments",
		 kcore ? "/proc/kcore" : "ELF core dump", nload);
	d->be = &dump_file_backend;
	if (dump_finish_segments(d, err, errlen))
		goto out;
	direct_map_from_segments(d);
	rc = 0;
	goto out;
nomem:
	dump_fail(err, errlen, "out of memory");
out:
	elf_end(e);
	return rc;
}
