/*
 * fuzz_epub.c - libFuzzer target: the EPUB writer on small trees.  A book
 * that loads without errors (fuzzbook.h) is written as an EPUB, with the
 * repository's style and fonts, into memory.  An EPUB made must begin as
 * readers require: the 'mimetype' entry first, stored.
 */
#include "fuzzbook.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub/epub.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void write_epub(const fuzz_fixture *f, const gb_book *book, gb_diag *d)
{
	gb_epub_options opt = { f->style, f->fonts, f->css, 1700000000, NULL, NULL };
	GBytes *epub = gb_epub_build(book, &opt, d);
	if (epub) {
		static const char head[] = "mimetypeapplication/epub+zip";
		gsize n = 0;
		const char *p = g_bytes_get_data(epub, &n);
		if (n < 30 + sizeof head - 1 || memcmp(p, "PK\3\4", 4) ||
		    memcmp(p + 30, head, sizeof head - 1)) {
			fprintf(stderr, "fuzz: the EPUB does not begin with its mimetype\n");
			abort();
		}
		g_bytes_unref(epub);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size, write_epub);
}
