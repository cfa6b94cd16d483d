/* book.c - loading a book directory: book.yaml, then the parts, then resolve. */
#include "source/book.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source/image.h"
#include "source/keep.h"
#include "source/meta.h"
#include "source/parse.h"
#include "source/paths.h"
#include "source/quotes.h"
#include "source/resolve.h"

/*
 * Whether a book's text must not hold character c, found at byte off of
 * its file: what c is (*what) and why not (*why).
 */
static bool unwanted(gunichar c, size_t off, const char **what, const char **why)
{
	if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
	    (c >= 0x7f && c <= 0x9f)) {
		*what = "control character";
		*why = "in the text: XML cannot carry it";
	} else if (c >= 0x202a && c <= 0x202e) {
		*what = "bidirectional formatting character";
		*why = "in the text: it reorders what readers see (give a part "
		       "in another script its own 'lang')";
	} else if (c == 0xfeff && off > 0) {
		*what = "byte order mark";
		*why = "inside the text";
	} else {
		return false;
	}
	return true;
}

size_t gb_file_check_utf8(gb_file *f, gb_diag *d)
{
	enum { SHOWN = 10 };
	size_t bad = 0;
	const char *p = f->data, *end = f->data + f->len;
	while (p < end) {
		const char *stop;
		if (g_utf8_validate_len(p, (gsize)(end - p), &stop))
			break;
		size_t off = (size_t)(stop - f->data);
		if (++bad <= SHOWN) {
			if (*stop == '\0')
				gb_error(d, gb_loc_at(f, off), "NUL byte in the text");
			else
				gb_error(d, gb_loc_at(f, off),
					 "invalid UTF-8 byte 0x%02X: save the file as UTF-8",
					 (unsigned char)*stop);
		}
		f->data[off] = '?';
		p = stop + 1;
	}
	/* the text is UTF-8 now: the characters no book holds */
	size_t unwelcome = 0;
	for (p = f->data; p < end; p = g_utf8_next_char(p)) {
		guchar b = (guchar)*p;
		/* (most bytes are printable ASCII or not the lead of a suspect) */
		if (b >= 0x20 && b < 0x7f)
			continue;
		size_t off = (size_t)(p - f->data);
		gunichar c = g_utf8_get_char(p);
		const char *what, *why;
		if (!unwanted(c, off, &what, &why))
			continue;
		if (++unwelcome <= SHOWN)
			gb_error(d, gb_loc_at(f, off), "%s U+%04X %s", what, c, why);
		/* a control character, reported, is a '?' (each of its bytes)
		   from here on: the parse reports only those that character
		   references make */
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			memset(f->data + off, '?', (size_t)(g_utf8_next_char(p) - p));
	}
	if (bad > SHOWN)
		gb_note(d, gb_loc_at(f, GB_NOPOS),
			"%zu more bytes that are not UTF-8 are not shown",
			bad - SHOWN);
	if (unwelcome > SHOWN)
		gb_note(d, gb_loc_at(f, GB_NOPOS),
			"%zu more such characters are not shown", unwelcome - SHOWN);
	return bad + unwelcome;
}

/* Reads a file of the book, or reports why not; the book owns the result. */
static gb_file *read_book_file(gb_book *book, const char *path,
			       const char *shown, gb_loc loc, const char *what,
			       const char *rel, gb_diag *d)
{
	int e = 0;
	gb_file *f = gb_file_read(path, shown, &e);
	if (!f) {
		char *why = gb_read_error(e);
		if (loc.file)
			gb_error(d, loc, "cannot read %s '%s': %s", what, rel, why);
		else {
			/* no place to point at but the file itself */
			gb_file *stub = gb_file_new(shown, "", 0);
			gb_book_add_file(book, stub);
			gb_error(d, gb_loc_at(stub, GB_NOPOS), "cannot read %s: %s",
				 what, why);
		}
		g_free(why);
		return NULL;
	}
	gb_book_add_file(book, f);
	gb_file_check_utf8(f, d);
	return f;
}

