#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# tests/badinput/run.sh BUILD_DIR [-k SUBSTRING] [-v]
#
# The bad-input suite: malformed notes, regions and dumps given to
# BUILD_DIR/vmcsinfo-decode layout|page|scan must each give a one-line
# error that names the file and what is wrong, a non-zero exit status,
# no sanitizer report, and no output presented as good (see
# test_badinput.py).  The files are made at test time, in a temporary
# directory, from tests/fixtures (machine.py, mkvmcs.c, the simulator's
# notes) and makedumpfile.  Works on any build, the ASan one included
# (build/asan after `make check-asan`).  Prints one line per case and
# "N passed, N failed"; exits non-zero on failure.
set -eu

build=${1:?usage: tests/badinput/run.sh BUILD_DIR [-k SUBSTRING] [-v]}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-python3}

sh "$top/tests/fixtures/prepare.sh" "$build" badinput
exec "$python" "$top/tests/badinput/test_badinput.py" "$build" "$@"
