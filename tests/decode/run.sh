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
python=${PYTHON:-python3}

sh "$top/tests/fixtures/prepare.sh" "$build" decode
exec "$python" "$top/tests/decode/test_decode.py" "$build" "$@"
