# The crash extension, included by the top-level Makefile.  It links the
# decoder's own objects (everything but main.c), built again with -fPIC
# under $(BUILD)/pic, so that `vmcs` shares libvmcsinfo's code.
CRASH_DEFS     := /usr/include/crash/defs.h
CRASH_EXT      := $(BUILD)/vmcsinfo.so
CRASH_PIC      := $(BUILD)/pic
CRASH_CMD_SRC  := $(filter-out tools/vmcsinfo-decode/main.c,$(DECODE_SRC))

.PHONY: crash-ext
crash-ext: $(if $(wildcard $(CRASH_DEFS)),$(CRASH_EXT))

$(CRASH_EXT): tools/crash/vmcsinfo.c tools/crash/bridge.c tools/crash/bridge.h \
              $(LIB_SRC) $(CRASH_CMD_SRC) $(BUILD)/vmcsinfo-sim
	@$(MAKE) --no-print-directory BUILD=$(CRASH_PIC) EXTRA_CFLAGS="-fPIC $(EXTRA_CFLAGS)" \
	  $(CRASH_PIC)/libvmcsinfo.a $(patsubst %.c,$(CRASH_PIC)/%.o,$(subst $(BUILD)/,$(CRASH_PIC)/,$(CRASH_CMD_SRC)))
	@$(if $(Q),echo "  CRASH   $@")
	$(Q)$(CC) -std=gnu11 -O2 -g -fPIC -Wall -Werror -Iinclude -Itools/vmcsinfo-decode \
	  -Itools/vmcsinfo-decode/lib -c -o $(CRASH_PIC)/bridge.o tools/crash/bridge.c
	$(Q)$(CC) -O2 -g -fPIC -Wall -D_GNU_SOURCE -DX86_64 -I/usr/include/crash \
	  -c -o $(CRASH_PIC)/crash-vmcsinfo.o tools/crash/vmcsinfo.c
	$(Q)$(CC) -shared -rdynamic -o $@ $(CRASH_PIC)/crash-vmcsinfo.o $(CRASH_PIC)/bridge.o \
	  $(patsubst %.c,$(CRASH_PIC)/%.o,$(subst $(BUILD)/,$(CRASH_PIC)/,$(CRASH_CMD_SRC))) \
	  $(CRASH_PIC)/libvmcsinfo.a $(DECODE_LDLIBS)
