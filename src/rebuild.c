/*
 * rebuild.c - the building side of gsi-book serve: the layout, kept in
 * memory, made with the design loaded once and with what the last build
 * kept (gb_typeset_book_design: the Pango context and its shaped words,
 * the hyphenation dictionaries), its diagnostics caught as JSON, swapped
 * in when the build succeeded (the last good pages stay when it failed);
 * the changed pages' pictures drawn at once, the others when first asked
 * for, once a build;
 * then the full editions (PDF and EPUB) written in the background by a
 * child `gsi-book all` into a new folder of the server's own, published
 * when it is done (a newer build stops it).
 */
#include <errno.h>
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "serve.h"
#include "pdf/preview.h"
#include "source/keep.h"
#include "typeset/layout.h"
#include "typeset/typeset.h"

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

/* Whether two runs of glyphs draw the same: the same font (the same
   object when the font map was kept, else the same description), items
   and glyphs. */
static bool same_run(const PangoGlyphItem *a, const PangoGlyphItem *b)
{
	const PangoItem *x = a->item, *y = b->item;
	if (x->offset != y->offset || x->length != y->length || x->num_chars != y->num_chars ||
	    x->analysis.level != y->analysis.level)
		return false;
	if (x->analysis.font != y->analysis.font) {
		if (!x->analysis.font || !y->analysis.font)
			return false;
		PangoFontDescription *fx = pango_font_describe(x->analysis.font),
				     *fy = pango_font_describe(y->analysis.font);
		bool same = pango_font_description_equal(fx, fy);
		pango_font_description_free(fx);
		pango_font_description_free(fy);
		if (!same)
			return false;
	}
	const PangoGlyphString *g = a->glyphs, *h = b->glyphs;
	if (g->num_glyphs != h->num_glyphs)
		return false;
	for (int i = 0; i < g->num_glyphs; i++) {
		const PangoGlyphInfo *p = &g->glyphs[i], *q = &h->glyphs[i];
		if (p->glyph != q->glyph || p->geometry.width != q->geometry.width ||
		    p->geometry.x_offset != q->geometry.x_offset ||
		    p->geometry.y_offset != q->geometry.y_offset ||
		    p->attr.is_cluster_start != q->attr.is_cluster_start ||
		    g->log_clusters[i] != h->log_clusters[i])
			return false;
	}
	return true;
}

static bool same_glyphs(const gb_glyphs *a, const gb_glyphs *b)
{
	if (!a || !b)
		return a == b;
	if (a->expand != b->expand || a->hang_left != b->hang_left ||
	    a->hang_right != b->hang_right || g_strcmp0(a->text, b->text))
		return false;
	/* (packed lines read back as they were set: layout.h) */
	GPtrArray *ra = gb_glyphs_runs(a), *rb = gb_glyphs_runs(b);
	bool same = ra->len == rb->len;
	for (guint i = 0; i < ra->len && same; i++)
		same = same_run(g_ptr_array_index(ra, i), g_ptr_array_index(rb, i));
	g_ptr_array_unref(ra);
	g_ptr_array_unref(rb);
	return same;
}

/* Whether two pages draw the same: their folio and place, and each box's
   kind, place, size, text, attributes and glyphs (what --dump-layout
   prints of them, and the glyphs themselves). */
static bool same_page(const gb_page *a, const gb_page *b)
{
	if (a->number != b->number || g_strcmp0(a->label, b->label) || a->recto != b->recto ||
	    a->left != b->left || a->turned != b->turned || a->turn_x != b->turn_x ||
	    a->turn_y != b->turn_y || a->boxes->len != b->boxes->len)
		return false;
	for (guint i = 0; i < a->boxes->len; i++) {
		const gb_box *x = g_ptr_array_index(a->boxes, i), *y = g_ptr_array_index(b->boxes, i);
		if (x->kind != y->kind || x->x != y->x || x->y != y->y || x->w != y->w ||
		    x->h != y->h || g_strcmp0(x->text, y->text) || g_strcmp0(x->attrs, y->attrs) ||
		    !same_glyphs(x->glyphs, y->glyphs))
			return false;
	}
	return true;
}

/* The pages (indices) of the new layout that differ from the old one's
   (all of them when there is none, or its trim or text block differs),
   or that are in one only. */
static GArray *changed_pages(const gb_layout *old, const gb_layout *new)
{
	GArray *changed = g_array_new(FALSE, FALSE, sizeof(guint));
	bool all = !old || old->width != new->width || old->height != new->height ||
		   old->block_top != new->block_top || old->block_bottom != new->block_bottom ||
		   old->measure != new->measure;
	guint n_old = old ? old->pages->len : 0, n_new = new->pages->len;
	for (guint i = 0; i < MAX(n_old, n_new); i++)
		if (all || i >= n_old || i >= n_new ||
		    !same_page(g_ptr_array_index(old->pages, i), g_ptr_array_index(new->pages, i)))
			g_array_append_val(changed, i);
	return changed;
}

static void unref_bytes(gpointer b)
{
	if (b)
		g_bytes_unref(b);
}

/* A child writing the editions of one build into dir. */
typedef struct gb_editions_job {
	gb_serve *s;
	GSubprocess *child;
	int build;
	char *dir;
} gb_editions_job;

/* The first file of dir whose name ends in ext, or NULL. */
static char *file_ending(const char *dir, const char *ext)
{
	GDir *gd = g_dir_open(dir, 0, NULL);
	const char *name;
	char *path = NULL;
	while (gd && !path && (name = g_dir_read_name(gd)))
		if (g_str_has_suffix(name, ext))
			path = g_build_filename(dir, name, NULL);
	if (gd)
		g_dir_close(gd);
	return path;
}

/* Appends the objects of JSON array b to JSON array a. */
static void json_join(GString *a, const GString *b)
{
	if (b->len <= 2)
		return;
	g_string_truncate(a, a->len - 1);
	if (a->len > 1)
		g_string_append(a, ", ");
	g_string_append(a, b->str + 1);
}

/* A child is done: its editions published when it is the current job
   and succeeded, its diagnostics added when it failed; else (stopped) its
   folder removed. */
static void editions_done(GObject *src, GAsyncResult *res, gpointer p)
{
	gb_editions_job *job = p;
	gb_serve *s = job->s;
	char *err = NULL;
	bool said = g_subprocess_communicate_utf8_finish(G_SUBPROCESS(src), res, NULL, &err, NULL);
	g_subprocess_wait(job->child, NULL, NULL);
	bool current = job == s->job;
	bool ok = g_subprocess_get_if_exited(job->child) &&
		  g_subprocess_get_exit_status(job->child) == 0;
	char *old = NULL;
	if (current && ok) {
		char *pdf = file_ending(job->dir, ".pdf"), *epub = file_ending(job->dir, ".epub");
		g_rw_lock_writer_lock(&s->lock);
		old = s->editions_dir;
		s->editions_dir = job->dir;
		job->dir = NULL;
		g_free(s->pdf);
		g_free(s->epub);
		s->pdf = pdf;
		s->epub = epub;
		s->editions = job->build;
		g_rw_lock_writer_unlock(&s->lock);
	} else if (current && said && g_subprocess_get_if_exited(job->child)) {
		/* the editions failed where the layout did not */
		GString *errors = diagnostics_json(err ? err : "");
		g_rw_lock_writer_lock(&s->lock);
		json_join(s->errors, errors);
		g_rw_lock_writer_unlock(&s->lock);
		g_string_free(errors, TRUE);
	}
	if (current)
		s->job = NULL;
	/* the readers hold the lock while they read a file: none reads old */
	if (old)
		remove_build(old);
	g_free(old);
	if (job->dir)
		remove_build(job->dir);
	g_free(job->dir);
	g_free(err);
	g_object_unref(job->child);
	g_free(job);
	s->children--;
}

/* In the child, before it runs: the editions yield the cores to the
   rebuilds after the next edits (and to the editor). */
static void lower_priority(gpointer unused)
{
	(void)unused;
	if (setpriority(PRIO_PROCESS, 0, 10) != 0)
		return;   /* it runs at the server's priority */
}

/* Starts a child `gsi-book all` writing build n's editions into a new
   folder of s->root's, at a lower priority. */
static void start_editions(gb_serve *s, int n)
{
	char *self = g_file_read_link("/proc/self/exe", NULL);
	gb_editions_job *job = g_new0(gb_editions_job, 1);
	job->s = s;
	job->build = n;
	job->dir = g_strdup_printf("%s/e%d", s->root, n);
	GPtrArray *argv = g_ptr_array_new();
	g_ptr_array_add(argv, self ? self : (char *)"gsi-book");
	g_ptr_array_add(argv, (char *)"all");
	g_ptr_array_add(argv, (char *)"-q");
	if (s->r->strict)
		g_ptr_array_add(argv, (char *)"--strict");
	if (s->r->paper) {
		g_ptr_array_add(argv, (char *)"--paper");
		g_ptr_array_add(argv, (char *)s->r->paper);
	}
	g_ptr_array_add(argv, (char *)"-o");
	g_ptr_array_add(argv, job->dir);
	g_ptr_array_add(argv, (char *)s->r->bookdir);
	g_ptr_array_add(argv, NULL);
	GError *e = NULL;
	if (g_mkdir_with_parents(job->dir, 0700) == 0) {
		GSubprocessLauncher *l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
								   G_SUBPROCESS_FLAGS_STDERR_PIPE);
		g_subprocess_launcher_set_child_setup(l, lower_priority, NULL, NULL);
		job->child = g_subprocess_launcher_spawnv(l, (const char *const *)argv->pdata, &e);
		g_object_unref(l);
	}
	g_ptr_array_free(argv, TRUE);
	g_free(self);
	if (!job->child) {
		fprintf(stderr, "gsi-book: cannot write the editions: %s\n",
			e ? e->message : g_strerror(errno));
		g_clear_error(&e);
		remove_build(job->dir);
		g_free(job->dir);
		g_free(job);
		return;
	}
	s->job = job;
	s->children++;
	g_subprocess_communicate_utf8_async(job->child, NULL, NULL, editions_done, job);
}

/* The calling thread's CPU time, in milliseconds. */
static double thread_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void gb_serve_rebuild(gb_serve *s)
{
	gint64 t0 = g_get_monotonic_time();
	double cpu0 = thread_cpu_ms();
	/* the editions of an older build are not wanted any more */
	if (s->job) {
		g_subprocess_force_exit(s->job->child);
		s->job = NULL;
	}
	g_rw_lock_reader_lock(&s->lock);
	int n = s->build + 1;
	g_rw_lock_reader_unlock(&s->lock);
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
	/* the parts whose files did not change are not parsed again */
	if (!s->parse_keep)
		s->parse_keep = gb_parse_keep_new();
	sub.parse_keep = s->parse_keep;
	/* the design (style, fonts, their FcConfig) once for every build: a
	   new FcConfig a build grew the server by ~0.5 MB each time */
	if (!s->design)
		s->design = gb_typeset_book_design(&sub);
	gb_typeset_book *tb = s->design ? gb_typeset_book_with(&sub, s->design) : NULL;
	if (tb && sub.strict && gb_diag_warnings(sub.d)) {
		gb_typeset_book_free(tb);
		tb = NULL;
	}
	guint parsed = gb_parse_keep_parsed(s->parse_keep);
	guint kept = gb_parse_keep_reused(s->parse_keep);
	gb_diag_free(sub.d);
	fclose(f);
	GString *errors = diagnostics_json(text);
	free(text);

	GArray *changed = NULL;
	gb_typeset_book *old_tb = NULL;
	gint64 laid = g_get_monotonic_time(), compared = laid;
	if (tb) {
		changed = changed_pages(s->tb ? s->tb->lay : NULL, tb->lay);
		compared = g_get_monotonic_time();
		old_tb = s->tb;   /* freed once the status says the new build */
		s->tb = tb;
		guint count = tb->lay->pages->len;
		if (s->pictures)
			g_ptr_array_unref(s->pictures);
		s->pictures = g_ptr_array_new_full(count, unref_bytes);
		g_ptr_array_set_size(s->pictures, (gint)count);
		/* the changed pages' pictures ready before the status says so
		   (the first few: an edit changes one or two) */
		for (guint i = 0; i < MIN(changed->len, GB_SERVE_DRAWN); i++) {
			GBytes *png = gb_serve_picture(s, g_array_index(changed, guint, i));
			if (png)
				g_bytes_unref(png);
		}
	}
	double ms = (double)(g_get_monotonic_time() - t0) / 1000.0;
	g_rw_lock_writer_lock(&s->lock);
	s->build = n;
	s->ok = tb != NULL;
	s->ms = ms;
	s->cpu_ms = thread_cpu_ms() - cpu0;
	s->parts_parsed = (int)parsed;
	s->parts_kept = (int)kept;
	const gb_typeset_keep *tk = tb && s->design ? s->design->keep : NULL;
	s->parts_keyed = tk ? (int)tk->parts_keyed : 0;
	s->parts_same = tk ? (int)tk->parts_same : 0;
	s->parts_same_differ = tk ? (int)tk->parts_same_differ : 0;
	gint64 read = tb ? tb->loaded : laid;
	s->phases[0] = (double)(read - t0) / 1000.0;
	s->phases[1] = (double)(laid - read) / 1000.0;
	s->phases[2] = (double)(compared - laid) / 1000.0;
	s->phases[3] = ms - (double)(compared - t0) / 1000.0;
	g_string_free(s->errors, TRUE);
	s->errors = errors;
	if (tb) {
		s->pages = (int)tb->lay->pages->len;
		s->pages_changed = (int)changed->len;
		if (s->changed)
			g_array_unref(s->changed);
		s->changed = changed;
	} else {
		s->pages_changed = 0;
		if (s->changed)
			g_array_set_size(s->changed, 0);
	}
	g_rw_lock_writer_unlock(&s->lock);
	if (tb)
		start_editions(s, n);
	/* the last layout freed after the status shows the new one (it took
	   ~0.3 s at 1,600 pages) */
	gb_typeset_book_free(old_tb);
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
	if (s->job) {
		g_subprocess_force_exit(s->job->child);
		s->job = NULL;
	}
	while (s->children > 0)
		g_main_context_iteration(NULL, TRUE);
	gb_typeset_book_free(s->tb);
	gb_typeset_book_free(s->design);
	s->design = NULL;
	gb_parse_keep_free(s->parse_keep);
	s->parse_keep = NULL;
	if (s->pictures)
		g_ptr_array_unref(s->pictures);
	if (s->changed)
		g_array_unref(s->changed);
	s->changed = NULL;
	s->tb = NULL;
	s->pictures = NULL;
	if (s->editions_dir)
		remove_build(s->editions_dir);
	g_free(s->editions_dir);
	g_free(s->pdf);
	g_free(s->epub);
	s->editions_dir = s->pdf = s->epub = NULL;
}

