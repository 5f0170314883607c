// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * A tiny KVM user for tests/e2e/cases/kmod-kvm.sh, run inside the Bochs
 * guest.
 *
 * Creates a VM with one vCPU in real mode running "inc ax; hlt; jmp back",
 * runs it once, then sleeps until GO_FILE exists; meanwhile its VMCS stays
 * the current VMCS of the CPU, which is what vmcsinfo.ko must probe around
 * and give back.  Then it runs the vCPU COUNT more times and checks that
 * every exit is a HLT and that AX counted every pass: KVM's VMCS still
 * works after the probe.
 *
 * Usage: kvm-vcpu READY_FILE GO_FILE COUNT
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_MEM	0x10000
#define CODE_ADDR	0x1000

static void die(const char *what)
{
	fprintf(stderr, "kvm-vcpu: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int run_to_hlt(int vcpu, struct kvm_run *run)
{
	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		die("KVM_RUN");
	if (run->exit_reason != KVM_EXIT_HLT) {
		fprintf(stderr, "kvm-vcpu: exit reason %u, not HLT\n",
			run->exit_reason);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* inc ax; hlt; jmp short to the inc */
	static const unsigned char code[] = { 0x40, 0xf4, 0xeb, 0xfc };
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	unsigned char *mem;
	long count, i;
	int kvm, vm, vcpu, fd, mmap_size;

	if (argc != 4) {
		fprintf(stderr, "usage: kvm-vcpu READY GO COUNT\n");
		return 2;
	}
	count = strtol(argv[3], NULL, 10);
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap guest memory");
	memcpy(mem + CODE_ADDR, code, sizeof(code));
	memset(&region, 0, sizeof(region));
	region.memory_size = GUEST_MEM;
	region.userspace_addr = (unsigned long)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (int)sizeof(*run))
		die("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		die("KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		die("KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_ADDR;
	regs.rflags = 2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		die("KVM_SET_REGS");
	if (run_to_hlt(vcpu, run))
		return 1;

	fd = open(argv[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die(argv[1]);
	close(fd);
	while (access(argv[2], F_OK))
		usleep(10000);

	for (i = 0; i < count; i++)
		if (run_to_hlt(vcpu, run))
			return 1;
	if (ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		die("KVM_GET_REGS");
	if ((regs.rax & 0xffff) != (unsigned long)(count + 1) % 0x10000) {
		fprintf(stderr, "kvm-vcpu: AX is %llu after %ld runs\n",
			regs.rax & 0xffff, count + 1);
		return 1;
	}
	printf("kvm-vcpu: %ld runs after the wait, AX %llu\n", count,
	       regs.rax & 0xffff);
	return 0;
}
