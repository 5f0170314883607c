// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * kvm-guest: start tiny KVM guests with distinctive register values and
 * keep them running, for the end-to-end tests (the emulated Intel host in
 * Bochs): their VMCS pages are what vmcsinfo must find and decode.
 *
 * Each vCPU runs in real mode on a "jmp $" at a vCPU-specific RIP, so its
 * VMCS state is exact and constant.  A monitor thread kicks every vCPU
 * periodically (a signal makes KVM_RUN return EINTR); the vCPU thread
 * then checks with KVM_GET_REGS/KVM_GET_SREGS that its state is still the
 * one it set and enters the guest again.  The status file says, per vCPU,
 * how many kicks it survived and how many found changed state: that is how
 * a test proves the guests keep running, unchanged, while vmcsinfo.ko
 * probes the same CPU.
 *
 * Prints one "KVMGUEST ..." line per vCPU with the values it set, then
 * "KVMGUEST-READY".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define GUEST_MEM	0x10000		/* 64 KiB of guest RAM at GPA 0 */
#define CODE_SEG	0x0100		/* CS base 0x1000 */
#define MAX_VCPUS	64

struct vcpu {
	int vm, idx, id, fd;
	struct kvm_run *run;
	pthread_t thread;
	struct kvm_regs regs;		/* as set */
	struct kvm_sregs sregs;		/* as set */
	volatile unsigned long kicks, bad, exits_other;
	volatile int stopped;
	char last_error[128];
};

static struct vcpu vcpus[MAX_VCPUS];
static int nr_vcpus;

