// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * kvm-guest: start tiny KVM guests with distinctive register values and
 * keep them running, for the end-to-end tests (the emulated Intel host in
 * Bochs): their VMCS pages are what vmcsinfo must find and decode.
 *
 * Each vCPU runs in real mode on a "jmp $" at a vCPU-specific RIP, so its
 * VMCS guest state is exact and constant (a HLT loop would leave RIP
 * depending on when the state was last written back).  The main thread
 * kicks every vCPU periodically (a signal makes KVM_RUN return EINTR); the
 * vCPU thread then checks with KVM_GET_REGS/KVM_GET_SREGS that its state is
 * still the one it set and enters the guest again.  The status file says,
 * per vCPU, how many kicks it survived and how many found changed state:
 * that is how a test proves the guests keep running, unchanged, while
 * vmcsinfo.ko probes the same CPU.
 *
 * Prints one "KVMGUEST ..." line per vCPU with the values KVM accepted
 * (checked against the values asked for), then "KVMGUEST-READY vcpus=N".
 * With --duration-s it stops after that time, prints the final
 * "KVMSTATUS ..." lines and exits 0 only if every vCPU survived at least
 * one kick and none saw changed state or stopped.  --idle runs the vCPU
 * threads SCHED_IDLE: they spin, and under emulation the host's own work
 * (a shell, kexec, a crash) should not have to share the CPU with them.
 *
 * Usage: kvm-guest [--vms N] [--vcpus M] [--status FILE] [--interval-ms MS]
 *                  [--duration-s S] [--idle]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
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
/*
 * Only used when the CPU lacks "unrestricted guest" (KVM then runs real
 * mode as vm86 and needs three pages for a TSS); outside the memory slot.
 */
#define TSS_ADDR	0xfffbd000UL
#define KICK_SIGNAL	SIGUSR1

struct vcpu {
	int vm, idx, id, fd;
	struct kvm_run *run;
	pthread_t thread;
	struct kvm_regs regs;		/* as accepted by KVM */
	struct kvm_sregs sregs;		/* as accepted by KVM */
	/* Written by the vCPU thread, read by the main thread. */
	atomic_ulong kicks, bad, exits_other;
	atomic_int stopped;
	/*
	 * Why the vCPU thread gave up, written before it sets stopped: what
	 * failed (a string literal), the exit reason or 0, the errno or 0.
	 */
	const char *error_what;
	unsigned int error_detail;
	int error_errno;
};

static struct vcpu vcpus[MAX_VCPUS];
static int nr_vcpus;
static bool idle_priority;

static _Noreturn void die(const char *what)
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

/*
 * Distinctive, valid real-mode state for vCPU id.  Selectors have RPL 0
 * (Bochs fails VM entry when a real-mode CS selector's RPL differs from
 * its DPL); sregs start from KVM's reset state (limits, access rights).
 */
static void wanted_state(int id, struct kvm_regs *r, struct kvm_sregs *s)
{
	memset(r, 0, sizeof(*r));
	r->rax = 0x1111000000000000ULL | (uint64_t)id;
	r->rbx = 0x2222000000000000ULL | (uint64_t)id;
	r->rcx = 0x3333000000000000ULL | (uint64_t)id;
	r->rdx = 0x4444000000000000ULL | (uint64_t)id;
	r->rsi = 0x5555000000000000ULL | (uint64_t)id;
	r->rdi = 0x6666000000000000ULL | (uint64_t)id;
	r->rbp = 0x7777000000000000ULL | (uint64_t)id;
	r->rsp = 0x0ff0 - 0x10 * (uint64_t)id;
	r->rip = 0x0020 + 0x10 * (uint64_t)id;
	/*
	 * IF, ZF, PF, bit 1.  IF must be set although the guest never gets
	 * an interrupt: Bochs 2.7 recomputes its interrupt masking when VM
	 * entry loads RFLAGS but before it notes that it is in VMX non-root
	 * operation (vmx.cc), so a guest with IF clear keeps the host's own
	 * interrupts (timer included) from causing VM exits and the host
	 * hangs in "jmp $".
	 */
	r->rflags = 0x246;

	set_seg(&s->cs, CODE_SEG);
	set_seg(&s->ss, (uint16_t)(0x0200 + 0x10 * id));
	set_seg(&s->ds, (uint16_t)(0x0300 + 0x08 * id));
	set_seg(&s->es, (uint16_t)(0x0400 + 0x08 * id));
	set_seg(&s->fs, (uint16_t)(0x0500 + 0x08 * id));
	set_seg(&s->gs, (uint16_t)(0x0600 + 0x08 * id));
	s->cr3 = 0x00abc000 + 0x1000 * (uint64_t)id;
	s->cr4 = 0x8 | (id & 1 ? 0x4 : 0);	/* DE, TSD on odd ids */
}

