// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mkimage: a large synthetic memory image for the scan benchmark, fast.
 *
 *   mkimage --raw|--elf OUT --head FILE [--notes FILE] [--seed N]
 *           [--segment PADDR:SIZE]... [--zero PADDR:SIZE]...
 *           [--plant PADDR=FILE]...
 *
 * Physical memory is the segments (--raw: exactly one, at 0; the file
 * offset is the physical address).  Page contents depend only on the
 * physical address, so the raw image and the ELF vmcore of one machine
 * hold the same pages:
 *
 * - below the length of --head: that file (the synthetic machine's low
 *   memory from tests/fixtures/machine.py: page tables, VMCOREINFO's
 *   kernel data, VMCS regions, the VMCSINFO note page);
 * - elsewhere, chosen per page by a hash of its frame number: 35% zero,
 *   35% pseudo-random bytes, 30% "kernel data" (64-bit words that are
 *   zero, small integers or direct-map pointers: compressible about 3:1,
 *   as real memory is); one page in 16384 is a decoy that starts with a
 *   VMCS revision (0x2b) and fails the checks, so the judge runs too;
 * - --zero PADDR:SIZE: zero pages (the struct pages of mem_map, which
 *   makedumpfile reads and wants zero: no page is filtered);
 * - --plant PADDR=FILE: the file's bytes at PADDR (VMCS regions), last.
 *
 * No generated page starts with a revision the decoder knows (0x2b,
 * vmcs12's 0x11e57ed0) unless it is a decoy or planted.  --elf writes
 * an ELF64 core file like a kexec vmcore: one PT_NOTE (the --notes
 * bytes), then one PT_LOAD per segment (p_vaddr = direct map + p_paddr).
 * The file is written in 4 MiB pwrites: a few seconds for 4 GiB.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE		4096u
#define CHUNK		(4u << 20)
#define MAX_SEGS	16
#define MAX_PLANTS	64
#define MAX_ZEROS	8
#define DIRECT_MAP	0xffff888000000000ull
#define REV_BOCHS	0x2bu
#define REV_VMCS12	0x11e57ed0u
#define DECOY_EVERY	16384u

struct seg {
	uint64_t paddr, size, off;
};

struct plant {
	uint64_t paddr;
	uint8_t *data;
	size_t len;
};

static struct seg segs[MAX_SEGS];
static size_t nsegs;
static struct seg zeros[MAX_ZEROS];
static size_t nzeros;
static struct plant plants[MAX_PLANTS];
static size_t nplants;
static uint8_t *head;
static size_t head_len;
static uint64_t seed = 1;

static _Noreturn void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mkimage: ");
	fprintf(stderr, fmt, arg, strerror(errno));
	fputc('\n', stderr);
	exit(1);
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);	/* x86-64: little endian */
}

/* One generated page (beyond the head) for frame pfn. */
static void gen_page(uint8_t *p, uint64_t pfn)
{
	uint64_t s = seed ^ (pfn * 0xd6e8feb86659fd93ull);
	uint64_t kind = splitmix(&s) % 100;
	bool decoy = pfn % DECOY_EVERY == DECOY_EVERY / 2;
	unsigned int i;

	if (decoy)
		kind = 99;
	if (kind < 35) {
		memset(p, 0, PAGE);
	} else if (kind < 70) {
		for (i = 0; i < PAGE; i += 8)
			put64(p + i, splitmix(&s));
	} else {
		for (i = 0; i < PAGE; i += 8) {
			uint64_t r = splitmix(&s);

			switch (r & 3) {
			case 0:
				put64(p + i, 0);
				break;
			case 1:
				put64(p + i, (r >> 8) & 0xffff);
				break;
			default:
				put64(p + i, DIRECT_MAP + ((r >> 16) & 0x3ffffff8ull));
				break;
			}
		}
	}
	if (decoy) {
		p[0] = REV_BOCHS;
		p[1] = p[2] = p[3] = 0;
	} else if ((le32(p) & 0x7fffffffu) == REV_BOCHS ||
		   (le32(p) & 0x7fffffffu) == REV_VMCS12) {
		p[0] ^= 0xff;
	}
}

static bool in_zeros(uint64_t pa)
{
	size_t i;

	for (i = 0; i < nzeros; i++)
		if (pa >= zeros[i].paddr && pa - zeros[i].paddr < zeros[i].size)
			return true;
	return false;
}

/* Physical [pa, pa + len) into buf (pa and len page multiples). */
static void fill(uint8_t *buf, uint64_t pa, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += PAGE) {
		uint64_t at = pa + i;

		if (at + PAGE <= head_len)
			memcpy(buf + i, head + at, PAGE);
		else if (in_zeros(at))
			memset(buf + i, 0, PAGE);
		else
			gen_page(buf + i, at / PAGE);
	}
	for (i = 0; i < nplants; i++) {
		const struct plant *pl = &plants[i];

		if (pl->paddr >= pa && pl->paddr + pl->len <= pa + len)
			memcpy(buf + (pl->paddr - pa), pl->data, pl->len);
	}
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		die("%s: %s", path);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("%s: %s", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static uint64_t num(const char *s, char **end)
{
	errno = 0;
	return strtoull(s, end, 0);
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: mkimage --raw|--elf OUT --head FILE [--notes FILE] [--seed N] [--segment PADDR:SIZE]... [--zero PADDR:SIZE]... [--plant PADDR=FILE]...\n");
	exit(2);
}

/* PADDR:SIZE, page multiples */
static void parse_range(const char *s, struct seg *r)
{
	char *e;

	r->paddr = num(s, &e);
	if (*e != ':')
		usage();
	r->size = num(e + 1, &e);
	if (*e || r->paddr % PAGE || r->size % PAGE || !r->size)
		usage();
}

static void write_all(int fd, const void *buf, size_t len, uint64_t off,
		      const char *path)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n <= 0)
			die("%s: %s", path);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
}

