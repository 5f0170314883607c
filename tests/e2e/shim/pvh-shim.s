# Multiboot v1 -> PVH boot shim for the end-to-end tests.
#
# ISOLINUX's mboot.c32 loads a Multiboot ELF: this shim plus the segments of
# an uncompressed vmlinux at their physical addresses (see mkbootelf.py).
# Booting vmlinux through its PVH entry point skips the bzImage's XZ
# decompressor, which takes ~45 s under Bochs' emulation.
#
# Linux's PVH entry (arch/x86/platform/pvh/head.S) expects 32-bit flat
# protected mode with paging off, CR4 clear, interrupts off, and in EBX the
# physical address of a Xen "hvm_start_info" (include/xen/interface/hvm/
# start_info.h). We build a version 1 start info:
#   - memory map: the Multiboot map (or mem_lower/mem_upper if there is none);
#   - command line: the Multiboot one minus its first word, which loaders
#     set to the kernel file name (GRUB does, and mboot.c32 copies GRUB);
#   - module 0 (Linux takes it as the initrd): the first Multiboot module;
#   - rsdp_paddr: found by scanning 0xE0000-0xFFFFF; if none is found it
#     stays 0 and Linux falls back to its own legacy scan.
# Everything lives in this image's own memory (around 1 MiB), which Linux
# copies or consumes before its first memory allocation.
#
# mkbootelf.py patches pvh_entry with the kernel's PVH entry address, read
# from its "Xen" ELF note of type XEN_ELFNOTE_PHYS32_ENTRY.
#
# Build: as --32 -o pvh-shim.o pvh-shim.s; ld -m elf_i386 -T pvh-shim.ld

	.equ MB_HEADER_MAGIC, 0x1BADB002
	# Flags: bit 0 page-aligned modules, bit 1 memory information wanted.
	.equ MB_HEADER_FLAGS, 0x00000003
	.equ MB_LOADER_MAGIC, 0x2BADB002

	# struct multiboot_info offsets and flags
	.equ MBI_FLAGS, 0
	.equ MBI_MEM_LOWER, 4
	.equ MBI_MEM_UPPER, 8
	.equ MBI_CMDLINE, 16
	.equ MBI_MODS_COUNT, 20
	.equ MBI_MODS_ADDR, 24
	.equ MBI_MMAP_LENGTH, 44
	.equ MBI_MMAP_ADDR, 48
	.equ MBI_HAS_MEM, 1 << 0
	.equ MBI_HAS_CMDLINE, 1 << 2
	.equ MBI_HAS_MODS, 1 << 3
	.equ MBI_HAS_MMAP, 1 << 6

	# struct hvm_start_info offsets (all addresses are 64-bit)
	.equ HVM_START_MAGIC, 0x336ec578
	.equ SI_MAGIC, 0
	.equ SI_VERSION, 4
	.equ SI_FLAGS, 8
	.equ SI_NR_MODULES, 12
	.equ SI_MODLIST, 16
	.equ SI_CMDLINE, 24
	.equ SI_RSDP, 32
	.equ SI_MEMMAP, 40
	.equ SI_MEMMAP_ENTRIES, 48
	.equ SI_RESERVED, 52
	.equ SI_SIZE, 56

	.equ MODLIST_ENTRY_SIZE, 32
	.equ MEMMAP_ENTRY_SIZE, 24
	# Linux copies at most E820_MAX_ENTRIES_ZEROPAGE (128) entries.
	.equ MEMMAP_MAX, 128
	.equ E820_RAM, 1
	.equ CMDLINE_MAX, 2048

	.equ CODE_SEL, 0x08
	.equ DATA_SEL, 0x10
	.equ COM1, 0x3f8

	.section .multiboot, "a"
	.balign 4
multiboot_header:
	.long MB_HEADER_MAGIC
	.long MB_HEADER_FLAGS
	.long -(MB_HEADER_MAGIC + MB_HEADER_FLAGS)

	.text
	.code32
	.globl _start
_start:
	cli
	cld
	mov	$stack_top, %esp
	cmp	$MB_LOADER_MAGIC, %eax
	jne	no_multiboot
	mov	%ebx, %ebp		# EBP: Multiboot info, for the whole shim

	# Own GDT: the loader's may sit anywhere, even where the kernel goes.
	lgdt	gdt_descriptor
	ljmp	$CODE_SEL, $1f
