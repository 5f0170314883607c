// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs files of vmcsinfo.ko (documented in docs/ABI/):
 *
 *   /sys/kernel/vmcsinfo       "<phys addr> <size>\n" of the note, in hex,
 *                              as /sys/kernel/vmcoreinfo gives its note
 *   /sys/module/vmcsinfo/note  the note itself
 *   /sys/module/vmcsinfo/layout the layout as a text table
 *
 * The buffers behind them are written once before the files appear and
 * freed only after they are gone: removing a sysfs file waits for the
 * reads in progress (kernfs active references), and reads of a file that
 * stays open after that fail with -ENODEV.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "vmcsinfo/fields.h"
#include "vmcsinfo_kmod.h"

static const u8 *note_data;
static size_t note_len;
static u64 note_phys;
static const char *layout_text;
static size_t layout_len;

static ssize_t vmcsinfo_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	/* The exact format of /sys/kernel/vmcoreinfo. */
	return sysfs_emit(buf, "%llx %x\n", note_phys, (unsigned int)note_len);
}

static struct kobj_attribute vmcsinfo_attr =
	__ATTR(vmcsinfo, 0400, vmcsinfo_show, NULL);

static ssize_t note_read(struct file *file, struct kobject *kobj,
			 struct bin_attribute *attr, char *buf, loff_t off,
			 size_t count)
{
	return memory_read_from_buffer(buf, count, &off, note_data, note_len);
}

static ssize_t layout_read(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf, loff_t off,
			   size_t count)
{
	return memory_read_from_buffer(buf, count, &off, layout_text,
				       layout_len);
}

/* Binary attributes, so that neither is limited to PAGE_SIZE. */
static BIN_ATTR(note, 0400, note_read, NULL, 0);
static BIN_ATTR(layout, 0400, layout_read, NULL, 0);

int vmcsinfo_sysfs_init(const u8 *note, size_t note_size, u64 note_paddr,
			const char *text, size_t text_size)
{
	struct kobject *mod_kobj = &THIS_MODULE->mkobj.kobj;
	int ret;

	note_data = note;
	note_len = note_size;
	note_phys = note_paddr;
	layout_text = text;
	layout_len = text_size;
	bin_attr_note.size = note_size;
	bin_attr_layout.size = text_size;

	ret = sysfs_create_file(kernel_kobj, &vmcsinfo_attr.attr);
	if (ret) {
		pr_err("cannot create /sys/kernel/vmcsinfo (%d)\n", ret);
		return ret;
	}
	ret = sysfs_create_bin_file(mod_kobj, &bin_attr_note);
	if (ret) {
		pr_err("cannot create /sys/module/%s/note (%d)\n",
		       KBUILD_MODNAME, ret);
		goto err_kernel;
	}
	if (vmcsinfo_should_fail(VMCSINFO_FAIL_SYSFS))
		ret = -ENOMEM;
	else
		ret = sysfs_create_bin_file(mod_kobj, &bin_attr_layout);
	if (ret) {
		pr_err("cannot create /sys/module/%s/layout (%d)\n",
		       KBUILD_MODNAME, ret);
		goto err_note;
	}
	return 0;

err_note:
	sysfs_remove_bin_file(mod_kobj, &bin_attr_note);
err_kernel:
	sysfs_remove_file(kernel_kobj, &vmcsinfo_attr.attr);
	return ret;
}

void vmcsinfo_sysfs_exit(void)
{
	struct kobject *mod_kobj = &THIS_MODULE->mkobj.kobj;

	sysfs_remove_bin_file(mod_kobj, &bin_attr_layout);
	sysfs_remove_bin_file(mod_kobj, &bin_attr_note);
	sysfs_remove_file(kernel_kobj, &vmcsinfo_attr.attr);
}

/*
 * A text buffer filled in two passes with the same calls: the first (buf
 * NULL) only counts, the second writes into a buffer of the counted size.
 */
struct text {
	char *buf;
	size_t len;
	size_t size;
};

static __printf(2, 3) void text_add(struct text *t, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	if (t->buf)
		n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, args);
	else
		n = vsnprintf(NULL, 0, fmt, args);
	va_end(args);
	t->len += n;
}

static const char * const field_flag_names[] = {
	"ro", "unknown", "wchecked", "mismatch", "highdiff",
};

static const char * const layout_flag_names[] = {
	"vmwrite_any", "enum_exceeded", "in_vmx_op", "cpus_agree",
	"cpus_differ",
};