/* ELF header, PT_NOTE, PT_LOADs, notes; returns the data offset. */
static uint64_t write_elf_headers(int fd, const uint8_t *notes,
				  size_t notes_len, const char *path)
{
	size_t phnum = 1 + nsegs, note_off = sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr);
	uint64_t data_off = (note_off + notes_len + PAGE - 1) / PAGE * PAGE, off;
	size_t hlen = (size_t)data_off, i;
	uint8_t *h = calloc(1, hlen);
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph = { 0 };

	if (!h)
		die("%s: %s", path);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = (Elf64_Half)phnum;
	memcpy(h, &eh, sizeof(eh));
	ph.p_type = PT_NOTE;
	ph.p_offset = note_off;
	ph.p_filesz = ph.p_memsz = notes_len;
	memcpy(h + sizeof(eh), &ph, sizeof(ph));
	off = data_off;
	for (i = 0; i < nsegs; i++) {
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_LOAD;
		ph.p_flags = PF_R | PF_W | PF_X;
		ph.p_offset = off;
		ph.p_vaddr = DIRECT_MAP + segs[i].paddr;
		ph.p_paddr = segs[i].paddr;
		ph.p_filesz = ph.p_memsz = segs[i].size;
		ph.p_align = PAGE;
		memcpy(h + sizeof(eh) + (1 + i) * sizeof(ph), &ph, sizeof(ph));
		segs[i].off = off;
		off += segs[i].size;
	}
	memcpy(h + note_off, notes, notes_len);
	write_all(fd, h, hlen, 0, path);
	free(h);
	return data_off;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *notes_path = NULL, *head_path = NULL;
	uint8_t *notes = NULL, *buf;
	size_t notes_len = 0, i;
	uint64_t total = 0, end;
	bool elf = false;
	char *e;
	int a, fd;

	for (a = 1; a < argc; a++) {
		const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (!val)
			usage();
		a++;
		if (!strcmp(opt, "--raw") || !strcmp(opt, "--elf")) {
			out = val;
			elf = opt[2] == 'e';
		} else if (!strcmp(opt, "--head")) {
			head_path = val;
		} else if (!strcmp(opt, "--notes")) {
			notes_path = val;
		} else if (!strcmp(opt, "--seed")) {
			seed = num(val, &e);
		} else if (!strcmp(opt, "--segment") && nsegs < MAX_SEGS) {
			parse_range(val, &segs[nsegs++]);
		} else if (!strcmp(opt, "--zero") && nzeros < MAX_ZEROS) {
			parse_range(val, &zeros[nzeros++]);
		} else if (!strcmp(opt, "--plant") && nplants < MAX_PLANTS) {
			plants[nplants].paddr = num(val, &e);
			if (*e != '=')
				usage();
			plants[nplants].data = slurp(e + 1, &plants[nplants].len);
			nplants++;
		} else {
			usage();
		}
	}
	if (!out || !head_path || !nsegs || (!elf && (nsegs != 1 || segs[0].paddr)))
		usage();
	head = slurp(head_path, &head_len);
	if (notes_path)
		notes = slurp(notes_path, &notes_len);
	for (i = 0; i < nplants; i++) {
		size_t k;

		for (k = 0; k < nsegs; k++)
			if (plants[i].paddr >= segs[k].paddr &&
			    plants[i].paddr + plants[i].len <= segs[k].paddr + segs[k].size &&
			    plants[i].paddr / CHUNK == (plants[i].paddr + plants[i].len - 1) / CHUNK)
				break;
		if (k == nsegs) {
			fprintf(stderr, "mkimage: plant at 0x%" PRIx64 " is not inside one segment and 4 MiB chunk\n",
				plants[i].paddr);
			return 1;
		}
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("%s: %s", out);
	end = elf ? write_elf_headers(fd, notes, notes_len, out) : 0;
	buf = malloc(CHUNK);
	if (!buf)
		die("%s: %s", out);
	for (i = 0; i < nsegs; i++) {
		uint64_t pa = segs[i].paddr, stop = pa + segs[i].size;

		/* Chunks aligned in physical memory, so plants never straddle. */
		while (pa < stop) {
			uint64_t next = (pa / CHUNK + 1) * CHUNK;
			size_t n = (size_t)((next < stop ? next : stop) - pa);

			fill(buf, pa, n);
			write_all(fd, buf, n, segs[i].off + (pa - segs[i].paddr), out);
			pa += n;
		}
		total += segs[i].size;
		if (segs[i].off + segs[i].size > end)
			end = segs[i].off + segs[i].size;
	}
	if (close(fd))
		die("%s: %s", out);
	printf("%s: %s, %" PRIu64 " bytes of memory in %zu segment%s, %zu planted regions, file %" PRIu64 " bytes\n",
	       out, elf ? "ELF vmcore" : "raw image", total, nsegs,
	       nsegs == 1 ? "" : "s", nplants, end);
	free(buf);
	return 0;
}
