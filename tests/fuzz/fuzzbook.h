/*
 * fuzzbook.h - what the libFuzzer targets share: an input as a book.
 *
 * An input is book.yaml, then the book's Markdown parts, each after a line
 * "%%%%" (the separator): "title: T\n...\n%%%%\n# One\n...\n%%%%\n# Two".
 * The parts are written as p1.md, p2.md, ... into a directory of the
 * process's own (tests/fuzz/seeds.sh turns the test books into such
 * inputs, their parts renamed so), and the book is loaded from there as
 * gsi-book loads any book: files, parse, resolve, the tree's own check,
 * which aborts (so that libFuzzer reports it) when the tree breaks its
 * own rules.
 *
 * A target's LLVMFuzzerTestOneInput() is fuzz_one() with what it does to
 * a book that loads without errors.  libFuzzer's entry points take no
 * context, so fuzz_one() keeps its fixture for the whole run.
 */
#ifndef GB_FUZZBOOK_H
#define GB_FUZZBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "design/fonts.h"
#include "design/style.h"
#include "source/tree.h"

/* What the targets use besides the input, loaded once: the repository's
   style, fonts and EPUB style sheet ($GSI_BOOK_DATA). */
typedef struct fuzz_fixture {
	char *css;
	gb_style *style;
	gb_fontset *fonts;
} fuzz_fixture;

/* What a target does with a book that loaded without errors (reporting
   to d); it aborts on what must never happen. */
typedef void (*fuzz_use_fn)(const fuzz_fixture *f, const gb_book *book, gb_diag *d);

/*
 * Loads data as a book, then, if it loaded without errors, hands it to
 * use (NULL: loading is the whole test, and no fixture is loaded).
 * Returns 0, as libFuzzer wants.
 */
int fuzz_one(const uint8_t *data, size_t size, fuzz_use_fn use);

#endif
