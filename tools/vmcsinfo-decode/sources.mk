# Sources of libvmcsinfo (beyond core/) and of the vmcsinfo-decode command,
# included by the top-level Makefile.
DECODE_LIB_SRC := tools/vmcsinfo-decode/lib/note_parse.c
DECODE_SRC     := tools/vmcsinfo-decode/main.c tools/vmcsinfo-decode/cli.c \
                  tools/vmcsinfo-decode/json.c tools/vmcsinfo-decode/cmd_layout.c
# Libraries the decoder links with.
DECODE_LDLIBS  :=
