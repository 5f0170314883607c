#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# tests/decode/run.sh BUILD_DIR [-k SUBSTRING]
#
# The vmcsinfo-decode tests: builds the fixture helper mkvmcs (a VMCS
# region from a simulated CPU) into BUILD_DIR/tests/decode/, then runs
# test_decode.py against BUILD_DIR/vmcsinfo-decode and
# BUILD_DIR/vmcsinfo-sim (build them first: make tools).  Prints one line
# per case and "N passed, N failed"; exits non-zero on failure.
# Work files go to BUILD_DIR/tests/decode/work.
set -eu

build=${1:?usage: tests/decode/run.sh BUILD_DIR [-k SUBSTRING]}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-cc}
python=${PYTHON:-python3}

for f in vmcsinfo-decode vmcsinfo-sim; do
	if [ ! -x "$build/$f" ]; then
		echo "tests/decode: $build/$f is missing (make tools)" >&2
		exit 1
	fi
done
mkdir -p "$build/tests/decode"
# mkvmcs links the core and the simulator from source: it does not depend
# on how BUILD_DIR was compiled (sanitizers and all).
"$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g \
	-I"$top/include" -I"$top/tests/sim" \
	-o "$build/tests/decode/mkvmcs" "$top/tests/fixtures/mkvmcs.c" \
	"$top/tests/sim/model.c" "$top/tests/sim/simcpu.c" \
	"$top/core/fields.c" "$top/core/layout.c"
exec "$python" "$top/tests/decode/test_decode.py" "$build" "$@"