static bool is_blank_text(const gb_file *f)
{
	for (size_t i = 0; i < f->len; i++)
		if (!g_ascii_isspace(f->data[i]))
			return false;
	return true;
}

static void load_parts(gb_book *book, gb_parse_keep *keep, gb_diag *d)
{
	/* real path -> the part that first named it */
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal,
						 g_free, NULL);
	size_t text = 0, elements = 0;  /* in the parts so far */
	for (guint i = 0; i < book->part_srcs->len; i++) {
		gb_part_src *src = g_ptr_array_index(book->part_srcs, i);
		char *path = gb_book_path(book, NULL, src->file, "part",
					  src->loc, d);
		if (!path)
			continue;
		char real[PATH_MAX];
		if (realpath(path, real)) {
			gb_part_src *first = g_hash_table_lookup(seen, real);
			if (first) {
				gb_error(d, src->loc, "part '%s' is listed twice",
					 src->file);
				gb_note(d, first->loc, "'%s' is first listed here",
					first->file);
				g_free(path);
				continue;
			}
			g_hash_table_insert(seen, g_strdup(real), src);
		}
		src->path = path;
		char *shown = gb_book_shown_path(book->dir, src->file);
		gb_file *f = read_book_file(book, path, shown, src->loc, "part",
					    src->file, d);
		g_free(shown);
		if (!f)
			continue;
		if (is_blank_text(f)) {
			gb_error(d, src->loc, "part '%s' is empty", src->file);
			continue;
		}
		if (f->len > GB_MAX_PART) {
			gb_error(d, src->loc, "part '%s' holds %.1f MiB, more than the %d MiB "
				 "a part may hold: split it into parts", src->file,
				 (double)f->len / (1 << 20), GB_MAX_PART >> 20);
			continue;
		}
		text += f->len;
		if (text > GB_MAX_TEXT) {
			if (text - f->len <= GB_MAX_TEXT)
				gb_error(d, src->loc, "with part '%s' the book's parts hold more "
					 "than %d MiB, the most a book may hold", src->file,
					 GB_MAX_TEXT >> 20);
			continue;
		}
		gb_node_append(book->root, keep ?
			       gb_parse_part_kept(keep, book, src, f, &elements, d) :
			       gb_parse_part(book, src, f, &elements, d));
	}
	g_hash_table_destroy(seen);
}

static void check_cover(gb_book *book, gb_diag *d)
{
	const char *cover = book->meta.cover_image;
	if (!cover)
		return;
	gb_loc loc = gb_loc_at(g_ptr_array_index(book->files, 0), 0);
	char *path = gb_book_path(book, NULL, cover, "cover image", loc, d);
	if (!path)
		return;
	const char *type = gb_image_media_type(cover);
	if (!type || (strcmp(type, "image/png") && strcmp(type, "image/jpeg")))
		gb_error(d, loc, "cover image '%s' is neither PNG nor JPEG", cover);
	else
		gb_book_check_image(path, cover, "cover image", loc, d);
	g_free(path);
}

gb_book *gb_book_load(const char *dir, gb_diag *d)
{
	return gb_book_load_kept(dir, NULL, d);
}

gb_book *gb_book_load_kept(const char *dir, gb_parse_keep *keep, gb_diag *d)
{
	if (keep)
		gb_parse_keep_start(keep);
	gb_book *book = gb_book_new(dir);
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		gb_error(d, gb_noloc(), "book directory '%s' %s", dir,
			 stat(dir, &st) != 0 ? "does not exist" : "is not a directory");
		return book;
	}
	char *yaml_path = g_build_filename(dir, "book.yaml", NULL);
	char *shown = gb_book_shown_path(dir, "book.yaml");
	gb_file *meta = read_book_file(book, yaml_path, shown, gb_noloc(),
				       "book.yaml", "book.yaml", d);
	g_free(yaml_path);
	g_free(shown);
	if (!meta || !gb_meta_parse(book, meta, d))
		return book;
	/* its words are set with the parts' (the identifier is derived
	   from them as written) */
	gb_quotes_meta(&book->meta);
	check_cover(book, d);
	load_parts(book, keep, d);
	gb_resolve(book, d);
	return book;
}
