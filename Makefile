# gsi-book: one book source, two editions.
#
#   make          build ./gsi-book (and copy the fonts into fonts/)
#   make book     install what is missing, build, write the editions to dist/
#   make check    install what the tests need (.ci/deps test), then every
#                 test, with the normal and the ASan+UBSan build
#   make asan     the same, with the ASan+UBSan build only
#   make corpus   the corpus of real books alone (tests/corpus/), which
#                 make check runs too, with the normal build
#   make bench    the benchmark (tests/bench/), not part of make check
#   make stress   a 1,000-page book built again and again under the threads,
#                 its bytes compared (tests/stress/), not part of make check
#   make fuzz     the libFuzzer targets (tests/fuzz/), FUZZ_SECONDS each
#   make install  PREFIX=/usr/local DESTDIR= : the program and its man page

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/gsi-book
LIBDIR = $(PREFIX)/lib/gsi-book

CC ?= cc
PKG_CONFIG ?= pkg-config
# The program links what reading a book needs; the render module
# (src/render.h: typesetter, PDF, preview, cover, font subsets) links the
# print libraries and is loaded only when a command needs it.
# libcmark-gfm.pc also links libcmark-gfm-extensions (tables, footnotes)
CORE_PKGS = libcmark-gfm yaml-0.1 glib-2.0 zlib libxml-2.0
RENDER_PKGS = glib-2.0 fontconfig cairo pangocairo pangoft2 harfbuzz harfbuzz-subset librsvg-2.0 libjpeg
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(CORE_PKGS) $(RENDER_PKGS) libzip libqpdf 2>/dev/null)
CORE_LIBS := $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null) -lm
RENDER_LIBS := $(shell $(PKG_CONFIG) --libs $(RENDER_PKGS) 2>/dev/null) -lhyphen -lm
# everything in one program (the tests, the sanitizer build)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) $(RENDER_PKGS) 2>/dev/null) -lhyphen -lm
# libqpdf (src/qpdfapi.h) and libzip (src/zipapi.h) are loaded in a thread
# when a command needs them, by their sonames
soname = $(shell objdump -p "$$($(PKG_CONFIG) --variable=libdir $(1) 2>/dev/null)/$(1).so" 2>/dev/null | awk '/SONAME/ { print $$2 }')
QPDF_SONAME := $(call soname,libqpdf)
ZIP_SONAME := $(call soname,libzip)

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wwrite-strings -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARNINGS) -D_DEFAULT_SOURCE -DGB_VERSION='"$(VERSION)"' \
	     -DGB_DATADIR='"$(DATADIR)"' -DGB_LIBDIR='"$(LIBDIR)"' -DGB_QPDF_SONAME='"$(QPDF_SONAME)"' -DGB_ZIP_SONAME='"$(ZIP_SONAME)"' \
	     $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer

SRCS := $(wildcard src/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
RENDER_SRCS := $(addprefix src/,cover.c fontconfig.c fontcover.c hyphdict.c layout.c linebreak.c pdf.c pdfcopy.c \
		 picture.c preview.c rendermod.c subset.c typeset.c warm.c)
CORE_SRCS := $(filter-out $(RENDER_SRCS),$(SRCS))
OBJS := $(SRCS:src/%.c=build/%.o)
CORE_OBJS := $(CORE_SRCS:src/%.c=build/%.o)
RENDER_OBJS := $(RENDER_SRCS:src/%.c=build/%.o)
LIB_OBJS := $(LIB_SRCS:src/%.c=build/%.o)
ASAN_OBJS := $(SRCS:src/%.c=build/asan/%.o)
ASAN_LIB_OBJS := $(LIB_SRCS:src/%.c=build/asan/%.o)

.PHONY: all book check asan corpus bench stress fuzz install uninstall clean deps test-deps fonts

all: gsi-book build/gsi-book-render.so fonts

# the program exports its functions (-rdynamic) for the module to call
gsi-book: $(CORE_OBJS) | build/gsi-book-render.so
	$(CC) $(CFLAGS) -rdynamic -o $@ $(CORE_OBJS) $(CORE_LIBS) $(LDFLAGS)

build/gsi-book-render.so: $(RENDER_OBJS)
	$(CC) $(CFLAGS) -shared -o $@ $(RENDER_OBJS) $(RENDER_LIBS) $(LDFLAGS)

$(RENDER_OBJS): MODULE_CFLAGS = -fPIC -fvisibility=hidden

build/%.o: src/%.c Makefile | build
	$(CC) $(ALL_CFLAGS) $(MODULE_CFLAGS) -c -o $@ $<

build/asan/%.o: src/%.c | build/asan
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -c -o $@ $<

build/asan/gsi-book: $(ASAN_OBJS)
	$(CC) $(ASAN_FLAGS) -o $@ $(ASAN_OBJS) $(PKG_LIBS) $(LDFLAGS)

build/unit: build/tests/unit.o $(LIB_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/tests/unit.o: tests/unit.c | build
	@mkdir -p build/tests
	$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

build/asan/unit: build/asan/tests/unit.o $(ASAN_LIB_OBJS)
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/asan/tests/unit.o: tests/unit.c | build/asan
	@mkdir -p build/asan/tests
	$(CC) $(ALL_CFLAGS) $(ASAN_FLAGS) -Isrc -c -o $@ $<

build/genbook: tests/bench/genbook.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $< $(PKG_LIBS) $(LDFLAGS)

build/timeit: tests/bench/timeit.c | build
	$(CC) $(ALL_CFLAGS) -o $@ $<

# The benchmark: not part of check (timings are not tests); RUNS=5 SIZES="10 100"
bench: all build/genbook build/timeit
	@sh tests/bench/bench.sh

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

build/fuzz/%.o: src/%.c | build/fuzz
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
	$(CC) $(ALL_CFLAGS) -o $@ $< $(PKG_LIBS) $(shell $(PKG_CONFIG) --libs libzip) $(LDFLAGS)

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
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(DATADIR)/styles
	install -m 755 gsi-book $(DESTDIR)$(BINDIR)/gsi-book
	install -m 644 build/gsi-book-render.so $(DESTDIR)$(LIBDIR)/gsi-book-render.so
	install -m 644 fonts/MANIFEST fonts/*.otf fonts/*.ttf fonts/*.ttc fonts/*.copyright $(DESTDIR)$(DATADIR)/fonts
	install -m 644 styles/* $(DESTDIR)$(DATADIR)/styles
	sed 's/@VERSION@/$(VERSION)/' src/gsi-book.1 > $(DESTDIR)$(MANDIR)/man1/gsi-book.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/gsi-book.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gsi-book $(DESTDIR)$(MANDIR)/man1/gsi-book.1
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(LIBDIR)

clean:
	rm -rf build gsi-book

-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d)
