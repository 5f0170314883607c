/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The layout database: VMCSINFO notes keyed by VMCS revision AND CPU
 * identity (CPUID signature, microcode), never by revision alone.
 *
 * Built-in entries are generated at build time from the models (models/NAME.model) by
 * running the simulated CPU (gen-builtin-db.sh); user entries are note
 * files in $VMCSINFO_DB, else ~/.local/share/vmcsinfo/db, named
 * REVISION-SIGNATURE-MICROCODE.note (8 hex digits each).
 */
#ifndef VMCSINFO_DECODE_DB_H
#define VMCSINFO_DECODE_DB_H

#include <limits.h>

#include "cli.h"

struct db_entry {
	char name[128];		/* model name, or file name without .note */
	char origin[PATH_MAX];	/* "models/X.model" or the file's path */
	bool builtin;
	struct vmcsinfo_note *note;
	uint32_t revision_id, signature, microcode;
};

struct db {
	struct db_entry *e;	/* user entries first, then built-in ones */
	size_t n;
	char dir[PATH_MAX];	/* user directory ("" when there is none) */
};

/* Generated: the i-th built-in note, or NULL past the end. */
const unsigned char *db_builtin_get(size_t i, size_t *size,
				    const char **name, const char **model);

/*
 * Load the built-in entries and, when user is true, the user directory
 * (unreadable or invalid files there are warned about and skipped).
 */
int db_load(const struct cli *c, struct db *db, bool user);
void db_free(struct db *db);

/* The user directory into buf; 0, or -1 when neither variable is set. */
int db_user_dir(char *buf, size_t len);

/* Entry by name or by key "REV-SIG-UCODE" (hex); NULL when absent. */
const struct db_entry *db_find(const struct db *db, const char *what);

/* The "REV-SIG-UCODE" key of an identity. */
void db_key(uint32_t revision, uint32_t signature, uint32_t microcode,
	    char *buf, size_t len);

#endif
