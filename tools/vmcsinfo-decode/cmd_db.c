// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vmcsinfo-decode db list
 * vmcsinfo-decode db show NAME|KEY
 * vmcsinfo-decode db add [--force] NOTEFILE|live|/sys/kernel/vmcsinfo
 * vmcsinfo-decode db remove NAME|KEY
 *
 * The layout database (db.h; docs/vmcsinfo-decode.md, "db").
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "db_live.h"
#include "json.h"

#define SYSFS_VMCSINFO	"/sys/kernel/vmcsinfo"

static int db_list(const struct cli *c, const struct db *db)
{
	size_t i;

	if (c->json) {
		struct json j;

		json_init(&j, c->out, c->pretty);
		json_obj_open(&j, NULL);
		json_str(&j, "user_dir", db->dir[0] ? db->dir : NULL);
		json_arr_open(&j, "entries");
		for (i = 0; i < db->n; i++) {
			const struct db_entry *e = &db->e[i];
			const struct vmcsinfo_note_header *h =
				vmcsinfo_note_get_header(e->note);
			char key[32];

			db_key(e->revision_id, e->signature, e->microcode, key, sizeof(key));
			json_obj_open(&j, NULL);
			json_str(&j, "name", e->name);
			json_str(&j, "key", key);
			json_bool(&j, "builtin", e->builtin);
			json_str(&j, "origin", e->origin);
			json_uint(&j, "revision_id", e->revision_id);
			json_uint(&j, "cpuid_signature", e->signature);
			json_uint(&j, "microcode", e->microcode);
			json_str(&j, "vendor", h->vendor);
			json_str(&j, "source", layout_source_name(h->source));
			json_uint(&j, "nfields", h->nfields);
			json_obj_close(&j);
		}
		json_arr_close(&j);
		json_obj_close(&j);
		json_end(&j);
		return 0;
	}
	printf("%-36s %-10s %-10s %-9s %6s  %s\n", "NAME", "REVISION",
	       "SIGNATURE", "MICROCODE", "FIELDS", "ORIGIN");
	for (i = 0; i < db->n; i++) {
		const struct db_entry *e = &db->e[i];

		printf("%-36s 0x%08x 0x%08x 0x%-7x %6u  %s%s\n", e->name,
		       e->revision_id, e->signature, e->microcode,
		       vmcsinfo_note_get_header(e->note)->nfields,
		       e->builtin ? "built-in, from " : "", e->origin);
	}
	printf("user entries: %s\n", db->dir[0] ? db->dir : "(no $VMCSINFO_DB or $HOME)");
	return 0;
}

static int db_show(const struct cli *c, const struct db *db, const char *what)
{
	const struct db_entry *e = db_find(db, what);

	if (!e) {
		cli_err(c, "%s: no such layout database entry (see `%s db list`)",
			what, c->prog);
		return -1;
	}
	if (!c->json)
		printf("database entry   %s (%s%s)\n", e->name,
		       e->builtin ? "built-in, from " : "", e->origin);
	layout_print(c, e->note);
	return 0;
}

