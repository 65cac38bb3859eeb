# fuelsim build. `make` builds ./fuelsim; `make test` runs the suite; `make run` runs
# the main job on the embedded Tokyo Bay scenario. Missing Debian packages are
# installed first (apt-get, as root), so a fresh machine needs only `make run`
# and `make test`.

CC      ?= gcc
ifeq ($(CC),cc)
CC = gcc
endif
# `make MPI=1`: ./fuelsim built with Open MPI's mpicc, in a build folder of its
# own (build/mpi), so that it never reuses the objects of a plain build; under
# mpirun the ranks of a sweep split its replicates (see sim/runner/sweep.h).
# A plain build refuses to run as one of several mpirun ranks.
MPI     ?=
ifeq ($(MPI),1)
BUILD   ?= build/mpi
CC = mpicc
MPI_DEF = -DFUELSIM_MPI
else
BUILD   ?= build
endif
# Version and the commit built from, for `fuelsim --version` and the provenance
# of every output; "unknown" outside a git checkout.
VERSION  = 0.9.0
COMMIT  := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD -- 2>/dev/null || echo -dirty)
OPT     ?= -O2 -g
CFLAGS  ?=
WERROR  ?=
SAN     ?=
CJSON_CFLAGS = $(shell pkg-config --cflags libcjson 2>/dev/null)
CJSON_LIBS   = $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(MPI_DEF) $(OPT) -fopenmp \
             -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes $(WERROR) \
             $(CJSON_CFLAGS) $(SAN) $(CFLAGS)
XLSX_LIBS    = $(shell pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter)
CRYPTO_LIBS  = $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
LDLIBS  = -lglpk -lcsv $(CJSON_LIBS) $(XLSX_LIBS) $(CRYPTO_LIBS) -lm
LDFLAGS ?=

# The layers, lowest first. Each folder is compiled with include paths for itself
# and the layers below it only, so a wrong-way include fails to build.
DIR_base    = sim/base
DIR_engine  = sim/engine
DIR_runner  = sim/runner
DIR_chain   = models
DIR_studies = models/studies
DIR_views   = viz
DIR_front   = sim/cli
INC_base    = -I$(DIR_base)
INC_engine  = -I$(DIR_engine) $(INC_base)
INC_runner  = -I$(DIR_runner) $(INC_engine)
INC_chain   = -I$(DIR_chain) $(INC_runner)
INC_studies = -I$(DIR_studies) $(INC_chain)
INC_views   = -I$(DIR_views) $(INC_studies)
INC_front   = -I$(DIR_front) $(INC_views)
LAYERS      = base engine runner chain studies views front

