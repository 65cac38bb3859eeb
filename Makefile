# fuelsim build. `make` builds ./fuelsim; `make test` runs the suite; `make run` runs
# the main job on the embedded Tokyo Bay scenario. Missing Debian packages are
# installed first (apt-get, as root), so a fresh machine needs only `make run`
# and `make test`.

BUILD   ?= build
CC      ?= gcc
ifeq ($(CC),cc)
CC = gcc
endif
OPT     ?= -O2 -g
CFLAGS  ?=
WERROR  ?=
SAN     ?=
CJSON_CFLAGS = $(shell pkg-config --cflags libcjson 2>/dev/null)
CJSON_LIBS   = $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) -fopenmp \
             -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes $(WERROR) \
             -Isim -Imodels -Iviz $(CJSON_CFLAGS) $(SAN) $(CFLAGS)
LDLIBS  = -lglpk -lcsv $(CJSON_LIBS) -lm
LDFLAGS ?=

SRC     := $(wildcard sim/*.c models/*.c viz/*.c)
LIBSRC  := $(filter-out sim/main.c,$(SRC))
LIBOBJ  := $(LIBSRC:%.c=$(BUILD)/%.o)
TESTSRC := $(wildcard tests/unit/test_*.c)
TESTBIN := $(TESTSRC:tests/unit/%.c=$(BUILD)/tests/%)
HDR     := $(wildcard sim/*.h models/*.h viz/*.h)

DEB_PKGS = libglpk-dev glpk-utils libcsv-dev libcjson-dev pkg-config
DEPS_OK  = /usr/include/glpk.h /usr/include/csv.h /usr/include/cjson/cJSON.h

.PHONY: all deps run test asan ubsan bench clean golden-update
all: fuelsim

# Install whatever is missing; a no-op when every header is present.
deps:
	@missing=""; for h in $(DEPS_OK); do [ -f $$h ] || missing=1; done; \
	command -v pkg-config >/dev/null || missing=1; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $(DEB_PKGS)"; \
	  apt-get update -qq && apt-get install -y -qq $(DEB_PKGS); \
	fi

$(BUILD)/%.o: %.c $(HDR) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/fuelsim: $(BUILD)/sim/main.o $(LIBOBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

fuelsim: $(BUILD)/fuelsim
	cp $< $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(LIBOBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS)

run: fuelsim
	./fuelsim validate scenarios/tokyo-bay

test: $(BUILD)/fuelsim $(TESTBIN)
	@FUELSIM=$(BUILD)/fuelsim TESTBIN_DIR=$(BUILD)/tests sh tests/run.sh

# Same suite under AddressSanitizer + UndefinedBehaviorSanitizer, in its own build dir.
asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" test

ubsan:
	$(MAKE) BUILD=build/ubsan OPT="-O1 -g" \
	  SAN="-fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" test

bench: $(BUILD)/fuelsim
	@FUELSIM=$(BUILD)/fuelsim sh tests/bench/run.sh

clean:
	rm -rf build fuelsim