static void add_flag_list(struct text *t, u32 flags,
			  const char * const *names, unsigned int nr_names)
{
	unsigned int i;
	bool first = true;

	for (i = 0; i < nr_names; i++) {
		if (!(flags & BIT(i)))
			continue;
		text_add(t, "%s%s", first ? "" : ",", names[i]);
		first = false;
	}
	if (first)
		text_add(t, "-");
}

static bool run_continues(const s16 *map, unsigned int start, unsigned int i)
{
	if (map[start] < 0)
		return map[i] == map[start];
	return map[i] == map[start] + (s16)(i - start);
}

/*
 * The bit map of a field that is not stored plainly, as runs in the
 * notation of docs/model-format.md: "LO-HI:0xBYTE.BIT" (VMREAD bits LO..HI
 * are region bits from bit BIT of byte BYTE up) or "LO-HI:0" / ":1" for
 * bits that always read 0 or 1; runs separated by commas.
 */
static void add_runs(struct text *t, const struct vmcsinfo_field_map *f)
{
	unsigned int start = 0, i;

	for (i = 1; i <= f->nbits; i++) {
		s16 m;

		if (i < f->nbits && run_continues(f->map, start, i))
			continue;
		m = f->map[start];
		text_add(t, "%s%u", start ? "," : "", start);
		if (i - 1 != start)
			text_add(t, "-%u", i - 1);
		if (m == VMCSINFO_MAP_CONST1)
			text_add(t, ":1");
		else if (m < 0)
			text_add(t, ":0");
		else
			text_add(t, ":0x%x.%u", m / 8, m % 8);
		start = i;
	}
}

static void add_layout(struct text *t, const struct vmcsinfo_layout *l,
		       unsigned int cpu)
{
	u32 i;

	text_add(t, "cpu %u\n", cpu);
	text_add(t, "revision_id 0x%x\n", l->revision_id);
	text_add(t, "region_size %u\n", l->region_size);
	if (l->launch_state_offset == VMCSINFO_NO_OFFSET)
		text_add(t, "launch_state none\n");
	else
		text_add(t, "launch_state 0x%x %u\n", l->launch_state_offset,
			 l->launch_state_size);
	text_add(t, "abort_offset 0x%x\n", l->abort_offset);
	text_add(t, "methods%s%s%s\n",
		 l->methods & VMCSINFO_METHOD_READ ? " read" : "",
		 l->methods & VMCSINFO_METHOD_WRITE ? " write" : "",
		 l->methods ? "" : " none");
	text_add(t, "mismatches %u\n", l->mismatches);
	text_add(t, "flags ");
	add_flag_list(t, l->flags, layout_flag_names,
		      ARRAY_SIZE(layout_flag_names));
	text_add(t, "\ncounts vmptrld %u vmclear %u vmread %u vmwrite %u\n",
		 l->counts.vmptrld, l->counts.vmclear, l->counts.vmread,
		 l->counts.vmwrite);
	text_add(t, "nfields %u\n", l->nfields);
	text_add(t, "ENCODING NAME OFFSET SIZE FLAGS\n");

	for (i = 0; i < l->nfields; i++) {
		const struct vmcsinfo_field_map *f = &l->fields[i];
		const struct vmcsinfo_field *def;
		const char *name = "unknown";
		u32 offset, size;

		def = vmcsinfo_field_by_encoding(f->encoding);
		if (def && !(f->flags & VMCSINFO_FF_UNKNOWN))
			name = def->name;
		text_add(t, "0x%04x %s ", f->encoding, name);
		if (vmcsinfo_map_is_plain(f, &offset, &size)) {
			text_add(t, "0x%03x %u ", offset, size);
		} else {
			text_add(t, "bits ");
			add_runs(t, f);
			text_add(t, " ");
		}
		add_flag_list(t, f->flags, field_flag_names,
			      ARRAY_SIZE(field_flag_names));
		text_add(t, "\n");
	}
}

/*
 * The text of /sys/module/vmcsinfo/layout, kvmalloc()ed; *size gets its
 * length without the terminating NUL.
 */
char *vmcsinfo_format_layout(const struct vmcsinfo_layout *l,
			     unsigned int cpu, size_t *size)
{
	struct text t = { };

	add_layout(&t, l, cpu);
	t.size = t.len + 1;
	if (vmcsinfo_should_fail(VMCSINFO_FAIL_ALLOC_TEXT))
		return NULL;
	t.buf = kvmalloc(t.size, GFP_KERNEL);
	if (!t.buf)
		return NULL;
	t.len = 0;
	add_layout(&t, l, cpu);
	*size = t.len;
	return t.buf;
}