SRC     := $(foreach l,$(LAYERS),$(wildcard $(DIR_$(l))/*.c))
LIBSRC  := $(filter-out sim/cli/main.c,$(SRC))
LIBOBJ  := $(LIBSRC:%.c=$(BUILD)/%.o)
TESTSRC := $(wildcard tests/unit/test_*.c)
TESTBIN := $(TESTSRC:tests/unit/%.c=$(BUILD)/tests/%)
HDR     := $(foreach l,$(LAYERS),$(wildcard $(DIR_$(l))/*.h))

DEB_PKGS = libglpk-dev glpk-utils libcsv-dev libcjson-dev pkg-config libopenmpi-dev openmpi-bin time chromium \
           libxlsxwriter-dev libssl-dev fonts-noto-cjk
DEPS_OK  = /usr/include/glpk.h /usr/include/csv.h /usr/include/cjson/cJSON.h /usr/bin/chromium \
           /usr/include/xlsxwriter.h /usr/include/openssl/evp.h \
           /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
# What `make test` reads outputs with: pdftotext/pdffonts (report.pdf), Debian's
# openpyxl and LibreOffice Calc without GUI (the workbooks; about 150 MB and a
# minute to install, once).
TEST_PKGS = poppler-utils python3-openpyxl libreoffice-calc-nogui
TEST_OK   = /usr/bin/pdftotext /usr/bin/pdffonts /usr/lib/python3/dist-packages/openpyxl/__init__.py /usr/bin/soffice

.PHONY: FORCE all deps test-deps run test asan ubsan bench clean golden-update fuzz fuzz-build valgrind validate
all: fuelsim

# Install whatever is missing; a no-op when every header is present.
deps:
	@missing=""; for h in $(DEPS_OK); do [ -f $$h ] || missing=1; done; \
	command -v pkg-config >/dev/null || missing=1; \
	command -v mpicc >/dev/null && command -v mpirun >/dev/null && [ -x /usr/bin/time ] || missing=1; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $(DEB_PKGS)"; \
	  apt-get update -qq && apt-get install -y -qq $(DEB_PKGS); \
	fi

test-deps: deps
	@missing=""; for h in $(TEST_OK); do [ -e $$h ] || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  echo "make test-deps: installing $(TEST_PKGS)"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(TEST_PKGS) || \
	    echo "make test-deps: could not install $(TEST_PKGS); the tests that need them say SKIP"; \
	fi

# One compile rule per layer, each with its own include paths.
define layer_rule
$$(BUILD)/$$(DIR_$(1))/%.o: $$(DIR_$(1))/%.c $$(HDR) | deps
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) $$(INC_$(1)) -c $$< -o $$@
endef
$(foreach l,$(LAYERS),$(eval $(call layer_rule,$(l))))

# The commit goes into cli.o only; the stamp changes (and cli.o is rebuilt)
# only when the version or commit does.
$(BUILD)/version.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION) $(COMMIT)' | cmp -s - $@ || echo '$(VERSION) $(COMMIT)' > $@
$(BUILD)/sim/cli/cli.o: $(BUILD)/version.stamp
$(BUILD)/sim/cli/cli.o: ALL_CFLAGS += -DFUELSIM_VERSION='"$(VERSION)"' -DFUELSIM_COMMIT='"$(COMMIT)"'
FORCE:

$(BUILD)/fuelsim: $(BUILD)/sim/cli/main.o $(LIBOBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ./fuelsim is whichever build was asked for last (plain or MPI=1): copied
# every time, since both builds have their own up-to-date objects.
fuelsim: $(BUILD)/fuelsim FORCE
	cp $< $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h tests/unit/testutil.h $(LIBOBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INC_front) -Itests/unit $(LDFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS)

# A sweep of the embedded scenario's default earthquake with the optimiser
# (the default policy); the report is out/tokyo-bay/report.html. An
# optimised replicate costs about 0.65 s of CPU with the first week's roads,
# rail and grid on (fuelsim bench plan), so 10,000 would take about an hour
# on two cores: RUN_N replicates keep it to about three minutes
# (make run RUN_N=10000 for the full sweep; RUN_POLICY=greedy runs 10,000
# greedy replicates in a few minutes).
RUN_POLICY ?= optimise
RUN_N ?= $(if $(filter greedy,$(RUN_POLICY)),10000,500)
run: fuelsim
	@echo "make run: $(RUN_N) replicates, $(RUN_POLICY) dispatch$(if $(filter 10000,$(RUN_N)),, (not 10000: an optimised replicate costs about 0.65 s of CPU, so 10000 would take about an hour on two cores; make run RUN_N=10000 for all of them))"
	./fuelsim sweep scenarios/tokyo-bay -n $(RUN_N) --seed 1 --policy $(RUN_POLICY) --out out/tokyo-bay
	@echo "report: out/tokyo-bay/report.html (open it in a browser; network.geojson for GIS)"

# Hindcasts of past earthquakes (Tohoku 2011, Fukushima-oki 2022) and the
# official Toshin-nanbu estimates against the model: out/validate/validation.md
# and validation.csv (scenarios/tokyo-bay/validation.csv holds the rows).
# A few seconds on two cores; rows outside their band are findings, not a failure.
VALIDATE_N ?= 500
validate: fuelsim
	./fuelsim hindcast scenarios/tokyo-bay -n $(VALIDATE_N) --seed 1 --out out/validate
	@echo "validation: out/validate/validation.md"

test: $(BUILD)/fuelsim $(TESTBIN) | test-deps
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

# Memcheck over a short sweep, a traced run and bad input.
valgrind: fuelsim
	sh tests/valgrind.sh ./fuelsim

# libFuzzer over the scenario loader (clang + libclang-rt-14-dev). Runs
# FUZZ_SECONDS (default 60) from a seed corpus made from tests/; a crash
# leaves its input in build/fuzz/ and fails the target.
FUZZ_SECONDS ?= 60
FUZZ_SRC = models/scenario.c models/world.c sim/base/diag.c sim/base/textio.c sim/base/util.c tests/fuzz/fuzz_loader.c
fuzz-build: | deps
	@command -v clang >/dev/null && [ -n "$$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] || \
	  { apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev; }
	@mkdir -p build/fuzz
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 $(INC_chain) $(CJSON_CFLAGS) \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -o build/fuzz/fuzz_loader $(FUZZ_SRC) -lcsv $(CJSON_LIBS) $(CRYPTO_LIBS) -lm

fuzz: fuzz-build
	@rm -rf build/fuzz/corpus && sh tests/fuzz/make_corpus.sh build/fuzz/corpus
	cd build/fuzz && ./fuzz_loader -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus

clean:
	rm -rf build fuelsim
