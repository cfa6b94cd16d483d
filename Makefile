# gsi-book: one book source, two editions.
#
#   make          build ./gsi-book (and copy the fonts into fonts/)
#   make book     install what is missing, build, write the editions to dist/
#   make check    install what the tests need (.ci/deps test), then every
#                 test, with the normal and the ASan+UBSan build
#   make asan     the same, with the ASan+UBSan build only
#   make corpus   the corpus of real books alone (tests/corpus/), which
#                 make check runs too, with the normal build
#   make bench    the benchmark (tests/bench/), not part of make check;
#                 with XeLaTeX and LuaLaTeX installed, make bench-latex too
#   make bench-latex  gsi-book beside XeLaTeX and LuaLaTeX + microtype
#                 (tests/bench/latex.sh): installs the TeX tools first
#                 (.ci/deps bench), which nothing else installs
#   make stress   a 1,000-page book built again and again under the threads,
#                 its bytes compared (tests/stress/), not part of make check
#   make fuzz     the libFuzzer targets (tests/fuzz/), FUZZ_SECONDS each
#   make install  PREFIX=/usr/local DESTDIR= : the program and its man page

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/gsi-book

CC ?= cc
PKG_CONFIG ?= pkg-config
# One program, linked with every library it uses.
# libcmark-gfm.pc also links libcmark-gfm-extensions (tables, footnotes)
PKGS = libcmark-gfm yaml-0.1 glib-2.0 gio-2.0 zlib libxml-2.0 fontconfig cairo pangocairo pangoft2 \
       harfbuzz harfbuzz-subset librsvg-2.0 libjpeg libpng libzip libqpdf
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lhyphen -lzint -lm

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wwrite-strings -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARNINGS) -D_DEFAULT_SOURCE -Isrc -DGB_VERSION='"$(VERSION)"' \
	     -DGB_DATADIR='"$(DATADIR)"' \
	     $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer

# src/ by stage: base/, source/, design/, epub/, typeset/, pdf/, and
# main.c and build.c at the top; objects mirror the folders under build/
SRCS := $(wildcard src/*.c src/*/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS := $(SRCS:src/%.c=build/%.o)
LIB_OBJS := $(LIB_SRCS:src/%.c=build/%.o)
ASAN_OBJS := $(SRCS:src/%.c=build/asan/%.o)
ASAN_LIB_OBJS := $(LIB_SRCS:src/%.c=build/asan/%.o)

.PHONY: all book check asan corpus bench bench-latex bench-deps stress fuzz install uninstall clean deps test-deps fonts spread

all: gsi-book fonts

gsi-book: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $(OBJS) $(PKG_LIBS) $(LDFLAGS)

build/%.o: src/%.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/asan/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

build/asan/gsi-book: $(ASAN_OBJS)
	$(CC) $(ASAN_FLAGS) -o $@ $(ASAN_OBJS) $(PKG_LIBS) $(LDFLAGS)

# the unit tests: tests/unit.c and tests/unit/*.c
UNIT_SRCS = tests/unit.c $(wildcard tests/unit/*.c)
UNIT_OBJS = $(UNIT_SRCS:tests/%.c=build/tests/%.o)
ASAN_UNIT_OBJS = $(UNIT_SRCS:tests/%.c=build/asan/tests/%.o)

build/unit: $(UNIT_OBJS) $(LIB_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/tests/%.o: tests/%.c tests/unit/unit.h | build
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

build/asan/unit: $(ASAN_UNIT_OBJS) $(ASAN_LIB_OBJS)
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/asan/tests/%.o: tests/%.c tests/unit/unit.h | build/asan
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Isrc -c -o $@ $<

build/genbook: tests/bench/genbook.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $< $(PKG_LIBS) $(LDFLAGS)

build/timeit: tests/bench/timeit.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $<

# The benchmark: not part of check (timings are not tests); RUNS=5 SIZES="10 100",
# SERVE_SIZES="300 1600" (serve's update time: tests/bench/serve.py),
# TYPST_SIZES="300 1600" (Typst 0.14 against gsi-book: tests/bench/typst/,
# installed into build/typst with npm ci on first use; "" leaves it out)
# docs/spread.png, README's picture: pages 2 and 3 of the real book as
# gsi-book preview draws them (tests/props/preview/docs-spread checks it
# is the book as it is); docs/markdown-spread.png: pages 4 and 5 of the
# test book of pandoc's extensions, tests/books/markdown (the same check)
spread: all
	rm -rf build/spread build/spread-markdown
	./gsi-book preview -q --pages 6-7 -o build/spread book
	cp build/spread/spread-006.png docs/spread.png
	./gsi-book preview -q --pages 8-9 -o build/spread-markdown tests/books/markdown
	cp build/spread-markdown/spread-008.png docs/markdown-spread.png

bench: all build/genbook build/timeit
	@sh tests/bench/bench.sh
	@if command -v xelatex >/dev/null && command -v lualatex >/dev/null; then \
		echo; sh tests/bench/latex.sh; \
	else echo; echo "(make bench-latex installs XeLaTeX and LuaLaTeX and compares them)"; fi

# The comparison with XeLaTeX and LuaLaTeX + microtype, which make bench runs
# when they are installed: the figures of tests/measure.py for the real book
# and a 50-page synthetic book, as README's tables (tests/bench/latex.sh).
# Its TeX packages are the bench set of .ci/deps, never installed by check.
bench-latex: bench-deps
	@$(MAKE) --no-print-directory all build/genbook
	@sh tests/bench/latex.sh

bench-deps:
	@bash .ci/deps bench

# The stress test (tests/stress/stress.sh): not part of check or CI.
# STRESS_RUNS=0 STRESS_SECONDS=600 (0: no limit), STRESS_PAGES=1000,
# STRESS_COMMANDS="all epub pdf", STRESS_DIR=build/stress
stress: all build/genbook
	@sh tests/stress/stress.sh ./gsi-book

# The fuzz targets (tests/fuzz/): clang's libFuzzer with ASan and UBSan,
# over the whole program but main.c; not part of check.
FUZZ_CC ?= clang
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer
FUZZ_LIB_OBJS := $(LIB_SRCS:src/%.c=build/fuzz/%.o)
FUZZ_BINS := $(addprefix build/fuzz/fuzz_,source epub typeset)

build/fuzz/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzzbook.c tests/fuzz/fuzzbook.h $(FUZZ_LIB_OBJS) | build/fuzz
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc -Itests/fuzz -o $@ \
		$< tests/fuzz/fuzzbook.c $(FUZZ_LIB_OBJS) $(PKG_LIBS) $(LDFLAGS)

build/fuzz:
	@mkdir -p $@

.SECONDARY: $(FUZZ_LIB_OBJS)

# FUZZ_SECONDS=60 each; FUZZ_TARGETS="source epub typeset"; FUZZ_JOBS=1
fuzz: $(FUZZ_BINS) fonts
	@sh tests/fuzz/run.sh

# the corpus check's hyphenation breaks against libhyphen's dictionaries
build/hyphen-allowed: tests/corpus/hyphen-allowed.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $< $(shell $(PKG_CONFIG) --libs glib-2.0) -lhyphen $(LDFLAGS)

build/png-inspect: tests/png-inspect.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $< $(PKG_LIBS) $(LDFLAGS)

build/epub-inspect: tests/epub-inspect.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $< $(PKG_LIBS) $(LDFLAGS)

build build/asan:
	@mkdir -p $@

# The book's fonts, copied from their Debian packages and checked against
# the sums in fonts/MANIFEST.
fonts: fonts/.stamp
fonts/.stamp: fonts/MANIFEST fonts/install.sh
	@sh fonts/install.sh

deps:
	@bash .ci/deps build

book: deps
	@$(MAKE) --no-print-directory all
	./gsi-book check book
	./gsi-book all book

# check and asan first install what the tests need (.ci/deps test: the
# build set, the sanitizer runtimes, EPUBCheck and Java, chromium and Node
# for Ace, qpdf, poppler-utils, valgrind), then build, then run: the
# packages must be there before anything is compiled, so the steps run in
# order, not as prerequisites that make -j could start side by side.
TEST_BINS = build/unit build/asan/gsi-book build/asan/unit build/epub-inspect build/png-inspect \
	    build/genbook build/hyphen-allowed

check: test-deps
	@$(MAKE) --no-print-directory all $(TEST_BINS)
	@sh tests/run.sh "plain ./gsi-book build/unit" \
			 "asan build/asan/gsi-book build/asan/unit"

asan: test-deps
	@$(MAKE) --no-print-directory fonts $(TEST_BINS)
	@sh tests/run.sh "asan build/asan/gsi-book build/asan/unit"

# the corpus alone: every book of tests/corpus/books/ built and checked
# (tests/corpus/check.sh), as make check does once
corpus: test-deps
	@$(MAKE) --no-print-directory all build/hyphen-allowed
	@sh tests/corpus/run.sh ./gsi-book

test-deps:
	@bash .ci/deps test

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(DATADIR)/styles
	install -m 755 gsi-book $(DESTDIR)$(BINDIR)/gsi-book
	install -m 644 fonts/MANIFEST fonts/*.otf fonts/*.ttf fonts/*.ttc fonts/*.copyright $(DESTDIR)$(DATADIR)/fonts
	install -m 644 styles/* $(DESTDIR)$(DATADIR)/styles
	sed 's/@VERSION@/$(VERSION)/' src/gsi-book.1 > $(DESTDIR)$(MANDIR)/man1/gsi-book.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/gsi-book.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gsi-book $(DESTDIR)$(MANDIR)/man1/gsi-book.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build gsi-book

-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(ASAN_UNIT_OBJS:.o=.d)
