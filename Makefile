# vmcsinfo: top-level build.  `make` builds the user-space library and tools
# (and the module when kernel headers are present); `make check` runs every
# test; see README.md.
SHELL := /bin/bash

VERSION    := 0.1
# The running kernel's build tree, else Debian's linux-headers-amd64 (CI
# machines run another kernel than the one the module is tested on).
KDIR       ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),\
                   $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1))
BUILD      ?= build
CC         ?= cc
PYTHON     ?= python3

WARN       := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS     ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude \
              -Itools/vmcsinfo-decode/lib -DVMCSINFO_VERSION='"$(VERSION)"' \
              $(EXTRA_CFLAGS)
LDLIBS     ?=

CORE_SRC   := core/fields.c core/layout.c core/note.c core/probe.c core/bringup.c
include tools/vmcsinfo-decode/sources.mk
LIB_SRC    := $(CORE_SRC) $(DECODE_LIB_SRC)
SIM_SRC    := tests/sim/model.c tests/sim/simcpu.c
UNIT_SRC   := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

LIB        := $(BUILD)/libvmcsinfo.a
DECODE     := $(BUILD)/vmcsinfo-decode
SIMBIN     := $(BUILD)/vmcsinfo-sim
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

HAVE_KDIR  := $(wildcard $(KDIR)/Makefile)

include tools/crash/crash.mk

.PHONY: demo-sim load e2e lint deps all tools module check check-unit check-sim check-notefmt check-kmod check-asan \
        demo clean install

all: tools $(if $(HAVE_KDIR),module)

tools: $(LIB) $(DECODE) $(SIMBIN) crash-ext

