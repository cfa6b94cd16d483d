/* fuzzbook.c - an input as a book, for the libFuzzer targets (fuzzbook.h). */
#include "fuzzbook.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/book.h"

static const char sep[] = "\n%%%%\n";

/* Makes the directory books are written to (under $TMPDIR); aborts if it cannot. */
static char *dir_new(void)
{
	GError *error = NULL;
	char *dir = g_dir_make_tmp("gsi-book-fuzz.XXXXXX", &error);
	if (!dir) {
		fprintf(stderr, "fuzz: %s\n", error->message);
		abort();
	}
	return dir;
}

/* The fixture; aborts when it does not load. */
static fuzz_fixture *fixture_new(void)
{
	fuzz_fixture *f = g_new0(fuzz_fixture, 1);
	const char *top = g_getenv("GSI_BOOK_DATA");
	if (!top) {
		fprintf(stderr, "fuzz: set GSI_BOOK_DATA to the repository\n");
		abort();
	}
	gb_diag *d = gb_diag_new("gsi-book", stderr);
	char *style = g_build_filename(top, "styles", "style.yaml", NULL);
	char *fonts = g_build_filename(top, "fonts", NULL);
	f->style = gb_style_load(style, d);
	f->fonts = gb_fontset_load(fonts, d);
	if (f->fonts && !gb_fontset_verify(f->fonts, NULL, d))
		abort();
	f->css = g_build_filename(top, "styles", "epub.css", NULL);
	if (!f->style || !f->fonts || gb_diag_errors(d)) {
		gb_diag_flush(d);
		abort();
	}
	gb_diag_free(d);
	g_free(style);
	g_free(fonts);
	return f;
}

/* Writes len bytes of p to dir/name; false if it cannot. */
static bool put(const char *dir, const char *name, const char *p, size_t len)
{
	char *path = g_build_filename(dir, name, NULL);
	bool ok = g_file_set_contents(path, p, (gssize)len, NULL);
	g_free(path);
	return ok;
}

/* Removes the parts an earlier input left. */
static void clear(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	if (!d)
		return;
	const char *name;
	while ((name = g_dir_read_name(d))) {
		char *path = g_build_filename(dir, name, NULL);
		g_remove(path);
		g_free(path);
	}
	g_dir_close(d);
}

/*
 * Writes data as a book into dir and loads it, reporting to a fresh *d
 * (quiet, to /dev/null).  Returns the book (the caller frees it after
 * *d: the messages point into its files), or NULL when the input does not
 * fit in the directory.
 */
static gb_book *book_load(const char *dir, const uint8_t *data, size_t size,
			  gb_diag **d)
{
	static FILE *devnull;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	clear(dir);
	const char *p = (const char *)data, *end = p + size;
	const char *cut = g_strstr_len(p, (gssize)size, sep);
	if (!put(dir, "book.yaml", p, cut ? (size_t)(cut - p) : size))
		return NULL;
	for (int n = 1; cut && n <= 16; n++) {
		p = cut + strlen(sep);
		cut = g_strstr_len(p, end - p, sep);
		char name[16];
		g_snprintf(name, sizeof name, "p%d.md", n);
		if (!put(dir, name, p, cut ? (size_t)(cut - p) : (size_t)(end - p)))
			return NULL;
	}
	*d = gb_diag_new("gsi-book", devnull);
	gb_diag_set_quiet(*d, true);
	gb_book *book = gb_book_load(dir, *d);
	char *why = gb_tree_check(book->root, gb_diag_errors(*d) == 0);
	if (why) {
		fprintf(stderr, "fuzz: the tree breaks its rules: %s\n", why);
		abort();
	}
	return book;
}

int fuzz_one(const uint8_t *data, size_t size, fuzz_use_fn use)
{
	static char *dir;
	static fuzz_fixture *f;
	if (!dir)
		dir = dir_new();
	if (use && !f)
		f = fixture_new();
	gb_diag *d = NULL;
	gb_book *book = book_load(dir, data, size, &d);
	if (!book)
		return 0;
	if (use && gb_diag_errors(d) == 0)
		use(f, book, d);
	/* the messages point into the book's files: they go first */
	gb_diag_free(d);
	gb_book_free(book);
	return 0;
}