char *gb_serve_status(gb_serve *s)
{
	char ms[G_ASCII_DTOSTR_BUF_SIZE], cpu[G_ASCII_DTOSTR_BUF_SIZE];
	char ph[4][G_ASCII_DTOSTR_BUF_SIZE];
	g_rw_lock_reader_lock(&s->lock);
	g_ascii_formatd(ms, sizeof ms, "%.1f", s->ms);
	g_ascii_formatd(cpu, sizeof cpu, "%.1f", s->cpu_ms);
	for (int i = 0; i < 4; i++)
		g_ascii_formatd(ph[i], sizeof ph[i], "%.1f", s->phases[i]);
	GString *changed = g_string_new("[");
	for (guint i = 0; s->changed && i < MIN(s->changed->len, GB_SERVE_LISTED); i++)
		g_string_append_printf(changed, "%s%u", i ? ", " : "",
				       g_array_index(s->changed, guint, i) + 1);
	g_string_append_c(changed, ']');
	char *json = g_strdup_printf("{\"build\": %d, \"ok\": %s, \"pages\": %d, "
				     "\"pages_changed\": %d, \"changed\": %s, \"ms\": %s, "
				     "\"cpu_ms\": %s, \"phases\": {\"read\": %s, \"layout\": %s, "
				     "\"compare\": %s, \"draw\": %s}, \"parts_parsed\": %d, "
				     "\"parts_kept\": %d, \"parts_keyed\": %d, "
				     "\"parts_same\": %d, \"parts_same_differ\": %d, "
				     "\"editions\": %d, "
				     "\"errors\": %s}\n",
				     s->build, s->ok ? "true" : "false", s->pages,
				     s->pages_changed, changed->str, ms, cpu, ph[0], ph[1], ph[2],
				     ph[3], s->parts_parsed, s->parts_kept, s->parts_keyed,
				     s->parts_same, s->parts_same_differ, s->editions,
				     s->errors->str);
	g_string_free(changed, TRUE);
	g_rw_lock_reader_unlock(&s->lock);
	return json;
}