ifeq ($(V),1)
Q :=
else
Q := @
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(call obj,$(LIB_SRC))
	@mkdir -p $(dir $@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(DECODE): $(call obj,$(DECODE_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(DECODE_LDLIBS) $(LDLIBS)

$(SIMBIN): $(call obj,tests/sim/vmcsinfo-sim.c $(SIM_SRC)) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(DECODE_LDLIBS) $(LDLIBS)

$(BUILD)/tests/unit/%.o: ALL_CFLAGS += -Itests/sim -DVMCSINFO_SRCDIR='"$(CURDIR)"'

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(call obj,$(SIM_SRC)) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ -lcmocka -lz $(DECODE_LDLIBS) $(LDLIBS)

module:
	@$(MAKE) -s --no-print-directory -C kmod KDIR=$(KDIR)

# Install the Debian packages that are missing (as root).
deps:
	sh scripts/install-deps.sh

# ---- tests ----
check: lint check-unit check-sim check-notefmt check-decode check-badinput check-asan check-fuzz-regress $(if $(HAVE_KDIR),check-kmod)


check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

check-sim: $(DECODE) $(SIMBIN)
	$(PYTHON) tests/sim/test_models.py --sim $(SIMBIN) --decode $(DECODE) models/*.model

# The bad-input suite (tests/badinput/run.sh): malformed files give a
# one-line error naming the file, a non-zero exit, no sanitizer report.
check-badinput: $(DECODE) $(SIMBIN)
	sh tests/badinput/run.sh $(BUILD)
.PHONY: check-badinput

# The note against an independent Python reader written from the spec.
check-notefmt: $(DECODE) $(SIMBIN)
	$(PYTHON) tests/notefmt/test_notefmt.py --sim $(SIMBIN) --decode $(DECODE) models/*.model

# The module checks: checkpatch --strict and sparse, then the Bochs suite.
check-kmod: module
	sh kmod/checkpatch.sh
	$(MAKE) -C kmod KDIR=$(KDIR) sparse 2>&1 | tee $(BUILD)/sparse.log; \
	  ! grep -E "warning|error" $(BUILD)/sparse.log
	$(MAKE) e2e

# End-to-end under Bochs (emulated Intel VMX): tests/e2e/run.sh.
e2e: tools module
	bash tests/e2e/run.sh

# The unit and simulator tests again with AddressSanitizer and UBSan.
check-asan:
	$(MAKE) BUILD=$(BUILD)/asan CC=clang \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  check-unit check-sim check-decode check-badinput

# The main job on a machine without VMX: the module on Bochs' emulated
# Intel CPU (CPU=corei7_haswell_4770 etc. to choose another model).
demo: tools module
	bash scripts/bochs-demo.sh $(CPU)

# On a real Intel host: build, load, and show what the module found.
load: module $(DECODE)
	@[ "$$(id -u)" = 0 ] || { echo "make load: run as root (sudo make load)"; exit 1; }
	-rmmod vmcsinfo 2>/dev/null
	insmod kmod/vmcsinfo.ko
	@dmesg | grep 'vmcsinfo:' | tail -n 3
	@echo "/sys/kernel/vmcsinfo: $$(cat /sys/kernel/vmcsinfo)"
	$(DECODE) layout /sys/module/vmcsinfo/note

# The probe on every shipped simulated CPU model.
demo-sim: $(DECODE) $(SIMBIN)
	@for m in models/*.model; do \
	  echo "### $$m"; \
	  $(SIMBIN) $$m | $(DECODE) layout - || exit 1; \
	done

# Static analysis of the user-space code.
lint:
	cppcheck --quiet --enable=warning,portability,performance --error-exitcode=1 \
	  --std=c11 --suppress=missingIncludeSystem -Iinclude -Itools/vmcsinfo-decode/lib \
	  -Itests/sim core tests/sim tests/unit tools/vmcsinfo-decode
	@echo "lint: cppcheck clean"

# ---- fuzzing (libFuzzer, clang) ----
FUZZ_SECONDS ?= 60
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
FUZZ_BINS    := $(patsubst %,$(BUILD)/fuzz_%,$(FUZZ_NAMES))
FUZZ_CFLAGS  := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# Leaks inside libkdumpfile only (see the file); an input that runs 25 s
# is a hang.
FUZZ_ENV     := LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp:print_suppressions=0
FUZZ_TIMEOUT := -timeout=25

# The command's sources but main(), for the targets that drive `page` and
# `scan` (vmcs_print.c, scan.c, cmd_*.c, the built-in database).
FUZZ_CMD_LIB := $(BUILD)/libvmcsinfo-cmd.a
$(FUZZ_CMD_LIB): $(call obj,$(filter-out tools/vmcsinfo-decode/main.c,$(DECODE_SRC)))
	@mkdir -p $(dir $@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_CMD_LIB) $(LIB)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itools/vmcsinfo-decode -fsanitize=fuzzer,address,undefined -o $@ \
	  $(filter %.c %.a,$^) $(DECODE_LDLIBS) $(LDLIBS)

.PHONY: fuzz fuzz-bins fuzz-run fuzz-regress check-fuzz-regress
fuzz-bins: $(FUZZ_BINS)

# Each target for FUZZ_SECONDS from its seeds in tests/fixtures/fuzz/NAME;
# what it finds goes to $(BUILD)/fuzz/crash-NAME-*.
fuzz:
	$(MAKE) BUILD=$(BUILD)/fuzz CC=clang EXTRA_CFLAGS="$(FUZZ_CFLAGS)" fuzz-run

fuzz-run: fuzz-bins
	@bad=""; for n in $(FUZZ_NAMES); do \
	  mkdir -p $(BUILD)/corpus/$$n tests/fixtures/fuzz/$$n; \
	  echo "== fuzz $$n for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_ENV) $(BUILD)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) $(FUZZ_TIMEOUT) -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/crash-$$n- $(BUILD)/corpus/$$n \
	    tests/fixtures/fuzz/$$n 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss|==|SUMMARY|#[0-9]+ +DONE)" ; \
	  [ $${PIPESTATUS[0]:-0} -eq 0 ] || bad="$$bad $$n"; \
	done; \
	if [ -n "$$bad" ]; then \
	  echo "fuzz: findings in:$$bad (inputs: $(BUILD)/crash-*)"; \
	  for f in $(BUILD)/crash-*; do [ -f "$$f" ] && { echo "== $$f (base64)"; base64 -w 0 "$$f" | head -c 65536; echo; }; done; \
	  exit 1; \
	fi

# Every seed and every input that once crashed, run once through its target.
check-fuzz-regress:
	$(MAKE) BUILD=$(BUILD)/fuzz CC=clang EXTRA_CFLAGS="$(FUZZ_CFLAGS)" fuzz-regress

fuzz-regress: fuzz-bins
	@set -e; for n in $(FUZZ_NAMES); do \
	  files=$$(find tests/fixtures/fuzz/$$n -type f 2>/dev/null); \
	  [ -n "$$files" ] || { echo "fuzz $$n: no seeds in tests/fixtures/fuzz/$$n"; exit 1; }; \
	  $(FUZZ_ENV) $(BUILD)/fuzz_$$n $(FUZZ_TIMEOUT) $$files >$(BUILD)/regress-$$n.log 2>&1 || \
	    { cat $(BUILD)/regress-$$n.log; exit 1; }; \
	  echo "fuzz $$n: $$(echo $$files | wc -w) seeds and regressions ran clean"; \
	done

# ---- benchmark (figures, not a test: tests/bench/README.md) ----
BENCH_GIB       ?= 4
BENCH_KDUMP_GIB ?= 1
.PHONY: bench
bench: tools
	$(PYTHON) tests/bench/bench.py --build $(BUILD) --gib $(BENCH_GIB) --kdump-gib $(BENCH_KDUMP_GIB)

# ---- install: libvmcsinfo (static, with pkg-config file) and vmcsinfo-decode ----
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# Paths under PREFIX are written relative to ${prefix}, so that
# `pkg-config --define-prefix` works on a relocated (DESTDIR) tree.
pc_path = $(patsubst $(PREFIX)%,$${prefix}%,$(1))

install: $(LIB) $(DECODE)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(call pc_path,$(LIBDIR))|g' \
	    -e 's|@INCLUDEDIR@|$(call pc_path,$(INCLUDEDIR))|g' -e 's|@VERSION@|$(VERSION)|g' \
	    tools/vmcsinfo-decode/libvmcsinfo.pc.in > $(BUILD)/libvmcsinfo.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(DECODE) $(DESTDIR)$(BINDIR)/
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/
	install -m 644 include/libvmcsinfo.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(BUILD)/libvmcsinfo.pc $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 644 docs/man/vmcsinfo-decode.8 $(DESTDIR)$(MANDIR)/man8/

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C kmod clean KDIR=$(KDIR) 2>/dev/null

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
