/*
 * fuzzbook.h - what the libFuzzer targets share: an input as a book.
 *
 * An input is book.yaml, then the book's Markdown parts, each after a line
 * "%%%%" (the separator): "title: T\n...\n%%%%\n# One\n...\n%%%%\n# Two".
 * The parts are written as p1.md, p2.md, ... into a directory of the
 * process's own (tests/fuzz/seeds.sh turns the test books into such
 * inputs, their parts renamed so), and the book is loaded from there as
 * gsi-book loads any book: files, parse, resolve, the tree's own check.
 *
 * Ownership: fuzz_book_load() returns a book the caller frees with
 * gb_book_free(), after gb_diag_free(*d); NULL when the input does not
 * fit in the directory (nothing to test).  Targets keep one fuzz_dir for
 * the whole run: libFuzzer's entry points take no context.
 */
#ifndef GB_FUZZBOOK_H
#define GB_FUZZBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "tree.h"

#include "fonts.h"
#include "style.h"

/* Makes the directory books are written to (under $TMPDIR); aborts if it cannot. */
char *fuzz_dir_new(void);

/* What the EPUB and typesetter targets share, loaded once: a directory
   for books, and the repository's style, fonts and EPUB style sheet
   ($GSI_BOOK_DATA).  Aborts when they do not load. */
typedef struct fuzz_fixture {
	char *dir, *css;
	gb_style *style;
	gb_fontset *fonts;
} fuzz_fixture;

fuzz_fixture *fuzz_fixture_new(void);

/*
 * Writes data as a book into dir and loads it, reporting to a fresh *d
 * (quiet, to /dev/null).  Checks the loaded tree with gb_tree_check()
 * and aborts, so that libFuzzer reports it, if the tree breaks its own
 * rules.
 */
gb_book *fuzz_book_load(const char *dir, const uint8_t *data, size_t size,
			gb_diag **d);

#endif
