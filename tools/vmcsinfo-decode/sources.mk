# Sources of libvmcsinfo (beyond core/) and of the vmcsinfo-decode command,
# included by the top-level Makefile (after BUILD and PYTHON are set).
# The rules below must not become the default goal: the goal is saved here
# and restored at the end, so the first target after the include (`all`)
# stays the default.
decode_saved_goal := $(.DEFAULT_GOAL)
DECODE_LIB_SRC := tools/vmcsinfo-decode/lib/note_parse.c \
                  tools/vmcsinfo-decode/lib/dump.c \
                  tools/vmcsinfo-decode/lib/dump_elf.c \
                  tools/vmcsinfo-decode/lib/dump_kdump.c \
                  tools/vmcsinfo-decode/lib/kdump_guard.c \
                  tools/vmcsinfo-decode/lib/pagewalk.c \
                  tools/vmcsinfo-decode/lib/vmcs_check.c \
                  tools/vmcsinfo-decode/lib/vmx_bits.c
DECODE_SRC     := tools/vmcsinfo-decode/main.c tools/vmcsinfo-decode/cli.c \
                  tools/vmcsinfo-decode/json.c tools/vmcsinfo-decode/cmd_layout.c \
                  tools/vmcsinfo-decode/cmd_page.c tools/vmcsinfo-decode/cmd_scan.c \
                  tools/vmcsinfo-decode/cmd_db.c tools/vmcsinfo-decode/db.c \
                  tools/vmcsinfo-decode/db_live.c tools/vmcsinfo-decode/layouts.c \
                  tools/vmcsinfo-decode/scan.c tools/vmcsinfo-decode/progress.c \
                  tools/vmcsinfo-decode/vmcs_print.c
# Libraries the decoder links with.
DECODE_LDLIBS  := $(shell pkg-config --libs libkdumpfile 2>/dev/null || echo -lkdumpfile) -lelf -lz

# The built-in layout database, generated from the models by running the
# simulated CPU on each (the simulator reproduces a model's layout exactly:
# tests/sim checks it).  The generated C file joins DECODE_SRC, so the
# top-level pattern rule compiles it (to $(BUILD)/$(BUILD)/gen/...o).
# realcpu-packed.model is invented and never goes into a database.
DECODE_DB_MODELS := models/bochs-2.7-corei7_haswell_4770.model \
                    models/bochs-2.7-corei7_sandy_bridge_2600k.model \
                    models/bochs-2.7-corei7_skylake_x.model \
                    models/kvm-vmcs12.model
DECODE_DB_GEN    := $(BUILD)/gen/db_builtin.c
DECODE_SRC       += $(DECODE_DB_GEN)

$(DECODE_DB_GEN): tools/vmcsinfo-decode/gen-builtin-db.sh $(BUILD)/vmcsinfo-sim \
                  $(DECODE_DB_MODELS)
	@mkdir -p $(dir $@)
	sh tools/vmcsinfo-decode/gen-builtin-db.sh $(BUILD)/vmcsinfo-sim $@ \
	  $(DECODE_DB_MODELS)

# The decoder's tests: tests/decode/run.sh BUILD_DIR (see its header).
check-decode: $(BUILD)/vmcsinfo-decode $(BUILD)/vmcsinfo-sim
	sh tests/decode/run.sh $(BUILD)
.PHONY: check-decode

.DEFAULT_GOAL := $(decode_saved_goal)