static void die(const char *what)
{
	fprintf(stderr, "kvm-guest: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void on_kick(int sig)
{
	(void)sig;	/* only there to interrupt KVM_RUN */
}

static void set_seg(struct kvm_segment *s, uint16_t sel)
{
	s->selector = sel;
	s->base = (uint64_t)sel << 4;
}

/* Distinctive, valid real-mode state for vCPU id (RPL 0 selectors). */
static void init_state(struct vcpu *v, int sys_fd_unused)
{
	int id = v->id;

	(void)sys_fd_unused;
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rax = 0x1111000000000000ULL | (uint64_t)id;
	v->regs.rbx = 0x2222000000000000ULL | (uint64_t)id;
	v->regs.rcx = 0x3333000000000000ULL | (uint64_t)id;
	v->regs.rdx = 0x4444000000000000ULL | (uint64_t)id;
	v->regs.rsi = 0x5555000000000000ULL | (uint64_t)id;
	v->regs.rdi = 0x6666000000000000ULL | (uint64_t)id;
	v->regs.rbp = 0x7777000000000000ULL | (uint64_t)id;
	v->regs.rsp = 0x0ff0 - 0x10 * (uint64_t)id;
	v->regs.rip = 0x0020 + 0x10 * (uint64_t)id;
	v->regs.rflags = 0x46;			/* ZF, PF, bit 1 */

	if (ioctl(v->fd, KVM_GET_SREGS, &v->sregs) < 0)
		die("KVM_GET_SREGS");
	set_seg(&v->sregs.cs, CODE_SEG);
	set_seg(&v->sregs.ss, (uint16_t)(0x0200 + 0x10 * id));
	set_seg(&v->sregs.ds, (uint16_t)(0x0300 + 0x08 * id));
	set_seg(&v->sregs.es, (uint16_t)(0x0400 + 0x08 * id));
	set_seg(&v->sregs.fs, (uint16_t)(0x0500 + 0x08 * id));
	set_seg(&v->sregs.gs, (uint16_t)(0x0600 + 0x08 * id));
	v->sregs.cr3 = 0x00abc000 + 0x1000 * (uint64_t)id;
	v->sregs.cr4 = 0x8 | (id & 1 ? 0x4 : 0);	/* DE, TSD */
}

static bool same_state(const struct vcpu *v, const struct kvm_regs *r,
		       const struct kvm_sregs *s)
{
	return r->rip == v->regs.rip && r->rsp == v->regs.rsp &&
	       r->rax == v->regs.rax && r->rbp == v->regs.rbp &&
	       s->cs.selector == v->sregs.cs.selector &&
	       s->ss.selector == v->sregs.ss.selector &&
	       s->ds.selector == v->sregs.ds.selector &&
	       s->es.selector == v->sregs.es.selector &&
	       s->fs.selector == v->sregs.fs.selector &&
	       s->gs.selector == v->sregs.gs.selector &&
	       s->cr0 == v->sregs.cr0 && s->cr3 == v->sregs.cr3 &&
	       s->cr4 == v->sregs.cr4;
}

static void *vcpu_loop(void *arg)
{
	struct vcpu *v = arg;

	for (;;) {
		struct kvm_regs r;
		struct kvm_sregs s;

		int rc = ioctl(v->fd, KVM_RUN, 0);

		if (rc < 0 && errno != EINTR) {
			snprintf(v->last_error, sizeof(v->last_error),
				 "KVM_RUN: %s", strerror(errno));
			v->stopped = 1;
			return NULL;
		}
		if (rc == 0 && v->run->exit_reason != KVM_EXIT_INTR) {
			v->exits_other++;
			snprintf(v->last_error, sizeof(v->last_error),
				 "exit reason %u", v->run->exit_reason);
			if (v->run->exit_reason == KVM_EXIT_FAIL_ENTRY ||
			    v->run->exit_reason == KVM_EXIT_INTERNAL_ERROR ||
			    v->run->exit_reason == KVM_EXIT_SHUTDOWN) {
				v->stopped = 1;
				return NULL;
			}
		}
		if (ioctl(v->fd, KVM_GET_REGS, &r) < 0 ||
		    ioctl(v->fd, KVM_GET_SREGS, &s) < 0) {
			v->stopped = 1;
			return NULL;
		}
		if (same_state(v, &r, &s))
			v->kicks++;
		else
			v->bad++;
	}
}

static void print_vcpu(const struct vcpu *v)
{
	const struct kvm_sregs *s = &v->sregs;

	printf("KVMGUEST vm=%d vcpu=%d rip=0x%llx rsp=0x%llx rflags=0x%llx "
	       "rax=0x%llx cr0=0x%llx cr3=0x%llx cr4=0x%llx cs=0x%x ss=0x%x "
	       "ds=0x%x es=0x%x fs=0x%x gs=0x%x cs_base=0x%llx ss_base=0x%llx\n",
	       v->vm, v->idx, v->regs.rip, v->regs.rsp, v->regs.rflags,
	       v->regs.rax, s->cr0, s->cr3, s->cr4, s->cs.selector,
	       s->ss.selector, s->ds.selector, s->es.selector, s->fs.selector,
	       s->gs.selector, s->cs.base, s->ss.base);
}

static void write_status(const char *path)
{
	char tmp[512];
	FILE *fp;
	int i;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fp = fopen(tmp, "w");
	if (!fp)
		return;
	for (i = 0; i < nr_vcpus; i++)
		fprintf(fp, "KVMSTATUS vm=%d vcpu=%d kicks=%lu bad=%lu other=%lu stopped=%d%s%s\n",
			vcpus[i].vm, vcpus[i].idx, vcpus[i].kicks, vcpus[i].bad,
			vcpus[i].exits_other, vcpus[i].stopped,
			vcpus[i].last_error[0] ? " error=" : "",
			vcpus[i].last_error);
	fclose(fp);
	rename(tmp, path);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vms", required_argument, NULL, 'm' },
		{ "vcpus", required_argument, NULL, 'c' },
		{ "status", required_argument, NULL, 's' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	int nvms = 1, ncpus = 1, interval_ms = 200, o, kvm, m, c;
	const char *status = NULL;
	struct sigaction sa;

	while ((o = getopt_long(argc, argv, "m:c:s:i:", opts, NULL)) != -1) {
		switch (o) {
		case 'm':
			nvms = atoi(optarg);
			break;
		case 'c':
			ncpus = atoi(optarg);
			break;
		case 's':
			status = optarg;
			break;
		case 'i':
			interval_ms = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: kvm-guest [--vms N] [--vcpus M] [--status FILE] [--interval-ms MS]\n");
			return 2;
		}
	}
	if (nvms < 1 || ncpus < 1 || nvms * ncpus > MAX_VCPUS || interval_ms < 1) {
		fprintf(stderr, "kvm-guest: bad counts\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;	/* no SA_RESTART: KVM_RUN returns */
	sigaction(SIGUSR1, &sa, NULL);

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	for (m = 0; m < nvms; m++) {
		struct kvm_userspace_memory_region mr;
		int vm = ioctl(kvm, KVM_CREATE_VM, 0);
		long run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
		unsigned char *mem;

		if (vm < 0)
			die("KVM_CREATE_VM");
		if (run_size <= 0)
			die("KVM_GET_VCPU_MMAP_SIZE");
		mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			die("mmap guest memory");
		memset(mem, 0xf4, GUEST_MEM);	/* hlt everywhere else */
		memset(&mr, 0, sizeof(mr));
		mr.memory_size = GUEST_MEM;
		mr.userspace_addr = (uintptr_t)mem;
		if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
			die("KVM_SET_USER_MEMORY_REGION");
		for (c = 0; c < ncpus; c++) {
			struct vcpu *v = &vcpus[nr_vcpus];

			v->vm = m;
			v->idx = c;
			v->id = nr_vcpus;
			v->fd = ioctl(vm, KVM_CREATE_VCPU, c);
			if (v->fd < 0)
				die("KVM_CREATE_VCPU");
			v->run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE,
				      MAP_SHARED, v->fd, 0);
			if (v->run == MAP_FAILED)
				die("mmap kvm_run");
			init_state(v, kvm);
			/* "jmp $" at CS base + RIP */
			mem[(CODE_SEG << 4) + v->regs.rip] = 0xeb;
			mem[(CODE_SEG << 4) + v->regs.rip + 1] = 0xfe;
			if (ioctl(v->fd, KVM_SET_SREGS, &v->sregs) < 0)
				die("KVM_SET_SREGS");
			if (ioctl(v->fd, KVM_SET_REGS, &v->regs) < 0)
				die("KVM_SET_REGS");
			/* what KVM accepted is what we compare against */
			if (ioctl(v->fd, KVM_GET_SREGS, &v->sregs) < 0)
				die("KVM_GET_SREGS");
			nr_vcpus++;
		}
	}
	for (c = 0; c < nr_vcpus; c++) {
		print_vcpu(&vcpus[c]);
		if (pthread_create(&vcpus[c].thread, NULL, vcpu_loop, &vcpus[c]))
			die("pthread_create");
	}
	printf("KVMGUEST-READY vcpus=%d\n", nr_vcpus);
	fflush(stdout);
	for (;;) {
		struct timespec ts = { interval_ms / 1000,
				       (interval_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		for (c = 0; c < nr_vcpus; c++)
			if (!vcpus[c].stopped)
				pthread_kill(vcpus[c].thread, SIGUSR1);
		if (status)
			write_status(status);
	}
}
