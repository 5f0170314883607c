// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Loading the layout database: built-in notes (generated from the
 * models) and the user's note files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

void db_key(uint32_t revision, uint32_t signature, uint32_t microcode,
	    char *buf, size_t len)
{
	snprintf(buf, len, "%08x-%08x-%08x", revision, signature, microcode);
}

int db_user_dir(char *buf, size_t len)
{
	const char *env = getenv("VMCSINFO_DB"), *home = getenv("HOME");
	int n;

	if (env && *env)
		n = snprintf(buf, len, "%s", env);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.local/share/vmcsinfo/db", home);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static struct db_entry *new_entry(struct db *db)
{
	struct db_entry *e = realloc(db->e, (db->n + 1) * sizeof(*e));

	if (!e)
		return NULL;
	db->e = e;
	e += db->n++;
	memset(e, 0, sizeof(*e));
	return e;
}

static void fill_identity(struct db_entry *e)
{
	const struct vmcsinfo_note_header *h = vmcsinfo_note_get_header(e->note);

	e->revision_id = h->revision_id;
	e->signature = h->cpuid_signature;
	e->microcode = h->microcode;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The user's *.note files, sorted by name so the order is stable. */
static int load_user(const struct cli *c, struct db *db)
{
	char **names = NULL;
	size_t n = 0, i;
	struct dirent *de;
	DIR *dir;

	dir = opendir(db->dir);
	if (!dir) {
		/* No directory is an empty user database. */
		if (errno != ENOENT)
			cli_warn(c, "%s: %s", db->dir, strerror(errno));
		return 0;
	}
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		char **nn;

		if (len <= 5 || strcmp(de->d_name + len - 5, ".note"))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn || !(nn[n] = strdup(de->d_name))) {
			names = nn ? nn : names;
			break;
		}
		names = nn;
		n++;
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		char path[PATH_MAX], err[256];
		struct vmcsinfo_note *note;
		struct db_entry *e;
		uint8_t *buf;
		size_t len;

		if (snprintf(path, sizeof(path), "%s/%s", db->dir, names[i]) >= (int)sizeof(path))
			continue;
		if (cli_read_file(c, path, 1u << 25, &buf, &len))
			continue;
		if (vmcsinfo_note_parse(buf, len, &note, err, sizeof(err))) {
			cli_warn(c, "%s: skipped: %s", path, err);
			free(buf);
			continue;
		}
		free(buf);
		e = new_entry(db);
		if (!e) {
			vmcsinfo_note_free(note);
			break;
		}
		e->note = note;
		snprintf(e->name, sizeof(e->name), "%.*s",
			 (int)(strlen(names[i]) - 5), names[i]);
		snprintf(e->origin, sizeof(e->origin), "%s", path);
		fill_identity(e);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

int db_load(const struct cli *c, struct db *db, bool user)
{
	const unsigned char *p;
	const char *name, *model;
	size_t i, size;

	memset(db, 0, sizeof(*db));
	if (db_user_dir(db->dir, sizeof(db->dir)))
		db->dir[0] = 0;
	if (user && db->dir[0] && load_user(c, db))
		return -1;
	for (i = 0; (p = db_builtin_get(i, &size, &name, &model)); i++) {
		struct db_entry *e = new_entry(db);
		char err[256];

		if (!e)
			return -1;
		if (vmcsinfo_note_parse(p, size, &e->note, err, sizeof(err))) {
			/* Only a broken build gets here. */
			cli_err(c, "built-in layout %s: %s", name, err);
			db->n--;
			continue;
		}
		e->builtin = true;
		snprintf(e->name, sizeof(e->name), "%s", name);
		snprintf(e->origin, sizeof(e->origin), "%s", model);
		fill_identity(e);
	}
	return 0;
}

void db_free(struct db *db)
{
	size_t i;

	for (i = 0; i < db->n; i++)
		vmcsinfo_note_free(db->e[i].note);
	free(db->e);
	memset(db, 0, sizeof(*db));
}

const struct db_entry *db_find(const struct db *db, const char *what)
{
	size_t i;

	for (i = 0; i < db->n; i++) {
		char key[32];

		db_key(db->e[i].revision_id, db->e[i].signature,
		       db->e[i].microcode, key, sizeof(key));
		if (!strcmp(db->e[i].name, what) || !strcmp(key, what))
			return &db->e[i];
	}
	return NULL;
}