1:	mov	$DATA_SEL, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %fs
	mov	%eax, %gs
	mov	%eax, %ss

	cmpl	$0, pvh_entry
	je	no_entry

	# Command line: drop the first word (the file name) and leading blanks.
	mov	$cmdline_buf, %edi
	testl	$MBI_HAS_CMDLINE, MBI_FLAGS(%ebp)
	jz	cmdline_done
	mov	MBI_CMDLINE(%ebp), %esi
	call	skip_blanks
skip_name:
	movb	(%esi), %al
	test	%al, %al
	jz	cmdline_done
	cmp	$0x20, %al
	je	1f
	inc	%esi
	jmp	skip_name
1:	call	skip_blanks
	mov	$(CMDLINE_MAX - 1), %ecx
copy_cmdline:
	lodsb
	test	%al, %al
	jz	cmdline_done
	stosb
	loop	copy_cmdline
cmdline_done:
	movb	$0, (%edi)

	# Module 0: the initrd.
	movl	$0, start_info + SI_NR_MODULES
	movl	$0, start_info + SI_MODLIST
	movl	$0, start_info + SI_MODLIST + 4
	testl	$MBI_HAS_MODS, MBI_FLAGS(%ebp)
	jz	modules_done
	cmpl	$0, MBI_MODS_COUNT(%ebp)
	je	modules_done
	mov	MBI_MODS_ADDR(%ebp), %esi
	mov	0(%esi), %eax		# mod_start
	mov	4(%esi), %edx		# mod_end
	sub	%eax, %edx
	mov	$modlist, %edi
	mov	%eax, 0(%edi)		# paddr
	movl	$0, 4(%edi)
	mov	%edx, 8(%edi)		# size
	movl	$0, 12(%edi)
	movl	$0, 16(%edi)		# cmdline_paddr: none
	movl	$0, 20(%edi)
	movl	$0, 24(%edi)		# reserved
	movl	$0, 28(%edi)
	movl	$1, start_info + SI_NR_MODULES
	movl	$modlist, start_info + SI_MODLIST
modules_done:

	# Memory map. Multiboot entries are {u32 size; u64 addr; u64 len;
	# u32 type} where size excludes itself; E820 types pass through, as the
	# Xen memmap types are defined to match them.
	mov	$memmap, %edi
	xor	%ebx, %ebx		# EBX: entries written
	testl	$MBI_HAS_MMAP, MBI_FLAGS(%ebp)
	jz	memmap_from_sizes
	mov	MBI_MMAP_ADDR(%ebp), %esi
	mov	MBI_MMAP_LENGTH(%ebp), %edx
	add	%esi, %edx		# EDX: end of the Multiboot map
memmap_next:
	cmp	%edx, %esi
	jae	memmap_done
	cmp	$MEMMAP_MAX, %ebx
	jae	memmap_done
	mov	4(%esi), %eax		# addr
	mov	%eax, 0(%edi)
	mov	8(%esi), %eax
	mov	%eax, 4(%edi)
	mov	12(%esi), %eax		# length
	mov	%eax, 8(%edi)
	mov	16(%esi), %eax
	mov	%eax, 12(%edi)
	mov	20(%esi), %eax		# type
	mov	%eax, 16(%edi)
	movl	$0, 20(%edi)		# reserved
	add	$MEMMAP_ENTRY_SIZE, %edi
	inc	%ebx
	mov	0(%esi), %eax
	lea	4(%esi, %eax), %esi
	jmp	memmap_next

memmap_from_sizes:
	# No map: describe [0, mem_lower KiB) and [1 MiB, 1 MiB + mem_upper KiB).
	testl	$MBI_HAS_MEM, MBI_FLAGS(%ebp)
	jz	no_memmap
	movl	$0, 0(%edi)
	movl	$0, 4(%edi)
	mov	MBI_MEM_LOWER(%ebp), %eax
	shl	$10, %eax
	mov	%eax, 8(%edi)
	movl	$0, 12(%edi)
	movl	$E820_RAM, 16(%edi)
	movl	$0, 20(%edi)
	movl	$0x100000, 24(%edi)
	movl	$0, 28(%edi)
	mov	MBI_MEM_UPPER(%ebp), %eax
	mov	%eax, %edx		# KiB -> bytes as a 64-bit value
	shr	$22, %edx
	shl	$10, %eax
	mov	%eax, 32(%edi)
	mov	%edx, 36(%edi)
	movl	$E820_RAM, 40(%edi)
	movl	$0, 44(%edi)
	mov	$2, %ebx
