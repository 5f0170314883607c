/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Fixed-width types for code shared by the kernel module and user space.
 *
 * The shared core (core/) is compiled unchanged into vmcsinfo.ko and into
 * the user-space library and tests.  The kernel spells its types u8..u64
 * and s8..s64; user space gets the same names from <stdint.h> here, so the
 * shared sources read like ordinary kernel code (checkpatch prefers them).
 */
#ifndef VMCSINFO_TYPES_H
#define VMCSINFO_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#ifndef VMCSINFO_HAVE_KERNEL_TYPES
#define VMCSINFO_HAVE_KERNEL_TYPES
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#endif
#endif

#endif /* VMCSINFO_TYPES_H */