static int mkdir_p(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

/* The note bytes of a note file, or of the live note sysfs points at. */
static int read_source(const struct cli *c, const char *arg, uint8_t **buf,
		       size_t *len, const char **label)
{
	const char *sysfs = getenv("VMCSINFO_SYSFS");
	uint64_t paddr, size;

	if (!sysfs || !*sysfs)
		sysfs = SYSFS_VMCSINFO;
	*label = arg;
	if (!strcmp(arg, "live"))
		arg = *label = sysfs;
	if (cli_read_file(c, arg, 1u << 25, buf, len))
		return -1;
	if (!db_live_parse((const char *)*buf, *len, &paddr, &size))
		return 0;
	free(*buf);
	*buf = NULL;
	return db_live_read(c, arg, paddr, size, buf, len);
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
	char tmp[PATH_MAX + 8];
	FILE *fp;
	int ok;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -1;
	fp = fopen(tmp, "wb");
	if (!fp)
		return -1;
	ok = fwrite(buf, 1, len, fp) == len;
	ok = !fclose(fp) && ok;
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int db_add(const struct cli *c, struct db *db, const char *arg,
		  bool force)
{
	const struct vmcsinfo_note_header *h;
	const struct db_entry *old;
	struct vmcsinfo_note *note;
	char key[32], path[PATH_MAX], err[256];
	const char *label;
	uint8_t *buf;
	size_t len;
	int rc = -1;

	if (!db->dir[0]) {
		cli_err(c, "no user database: set VMCSINFO_DB or HOME");
		return -1;
	}
	if (read_source(c, arg, &buf, &len, &label))
		return -1;
	if (vmcsinfo_note_parse(buf, len, &note, err, sizeof(err))) {
		cli_err(c, "%s: %s", cli_name(label), err);
		free(buf);
		return -1;
	}
	h = vmcsinfo_note_get_header(note);
	db_key(h->revision_id, h->cpuid_signature, h->microcode, key, sizeof(key));
	if (!h->cpuid_signature)
		cli_warn(c, "%s: the note names no CPU (signature 0): the entry will serve revision 0x%x on any CPU",
			 cli_name(label), h->revision_id);
	old = db_find(db, key);
	if (old && old->builtin && !force) {
		cli_err(c, "%s: %s is a built-in entry (%s); --force adds it as a user entry, which takes precedence",
			cli_name(label), key, old->name);
		goto out;
	}
	if (snprintf(path, sizeof(path), "%s/%s.note", db->dir, key) >= (int)sizeof(path)) {
		cli_err(c, "%s: path too long", db->dir);
		goto out;
	}
	if (!force && access(path, F_OK) == 0) {
		uint8_t *have;
		size_t hlen;

		if (!cli_read_file(c, path, 1u << 25, &have, &hlen)) {
			bool same = hlen == len && !memcmp(have, buf, len);

			free(have);
			if (same) {
				printf("%s: already in the database as %s\n", cli_name(label), key);
				rc = 0;
				goto out;
			}
		}
		cli_err(c, "%s: %s differs from this note for the same CPU; --force replaces it",
			cli_name(label), path);
		goto out;
	}
	if (mkdir_p(db->dir) || write_file(path, buf, len)) {
		cli_err(c, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!c->json)
		printf("added %s: revision 0x%x, signature 0x%08x, microcode 0x%x, %u fields\n",
		       path, h->revision_id, h->cpuid_signature, h->microcode,
		       h->nfields);
	rc = 0;
out:
	vmcsinfo_note_free(note);
	free(buf);
	return rc;
}

static int db_remove(const struct cli *c, const struct db *db, const char *what)
{
	const struct db_entry *e = db_find(db, what);

	if (!e) {
		cli_err(c, "%s: no such layout database entry", what);
		return -1;
	}
	if (e->builtin) {
		cli_err(c, "%s: built-in entries cannot be removed", what);
		return -1;
	}
	if (unlink(e->origin)) {
		cli_err(c, "%s: %s", e->origin, strerror(errno));
		return -1;
	}
	if (!c->json)
		printf("removed %s\n", e->origin);
	return 0;
}

int cmd_db(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub;
	struct db db;
	bool force = false;
	int ch, rc;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (ch != 'f')
			goto usage;
		force = true;
	}
	if (optind >= argc)
		goto usage;
	sub = argv[optind++];
	if (db_load(c, &db, true)) {
		cli_err(c, "out of memory");
		return EXIT_FAIL;
	}
	if (!strcmp(sub, "list") && optind == argc)
		rc = db_list(c, &db);
	else if (!strcmp(sub, "show") && optind == argc - 1)
		rc = db_show(c, &db, argv[optind]);
	else if (!strcmp(sub, "add") && optind == argc - 1)
		rc = db_add(c, &db, argv[optind], force);
	else if ((!strcmp(sub, "remove") || !strcmp(sub, "rm")) && optind == argc - 1)
		rc = db_remove(c, &db, argv[optind]);
	else {
		db_free(&db);
		goto usage;
	}
	db_free(&db);
	if (rc)
		return EXIT_FAIL;
	return cli_flush(c) ? EXIT_FAIL : EXIT_OK;
usage:
	cli_err(c, "usage: %s db list | show NAME|KEY | add [--force] NOTEFILE|live | remove NAME|KEY",
		c->prog);
	return EXIT_USAGE;
}