static bool same_seg(const struct kvm_segment *a, const struct kvm_segment *b)
{
	return a->selector == b->selector && a->base == b->base;
}

/* The fields a test relies on; everything wanted_state() sets. */
static bool same_state(const struct kvm_regs *ra, const struct kvm_sregs *sa,
		       const struct kvm_regs *rb, const struct kvm_sregs *sb)
{
	return ra->rip == rb->rip && ra->rsp == rb->rsp &&
	       ra->rflags == rb->rflags &&
	       ra->rax == rb->rax && ra->rbx == rb->rbx &&
	       ra->rcx == rb->rcx && ra->rdx == rb->rdx &&
	       ra->rsi == rb->rsi && ra->rdi == rb->rdi &&
	       ra->rbp == rb->rbp &&
	       same_seg(&sa->cs, &sb->cs) && same_seg(&sa->ss, &sb->ss) &&
	       same_seg(&sa->ds, &sb->ds) && same_seg(&sa->es, &sb->es) &&
	       same_seg(&sa->fs, &sb->fs) && same_seg(&sa->gs, &sb->gs) &&
	       sa->cr0 == sb->cr0 && sa->cr3 == sb->cr3 &&
	       sa->cr4 == sb->cr4;
}

/*
 * Record why a vCPU thread gave up.  Only the main thread formats errno
 * (strerror is not thread-safe), so the number is kept.
 */
static void stop_vcpu(struct vcpu *v, const char *what, unsigned int detail,
		      int err)
{
	v->error_what = what;
	v->error_detail = detail;
	v->error_errno = err;
	atomic_store(&v->stopped, 1);
}

static void *vcpu_loop(void *arg)
{
	struct vcpu *v = arg;

	/*
	 * The guests spin; under SCHED_IDLE they only take the CPU nobody
	 * else wants, so the host's shell (kexec, dumps) is not slowed down.
	 */
	if (idle_priority) {
		struct sched_param sp = { .sched_priority = 0 };

		int err = pthread_setschedparam(pthread_self(), SCHED_IDLE,
						&sp);

		if (err) {
			stop_vcpu(v, "SCHED_IDLE", 0, err);
			return NULL;
		}
	}
	for (;;) {
		struct kvm_regs r;
		struct kvm_sregs s;
		int rc = ioctl(v->fd, KVM_RUN, 0);

		if (rc < 0 && errno != EINTR) {
			stop_vcpu(v, "KVM_RUN", 0, errno);
			return NULL;
		}
		if (rc == 0 && v->run->exit_reason != KVM_EXIT_INTR) {
			atomic_fetch_add(&v->exits_other, 1);
			/* A "jmp $" guest has no other reason to exit. */
			stop_vcpu(v, "exit-reason", v->run->exit_reason, 0);
			return NULL;
		}
		if (ioctl(v->fd, KVM_GET_REGS, &r) < 0 ||
		    ioctl(v->fd, KVM_GET_SREGS, &s) < 0) {
			stop_vcpu(v, "KVM_GET_REGS/SREGS", 0, errno);
			return NULL;
		}
		if (same_state(&r, &s, &v->regs, &v->sregs))
			atomic_fetch_add(&v->kicks, 1);
		else
			atomic_fetch_add(&v->bad, 1);
	}
}

