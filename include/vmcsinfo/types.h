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
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#ifndef VMCSINFO_HAVE_KERNEL_TYPES
#define VMCSINFO_HAVE_KERNEL_TYPES
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT8_TYPE__ s8;
typedef __INT16_TYPE__ s16;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;
#endif
/* What <linux/kernel.h> and <linux/bits.h> give the kernel build. */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef BIT
#define BIT(n)		(1UL << (n))
#endif
#ifndef BIT_ULL
#define BIT_ULL(n)	(1ULL << (n))
#endif
#endif

#endif /* VMCSINFO_TYPES_H */
