# Sources of libvmcsinfo (beyond core/) and of the vmcsinfo-decode command,
# included by the top-level Makefile.
DECODE_LIB_SRC := tools/vmcsinfo-decode/lib/note_parse.c \
                  tools/vmcsinfo-decode/lib/dump.c \
                  tools/vmcsinfo-decode/lib/dump_elf.c \
                  tools/vmcsinfo-decode/lib/dump_kdump.c \
                  tools/vmcsinfo-decode/lib/pagewalk.c \
                  tools/vmcsinfo-decode/lib/vmcs_check.c \
                  tools/vmcsinfo-decode/lib/vmx_bits.c
DECODE_SRC     := tools/vmcsinfo-decode/main.c tools/vmcsinfo-decode/cli.c \
                  tools/vmcsinfo-decode/json.c tools/vmcsinfo-decode/cmd_layout.c
# Libraries the decoder links with.
DECODE_LDLIBS  := $(shell pkg-config --libs libkdumpfile 2>/dev/null || echo -lkdumpfile) -lelf -lz
