// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * crash extension: `extend vmcsinfo.so` adds the command `vmcs`.
 *
 *   vmcs -l         the VMCS layout from the dump's VMCSINFO note
 *   vmcs -s [-e]    scan the dump for VMCS pages (-e: rejected ones too)
 *   vmcs ADDR       decode the VMCS region at physical address ADDR
 *
 * Decoding is libvmcsinfo's (through bridge.c); crash provides the dump's
 * memory for `vmcs ADDR`, so any format crash reads works there.
 */
#include "defs.h"

#include "bridge.h"

static void cmd_vmcs(void);

static char *help_vmcs[] = {
	"vmcs",
	"VMCS layout and KVM guest state (vmcsinfo)",
	"-l | -s [-e] | address",
	"  Decodes Intel VMCS regions (the per-vCPU state of VMs) in this dump",
	"  with the layout from its VMCSINFO note (left by vmcsinfo.ko) or, if",
	"  the module was not loaded, the vmcsinfo layout database.",
	"",
	"    -l       print the layout: revision, region size, every field's",
	"             offset and size, or its bit map",
	"    -s       scan the dump for VMCS pages; list them grouped by VM",
	"             (HOST_RIP, EPTP) and vCPU (VPID) with guest RIP/RSP/CR3",
	"    -e       with -s: also the rejected candidates and why",
	"    address  a physical address (hexadecimal): decode the VMCS there,",
	"             every field by name, controls and state decoded",
	"",
	"EXAMPLE",
	"    crash> vmcs -s",
	"    crash> vmcs 1b2c3000",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "vmcs", cmd_vmcs, help_vmcs, 0 },
	{ NULL, NULL, NULL, 0 },
};

void __attribute__((constructor)) vmcsinfo_init(void)
{
	register_extension(command_table);
}

void __attribute__((destructor)) vmcsinfo_fini(void)
{
	vmcsinfo_bridge_release();
}

static void vmcs_decode_at(const char *arg)
{
	unsigned char page[4096];
	ulonglong paddr;

	paddr = htoll((char *)arg, FAULT_ON_ERROR, NULL);
	if (paddr & 0xfff)
		error(FATAL, "%llx: a VMCS region starts on a page boundary\n",
		      paddr);
	if (!readmem(paddr, PHYSADDR, page, sizeof(page),
		     "VMCS region", RETURN_ON_ERROR | QUIET))
		error(FATAL, "%llx: this physical page is not in the dump\n",
		      paddr);
	if (vmcsinfo_bridge_decode(fp, pc->dumpfile, paddr, page,
				   sizeof(page)))
		error(FATAL, "cannot decode a VMCS at %llx\n", paddr);
}

static void cmd_vmcs(void)
{
	int c, layout = 0, scan = 0, explain = 0;

	while ((c = getopt(argcnt, args, "lse")) != EOF) {
		switch (c) {
		case 'l':
			layout = 1;
			break;
		case 's':
			scan = 1;
			break;
		case 'e':
			explain = 1;
			break;
		default:
			argerrs++;
			break;
		}
	}
	if (argerrs || layout + scan + (args[optind] != NULL) != 1 ||
	    (explain && !scan) || (args[optind] && args[optind + 1]))
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (layout) {
		if (vmcsinfo_bridge_layout(fp, pc->dumpfile))
			error(FATAL, "no layout\n");
	} else if (scan) {
		if (vmcsinfo_bridge_scan(fp, pc->dumpfile, explain))
			error(FATAL, "scan failed\n");
	} else {
		vmcs_decode_at(args[optind]);
	}
}
