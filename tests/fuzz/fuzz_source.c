/*
 * fuzz_source.c - libFuzzer target: the source pipeline.  book.yaml and
 * Markdown parts (fuzzbook.h) through loading, libyaml, libcmark-gfm,
 * resolving and the tree's own check.
 */
#include "fuzzbook.h"

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *dir;
	if (!dir)
		dir = fuzz_dir_new();
	gb_diag *d = NULL;
	gb_book *book = fuzz_book_load(dir, data, size, &d);
	/* the messages point into the book's files: they go first */
	gb_diag_free(d);
	if (book)
		gb_book_free(book);
	return 0;
}
