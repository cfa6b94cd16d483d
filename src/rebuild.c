/*
 * rebuild.c - the building side of gsi-book serve: a full build (the
 * layout, kept in memory, and the EPUB, into a new folder of the server's
 * own), its diagnostics caught as JSON, then swapped in when the build
 * succeeded (the last good pages stay when it failed); the pages'
 * pictures are drawn when first asked for, once a build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "serve.h"
#include "pdf/preview.h"
#include "typeset/layout.h"

/* Removes a folder of pictures (flat: files only) and the folder. */
static void remove_build(const char *dir)
{
	GDir *gd = g_dir_open(dir, 0, NULL);
	if (gd) {
		const char *name;
		while ((name = g_dir_read_name(gd))) {
			char *p = g_build_filename(dir, name, NULL);
			g_unlink(p);
			g_free(p);
		}
		g_dir_close(gd);
	}
	g_rmdir(dir);
}

static void json_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			g_string_append_printf(out, "\\%c", c);
		else if (c < 0x20)
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_c(out, (char)c);
	}
	g_string_append_c(out, '"');
}

/*
 * The diagnostics as printed (gsi-book: FILE:LINE:COL: SEVERITY: TEXT, or
 * without the position) as a JSON array of objects.
 */
static GString *diagnostics_json(const char *text)
{
	static GRegex *with_pos, *without;
	if (!with_pos) {
		with_pos = g_regex_new("^gsi-book: (.+?):([0-9]+):([0-9]+): "
				       "(error|warning|note): (.*)$", 0, 0, NULL);
		without = g_regex_new("^gsi-book: (?:(.+?): )?(error|warning|note): (.*)$",
				      0, 0, NULL);
	}
	GString *out = g_string_new("[");
	char **lines = g_strsplit(text, "\n", -1);
	bool first = true;
	for (char **l = lines; *l; l++) {
		if (!g_regex_match(with_pos, *l, 0, NULL) && !g_regex_match(without, *l, 0, NULL))
			continue;   /* an empty line, or a closing one */
		GMatchInfo *m = NULL;
		if (!first)
			g_string_append(out, ", ");
		first = false;
		g_string_append(out, "{");
		if (g_regex_match(with_pos, *l, 0, &m)) {
			char *f = g_match_info_fetch(m, 1), *ln = g_match_info_fetch(m, 2),
			     *col = g_match_info_fetch(m, 3), *sev = g_match_info_fetch(m, 4),
			     *msg = g_match_info_fetch(m, 5);
			g_string_append(out, "\"file\": ");
			json_string(out, f);
			g_string_append_printf(out, ", \"line\": %d, \"col\": %d, \"severity\": ",
					       atoi(ln), atoi(col));
			json_string(out, sev);
			g_string_append(out, ", \"message\": ");
			json_string(out, msg);
			g_free(f), g_free(ln), g_free(col), g_free(sev), g_free(msg);
		} else {
			g_match_info_free(m);
			m = NULL;
			if (g_regex_match(without, *l, 0, &m)) {
				char *f = g_match_info_fetch(m, 1), *sev = g_match_info_fetch(m, 2),
				     *msg = g_match_info_fetch(m, 3);
				if (f && *f) {
					g_string_append(out, "\"file\": ");
					json_string(out, f);
					g_string_append(out, ", ");
				}
				g_string_append(out, "\"severity\": ");
				json_string(out, sev);
				g_string_append(out, ", \"message\": ");
				json_string(out, msg);
				g_free(f), g_free(sev), g_free(msg);
			}
		}
		g_match_info_free(m);
		g_string_append(out, "}");
	}
	g_strfreev(lines);
	g_string_append(out, "]");
	return out;
}

/* The layout's dump cut into pages (each from its "page N" line). */
static GPtrArray *page_dumps(const gb_layout *lay)
{
	GString *all = g_string_new(NULL);
	gb_layout_dump(lay, all);
	GPtrArray *pages = g_ptr_array_new_with_free_func(g_free);
	const char *p = strstr(all->str, "\npage ");
	while (p) {
		p++;
		const char *next = strstr(p, "\npage ");
		g_ptr_array_add(pages, g_strndup(p, next ? (gsize)(next - p) : strlen(p)));
		p = next;
	}
	g_string_free(all, TRUE);
	return pages;
}

/* The pages (indices) whose dump differs between two builds, or that are
   in one only. */
static GArray *changed_pages(const GPtrArray *old, const GPtrArray *new)
{
	GArray *changed = g_array_new(FALSE, FALSE, sizeof(guint));
	guint n_old = old ? old->len : 0;
	for (guint i = 0; i < MAX(n_old, new->len); i++)
		if (i >= n_old || i >= new->len ||
		    strcmp(g_ptr_array_index(old, i), g_ptr_array_index(new, i)))
			g_array_append_val(changed, i);
	return changed;
}

static void unref_bytes(gpointer b)
{
	if (b)
		g_bytes_unref(b);
}

