// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The shared core's bringup.c, compiled unchanged into the module: including
 * it from here keeps its object file in kmod/ and the same relative path
 * (../core) works in the git tree and in the DKMS source tree.
 */
#include "../core/bringup.c"