memmap_done:
	test	%ebx, %ebx
	jz	no_memmap
	mov	%ebx, start_info + SI_MEMMAP_ENTRIES
	movl	$memmap, start_info + SI_MEMMAP
	movl	$0, start_info + SI_MEMMAP + 4

	# ACPI RSDP in the BIOS area.
	mov	$0xe0000, %esi
	mov	$0x100000, %edx
	call	find_rsdp
	mov	%eax, start_info + SI_RSDP
	movl	$0, start_info + SI_RSDP + 4

	movl	$HVM_START_MAGIC, start_info + SI_MAGIC
	movl	$1, start_info + SI_VERSION
	movl	$0, start_info + SI_FLAGS
	movl	$cmdline_buf, start_info + SI_CMDLINE
	movl	$0, start_info + SI_CMDLINE + 4
	movl	$0, start_info + SI_RESERVED

	# Register state the PVH ABI asks for: CR0 = PE only, CR4 = 0,
	# EFLAGS with IF/TF/VM clear (bit 1 is reserved and reads as 1).
	mov	$1, %eax
	mov	%eax, %cr0
	xor	%eax, %eax
	mov	%eax, %cr4
	pushl	$2
	popfl
	mov	$start_info, %ebx
	jmp	*pvh_entry

# ESI: string; advances ESI past spaces.
skip_blanks:
	cmpb	$0x20, (%esi)
	jne	1f
	inc	%esi
	jmp	skip_blanks
1:	ret

# Scan [ESI, EDX) on 16-byte boundaries for an RSDP: signature "RSD PTR "
# and the ACPI 1.0 checksum (its first 20 bytes sum to 0 mod 256).
# Returns its address in EAX, or 0. Clobbers ECX, ESI.
find_rsdp:
	cmp	%edx, %esi
	jae	3f
	cmpl	$0x20445352, 0(%esi)	# "RSD "
	jne	2f
	cmpl	$0x20525450, 4(%esi)	# "PTR "
	jne	2f
	xor	%eax, %eax
	xor	%ecx, %ecx
1:	addb	(%esi, %ecx), %al
	inc	%ecx
	cmp	$20, %ecx
	jb	1b
	test	%al, %al
	jnz	2f
	mov	%esi, %eax
	ret
2:	add	$16, %esi
	jmp	find_rsdp
3:	xor	%eax, %eax
	ret

no_multiboot:
	mov	$msg_no_multiboot, %esi
	jmp	fail
no_entry:
	mov	$msg_no_entry, %esi
	jmp	fail
no_memmap:
	mov	$msg_no_memmap, %esi
	jmp	fail

# Print the message at ESI on COM1 (polling the transmitter-empty bit) and
# halt: the test harness sees the line in the serial log.
fail:
	lodsb
	test	%al, %al
	jz	halt
	mov	%al, %ah
	mov	$(COM1 + 5), %dx	# line status register
1:	inb	%dx, %al
	test	$0x20, %al
	jz	1b
	mov	%ah, %al
	mov	$COM1, %dx
	outb	%al, %dx
	jmp	fail
halt:
	cli
	hlt
	jmp	halt

	.data
	.balign 4
	# Physical address of the kernel's PVH entry; set by mkbootelf.py.
	.globl pvh_entry
pvh_entry:
	.long 0

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	# CODE_SEL: 32-bit code, base 0, 4 GiB
	.quad 0x00cf92000000ffff	# DATA_SEL: data, base 0, 4 GiB
gdt_end:
gdt_descriptor:
	.word gdt_end - gdt - 1
	.long gdt

msg_no_multiboot:
	.asciz "e2e-shim: not started by a Multiboot loader\r\n"
msg_no_entry:
	.asciz "e2e-shim: no PVH entry point patched in\r\n"
msg_no_memmap:
	.asciz "e2e-shim: the loader gave no memory information\r\n"

	.bss
	.balign 16
start_info:
	.skip SI_SIZE
	.balign 16
modlist:
	.skip MODLIST_ENTRY_SIZE
	.balign 16
memmap:
	.skip MEMMAP_MAX * MEMMAP_ENTRY_SIZE
cmdline_buf:
	.skip CMDLINE_MAX
	.balign 16
	.skip 1024
stack_top:
