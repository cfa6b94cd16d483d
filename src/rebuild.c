/*
 * rebuild.c - the building side of gsi-book serve: a full build of the
 * pages' pictures into a new folder of the server's own, its diagnostics
 * caught as JSON, then the folder swapped in when the build succeeded
 * (the last good pages stay when it failed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "serve.h"

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
		if (!**l)
			continue;
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
			} else {
				g_string_append(out, "\"severity\": \"note\", \"message\": ");
				json_string(out, g_str_has_prefix(*l, "gsi-book: ") ? *l + 10 : *l);
			}
		}
		g_match_info_free(m);
		g_string_append(out, "}");
	}
	g_strfreev(lines);
	g_string_append(out, "]");
	return out;
}

/* Pages of a build folder (page-NNN.png, from 1). */
static int count_pages(const char *dir)
{
	int n = 0;
	for (;;) {
		char *p = g_strdup_printf("%s/page-%03d.png", dir, n + 1);
		bool there = g_file_test(p, G_FILE_TEST_EXISTS);
		g_free(p);
		if (!there)
			return n;
		n++;
	}
}

/* Pages whose picture differs between two builds (or is in one only). */
static int changed_pages(const char *old, int old_n, const char *new, int new_n)
{
	int changed = 0;
	for (int i = 1; i <= MAX(old_n, new_n); i++) {
		if (!old || i > old_n || i > new_n) {
			changed++;
			continue;
		}
		char *a = g_strdup_printf("%s/page-%03d.png", old, i);
		char *b = g_strdup_printf("%s/page-%03d.png", new, i);
		char *da = NULL, *db = NULL;
		gsize la = 0, lb = 0;
		if (!g_file_get_contents(a, &da, &la, NULL) ||
		    !g_file_get_contents(b, &db, &lb, NULL) ||
		    la != lb || memcmp(da, db, la))
			changed++;
		g_free(da), g_free(db), g_free(a), g_free(b);
	}
	return changed;
}

void gb_serve_rebuild(gb_serve *s)
{
	gint64 t0 = g_get_monotonic_time();
	g_rw_lock_reader_lock(&s->lock);
	int n = s->build + 1;
	g_rw_lock_reader_unlock(&s->lock);
	char *dir = g_strdup_printf("%s/b%d", s->root, n);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		g_error("out of memory");
	gb_run sub = { 0 };
	sub.d = gb_diag_new("gsi-book", f);
	sub.bookdir = s->r->bookdir;
	sub.paper = s->r->paper;
	sub.out = dir;
	sub.quiet = true;      /* no "wrote" lines; warnings are still caught */
	sub.started = t0;
	int ret = gb_cmd_preview(&sub);
	gb_diag_free(sub.d);
	if (!ret) {
		/* the EPUB beside the pictures: its diagnostics are the
		   preview's again, so they are kept only when it fails */
		char *etext = NULL;
		size_t elen = 0;
		FILE *ef = open_memstream(&etext, &elen);
		if (!ef)
			g_error("out of memory");
		char *epub = g_build_filename(dir, "book.epub", NULL);
		sub.d = gb_diag_new("gsi-book", ef);
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

	int pages = 0, changed = 0;
	char *old = NULL;
	if (!ret) {
		pages = count_pages(dir);
		g_rw_lock_reader_lock(&s->lock);
		changed = changed_pages(s->current, s->pages, dir, pages);
		g_rw_lock_reader_unlock(&s->lock);
	}
	double ms = (double)(g_get_monotonic_time() - t0) / 1000.0;
	g_rw_lock_writer_lock(&s->lock);
	s->build = n;
	s->ok = !ret;
	s->ms = ms;
	g_string_free(s->errors, TRUE);
	s->errors = errors;
	if (!ret) {
		old = s->current;
		s->current = dir;
		s->pages = pages;
		s->pages_changed = changed;
		dir = NULL;
	} else {
		s->pages_changed = 0;
	}
	g_rw_lock_writer_unlock(&s->lock);
	/* the readers copy a picture under the lock: none reads old now */
	if (old)
		remove_build(old);
	if (dir)
		remove_build(dir);
	g_free(old);
	g_free(dir);
}

char *gb_serve_status(gb_serve *s)
{
	char ms[G_ASCII_DTOSTR_BUF_SIZE];
	g_rw_lock_reader_lock(&s->lock);
	g_ascii_formatd(ms, sizeof ms, "%.1f", s->ms);
	char *json = g_strdup_printf("{\"build\": %d, \"ok\": %s, \"pages\": %d, "
				     "\"pages_changed\": %d, \"ms\": %s, \"errors\": %s}\n",
				     s->build, s->ok ? "true" : "false", s->pages,
				     s->pages_changed, ms, s->errors->str);
	g_rw_lock_reader_unlock(&s->lock);
	return json;
}