static void print_vcpu(const struct vcpu *v)
{
	const struct kvm_regs *r = &v->regs;
	const struct kvm_sregs *s = &v->sregs;

	printf("KVMGUEST vm=%d vcpu=%d id=%d rip=0x%llx rsp=0x%llx "
	       "rflags=0x%llx rax=0x%llx rbx=0x%llx rbp=0x%llx cr0=0x%llx "
	       "cr3=0x%llx cr4=0x%llx cs=0x%x ss=0x%x ds=0x%x es=0x%x "
	       "fs=0x%x gs=0x%x cs_base=0x%llx ss_base=0x%llx\n",
	       v->vm, v->idx, v->id, r->rip, r->rsp, r->rflags, r->rax,
	       r->rbx, r->rbp, s->cr0, s->cr3, s->cr4, s->cs.selector,
	       s->ss.selector, s->ds.selector, s->es.selector, s->fs.selector,
	       s->gs.selector, s->cs.base, s->ss.base);
}

static void print_status(FILE *fp)
{
	int i;

	for (i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = &vcpus[i];
		int stopped = atomic_load(&v->stopped);

		fprintf(fp, "KVMSTATUS vm=%d vcpu=%d kicks=%lu bad=%lu other=%lu stopped=%d",
			v->vm, v->idx, atomic_load(&v->kicks),
			atomic_load(&v->bad), atomic_load(&v->exits_other),
			stopped);
		if (stopped && v->error_errno)
			fprintf(fp, " error=%s:%s", v->error_what,
				strerror(v->error_errno));
		else if (stopped)
			fprintf(fp, " error=%s:%u", v->error_what,
				v->error_detail);
		fputc('\n', fp);
	}
}

/* Replace the status file atomically, so a reader never sees half of it. */
static void write_status(const char *path)
{
	char tmp[PATH_MAX];
	FILE *fp;
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);

	if (n < 0 || (size_t)n >= sizeof(tmp))
		return;
	fp = fopen(tmp, "w");
	if (!fp)
		return;
	print_status(fp);
	if (fclose(fp) == 0)
		rename(tmp, path);
}

static bool all_healthy(void)
{
	int i;

	for (i = 0; i < nr_vcpus; i++)
		if (atomic_load(&vcpus[i].stopped) ||
		    atomic_load(&vcpus[i].bad) ||
		    !atomic_load(&vcpus[i].kicks))
			return false;
	return true;
}

static long parse_long(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long val;

	errno = 0;
	val = strtol(arg, &end, 10);
	if (errno || end == arg || *end || val < min || val > max) {
		fprintf(stderr, "kvm-guest: --%s: want an integer in %ld..%ld, not '%s'\n",
			opt, min, max, arg);
		exit(2);
	}
	return val;
}

static void create_vcpu(int vm_fd, unsigned char *mem, int vm, int idx,
			long run_size)
{
	struct vcpu *v = &vcpus[nr_vcpus];
	struct kvm_regs want_regs;
	struct kvm_sregs want_sregs;

	v->vm = vm;
	v->idx = idx;
	v->id = nr_vcpus;
	v->fd = ioctl(vm_fd, KVM_CREATE_VCPU, idx);
	if (v->fd < 0)
		die("KVM_CREATE_VCPU");
	v->run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		die("mmap kvm_run");
	if (ioctl(v->fd, KVM_GET_SREGS, &want_sregs) < 0)
		die("KVM_GET_SREGS");
	wanted_state(v->id, &want_regs, &want_sregs);
	/* "jmp $" at CS base + RIP; the rest of guest memory is HLT. */
	mem[(CODE_SEG << 4) + want_regs.rip] = 0xeb;
	mem[(CODE_SEG << 4) + want_regs.rip + 1] = 0xfe;
	if (ioctl(v->fd, KVM_SET_SREGS, &want_sregs) < 0)
		die("KVM_SET_SREGS");
	if (ioctl(v->fd, KVM_SET_REGS, &want_regs) < 0)
		die("KVM_SET_REGS");
	/* What KVM accepted is what the kicks compare against ... */
	if (ioctl(v->fd, KVM_GET_SREGS, &v->sregs) < 0)
		die("KVM_GET_SREGS");
	if (ioctl(v->fd, KVM_GET_REGS, &v->regs) < 0)
		die("KVM_GET_REGS");
	/* ... and it must be what was asked for, or the test is wrong. */
	if (!same_state(&v->regs, &v->sregs, &want_regs, &want_sregs)) {
		fprintf(stderr, "kvm-guest: KVM changed the state of vm %d vcpu %d\n",
			vm, idx);
		print_vcpu(v);
		exit(1);
	}
	nr_vcpus++;
}

