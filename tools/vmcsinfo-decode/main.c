// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vmcsinfo-decode: read VMCSINFO notes, VMCS pages and crash dumps.
 *
 * bpftool-style: global options anywhere before the subcommand's
 * arguments, every subcommand has --json, errors are one line on stderr
 * with a non-zero exit status.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef VMCSINFO_VERSION
#define VMCSINFO_VERSION "0.1"
#endif

static void usage(FILE *fp, const char *prog)
{
	fprintf(fp,
		"Usage: %s [OPTIONS] COMMAND ARGS\n"
		"Commands:\n"
		"  layout FILE|-           print the layout a VMCSINFO note describes\n"
		"  page [--layout NOTE|NAME] [--offset N] [--force] PAGEFILE|-\n"
		"                          decode one VMCS region\n"
		"  scan [--explain] [--fields] [--cpu SIG] DUMP\n"
		"                          find VMCSINFO notes and VMCS pages in a crash dump\n"
		"  db list|show NAME|add FILE|live|remove NAME\n"
		"                          the layout database\n"
		"Options:\n"
		"  -j, --json              JSON output\n"
		"  -p, --pretty            indented JSON output (implies --json)\n"
		"  -h, --help              this text\n"
		"  -V, --version           print the version\n"
		"See vmcsinfo-decode(8).\n", prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .prog = "vmcsinfo-decode" };

	c.out = stdout;
	int o;

	/* Global options may also follow the subcommand (bpftool style). */
	while ((o = getopt_long(argc, argv, "+jphV", opts, NULL)) != -1) {
		switch (o) {
		case 'j':
			c.json = true;
			break;
		case 'p':
			c.json = true;
			c.pretty = true;
			break;
		case 'h':
			usage(stdout, c.prog);
			return EXIT_OK;
		case 'V':
			printf("vmcsinfo-decode %s\n", VMCSINFO_VERSION);
			return EXIT_OK;
		default:
			usage(stderr, c.prog);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr, c.prog);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	/* Accept --json/-j/--pretty/-p after the subcommand, too. */
	{
		int i, n = 0;

		for (i = 0; i < argc; i++) {
			if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j")) {
				c.json = true;
			} else if (!strcmp(argv[i], "--pretty") ||
				   !strcmp(argv[i], "-p")) {
				c.json = true;
				c.pretty = true;
			} else {
				argv[n++] = argv[i];
			}
		}
		argc = n;
	}
	if (!strcmp(argv[0], "layout"))
		return cmd_layout(&c, argc, argv);
	if (!strcmp(argv[0], "page"))
		return cmd_page(&c, argc, argv);
	if (!strcmp(argv[0], "scan"))
		return cmd_scan(&c, argc, argv);
	if (!strcmp(argv[0], "db"))
		return cmd_db(&c, argc, argv);
	if (!strcmp(argv[0], "help")) {
		usage(stdout, c.prog);
		return EXIT_OK;
	}
	cli_err(&c, "unknown command '%s' (try --help)", argv[0]);
	return EXIT_USAGE;
}