void gb_serve_rebuild(gb_serve *s)
{
	gint64 t0 = g_get_monotonic_time();
	g_rw_lock_reader_lock(&s->lock);
	int n = s->build + 1;
	g_rw_lock_reader_unlock(&s->lock);
	char *dir = g_strdup_printf("%s/b%d", s->root, n);
	g_mkdir_with_parents(dir, 0700);   /* a failure shows as the EPUB's */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		g_error("out of memory");
	gb_run sub = { 0 };
	sub.d = gb_diag_new("gsi-book", f);
	sub.err = f;
	sub.bookdir = s->r->bookdir;
	sub.paper = s->r->paper;
	sub.strict = s->r->strict;  /* warnings fail the rebuild too */
	sub.quiet = true;      /* no "wrote" lines; warnings are still caught */
	sub.started = t0;
	gb_typeset_book *tb = gb_typeset_book_new(&sub);
	if (tb && sub.strict && gb_diag_warnings(sub.d)) {
		gb_typeset_book_free(tb);
		tb = NULL;
	}
	gb_diag_free(sub.d);
	int ret = tb ? 0 : 1;
	if (!ret) {
		/* the EPUB: its diagnostics are the layout's again, so they
		   are kept only when it fails */
		char *etext = NULL;
		size_t elen = 0;
		FILE *ef = open_memstream(&etext, &elen);
		if (!ef)
			g_error("out of memory");
		char *epub = g_build_filename(dir, "book.epub", NULL);
		sub.d = gb_diag_new("gsi-book", ef);
		sub.err = ef;
		sub.out = epub;
		ret = gb_cmd_epub(&sub);
		gb_diag_free(sub.d);
		fclose(ef);
		if (ret)
			fputs(etext, f);
		free(etext);
		g_free(epub);
	}
	fclose(f);
	GString *errors = diagnostics_json(text);
	free(text);

	GPtrArray *dumps = NULL;
	GArray *changed = NULL;
	if (!ret) {
		dumps = page_dumps(tb->lay);
		changed = changed_pages(s->dumps, dumps);
		gb_typeset_book_free(s->tb);
		s->tb = tb;
		tb = NULL;
		if (s->dumps)
			g_ptr_array_unref(s->dumps);
		s->dumps = dumps;
		if (s->pictures)
			g_ptr_array_unref(s->pictures);
		s->pictures = g_ptr_array_new_full(dumps->len, unref_bytes);
		g_ptr_array_set_size(s->pictures, (gint)dumps->len);
		/* the changed pages' pictures ready before the status says so
		   (the first few: an edit changes one or two) */
		for (guint i = 0; i < MIN(changed->len, GB_SERVE_DRAWN); i++) {
			GBytes *png = gb_serve_picture(s, g_array_index(changed, guint, i));
			if (png)
				g_bytes_unref(png);
		}
	}
	gb_typeset_book_free(tb);
	double ms = (double)(g_get_monotonic_time() - t0) / 1000.0;
	char *old = NULL;
	g_rw_lock_writer_lock(&s->lock);
	s->build = n;
	s->ok = !ret;
	s->ms = ms;
	g_string_free(s->errors, TRUE);
	s->errors = errors;
	if (!ret) {
		old = s->current;
		s->current = dir;
		s->pages = (int)dumps->len;
		s->pages_changed = (int)changed->len;
		if (s->changed)
			g_array_unref(s->changed);
		s->changed = changed;
		dir = NULL;
	} else {
		s->pages_changed = 0;
		if (s->changed)
			g_array_set_size(s->changed, 0);
	}
	g_rw_lock_writer_unlock(&s->lock);
	/* the readers copy an entry under the lock: none reads old now */
	if (old)
		remove_build(old);
	if (dir)
		remove_build(dir);
	g_free(old);
	g_free(dir);
}

GBytes *gb_serve_picture(gb_serve *s, guint i)
{
	if (!s->pictures || i >= s->pictures->len)
		return NULL;
	GBytes *png = g_ptr_array_index(s->pictures, i);
	if (!png) {
		gb_diag *d = gb_diag_new("gsi-book", stderr);
		png = gb_preview_page(s->tb->lay, i, 100, d);
		gb_diag_flush(d);
		gb_diag_free(d);
		if (!png)
			return NULL;
		g_ptr_array_index(s->pictures, i) = png;
	}
	return g_bytes_ref(png);
}

void gb_serve_clear(gb_serve *s)
{
	gb_typeset_book_free(s->tb);
	if (s->dumps)
		g_ptr_array_unref(s->dumps);
	if (s->pictures)
		g_ptr_array_unref(s->pictures);
	if (s->changed)
		g_array_unref(s->changed);
	s->changed = NULL;
	s->tb = NULL;
	s->dumps = s->pictures = NULL;
}

char *gb_serve_status(gb_serve *s)
{
	char ms[G_ASCII_DTOSTR_BUF_SIZE];
	g_rw_lock_reader_lock(&s->lock);
	g_ascii_formatd(ms, sizeof ms, "%.1f", s->ms);
	GString *changed = g_string_new("[");
	for (guint i = 0; s->changed && i < MIN(s->changed->len, GB_SERVE_LISTED); i++)
		g_string_append_printf(changed, "%s%u", i ? ", " : "",
				       g_array_index(s->changed, guint, i) + 1);
	g_string_append_c(changed, ']');
	char *json = g_strdup_printf("{\"build\": %d, \"ok\": %s, \"pages\": %d, "
				     "\"pages_changed\": %d, \"changed\": %s, \"ms\": %s, "
				     "\"errors\": %s}\n",
				     s->build, s->ok ? "true" : "false", s->pages,
				     s->pages_changed, changed->str, ms, s->errors->str);
	g_string_free(changed, TRUE);
	g_rw_lock_reader_unlock(&s->lock);
	return json;
}