static void create_vm(int kvm, int vm, int ncpus)
{
	struct kvm_userspace_memory_region mr;
	int vm_fd = ioctl(kvm, KVM_CREATE_VM, 0);
	long run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	unsigned char *mem;
	int c;

	if (vm_fd < 0)
		die("KVM_CREATE_VM");
	if (run_size <= 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	if (ioctl(vm_fd, KVM_SET_TSS_ADDR, TSS_ADDR) < 0)
		die("KVM_SET_TSS_ADDR");
	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap guest memory");
	memset(mem, 0xf4, GUEST_MEM);
	memset(&mr, 0, sizeof(mr));
	mr.memory_size = GUEST_MEM;
	mr.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &mr) < 0)
		die("KVM_SET_USER_MEMORY_REGION");
	for (c = 0; c < ncpus; c++)
		create_vcpu(vm_fd, mem, vm, c, run_size);
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: kvm-guest [--vms N] [--vcpus M] [--status FILE] [--interval-ms MS]\n"
		"                 [--duration-s S] [--idle]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vms", required_argument, NULL, 'm' },
		{ "vcpus", required_argument, NULL, 'c' },
		{ "status", required_argument, NULL, 's' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "duration-s", required_argument, NULL, 'd' },
		{ "idle", no_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	long nvms = 1, ncpus = 1, interval_ms = 200, duration_s = 0;
	const char *status = NULL;
	struct timespec start, now;
	struct sigaction sa;
	int o, kvm, m, c;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'm':
			nvms = parse_long("vms", optarg, 1, MAX_VCPUS);
			break;
		case 'c':
			ncpus = parse_long("vcpus", optarg, 1, MAX_VCPUS);
			break;
		case 's':
			status = optarg;
			break;
		case 'i':
			interval_ms = parse_long("interval-ms", optarg, 1,
						 3600000);
			break;
		case 'd':
			duration_s = parse_long("duration-s", optarg, 0,
						86400);
			break;
		case 'I':
			idle_priority = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (nvms * ncpus > MAX_VCPUS) {
		fprintf(stderr, "kvm-guest: at most %d vCPUs in all\n",
			MAX_VCPUS);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;	/* no SA_RESTART: KVM_RUN returns */
	sigemptyset(&sa.sa_mask);
	if (sigaction(KICK_SIGNAL, &sa, NULL) < 0)
		die("sigaction");

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		fprintf(stderr, "kvm-guest: unexpected KVM API version\n");
		return 1;
	}
	for (m = 0; m < nvms; m++)
		create_vm(kvm, m, (int)ncpus);
	for (c = 0; c < nr_vcpus; c++) {
		print_vcpu(&vcpus[c]);
		errno = pthread_create(&vcpus[c].thread, NULL, vcpu_loop,
				       &vcpus[c]);
		if (errno)
			die("pthread_create");
	}
	printf("KVMGUEST-READY vcpus=%d\n", nr_vcpus);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct timespec ts = { interval_ms / 1000,
				       (interval_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		for (c = 0; c < nr_vcpus; c++)
			if (!atomic_load(&vcpus[c].stopped))
				pthread_kill(vcpus[c].thread, KICK_SIGNAL);
		if (status)
			write_status(status);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (duration_s && now.tv_sec - start.tv_sec >= duration_s)
			break;
	}
	/* Let the last kicks land before the verdict. */
	nanosleep(&(struct timespec){ 0, 50000000L }, NULL);
	print_status(stdout);
	if (status)
		write_status(status);
	fflush(stdout);
	/* The vCPU threads never return; exit() ends them with the VMs. */
	return all_healthy() ? 0 : 1;
}
