/* fonts.c - the book's font set (fonts/MANIFEST). */
#include "design/fonts.h"
#include "base/cache.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The manifest's columns, in order. */
enum {
	COL_FAMILY,
	COL_STYLE,
	COL_FILE,
	COL_PACKAGE,
	COL_SHA256,
	COL_LICENCE,
	COL_COUNT
};

/* Sorts the manifest's messages after the book's and the style's files. */
#define MANIFEST_INDEX 1002

/* Frees one font; for the set's GPtrArray. */
static void font_free(gpointer p)
{
	gb_font *f = p;
	if (!f)
		return;
	g_free(f->family);
	g_free(f->style);
	g_free(f->file);
	g_free(f->path);
	g_free(f->package);
	g_free(f->sha256);
	g_free(f->licence);
	g_free(f);
}

/* Frees set, its fonts and its FcConfig; NULL is allowed. */
void gb_fontset_free(gb_fontset *set)
{
	if (!set)
		return;
	g_ptr_array_unref(set->fonts);
	g_ptr_array_unref(set->licences);
	if (set->fc)
		set->fc_destroy(set->fc);
	gb_file_free(set->manifest);
	g_free(set->dir);
	g_free(set);
}

/* Whether s is a name usable as a file in the fonts directory. */
static bool plain_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* Whether s is a SHA-256 in lowercase hexadecimal. */
static bool is_sha256(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!g_ascii_isxdigit(s[n]) || g_ascii_isupper(s[n]))
			return false;
	return n == 64;
}

/*
 * Parses one manifest line (without its newline) at loc into a new font of
 * the set's directory.  Returns NULL after reporting why; the caller frees
 * the font with font_free().
 */
static gb_font *parse_line(const char *dir, const char *line, gb_loc loc,
			   gb_diag *d)
{
	gb_font *ret = NULL;
	char **col = g_strsplit(line, "\t", -1);
	guint n = g_strv_length(col);
	if (n != COL_COUNT) {
		gb_error(d, loc, "malformed font manifest line: %u tab-separated "
			 "fields instead of %d (family, style, file, package, "
			 "sha256, licence)", n, COL_COUNT);
		goto out;
	}
	for (guint i = 0; i < n; i++) {
		g_strstrip(col[i]);
		if (!*col[i]) {
			gb_error(d, loc, "malformed font manifest line: "
				 "field %u is empty", i + 1);
			goto out;
		}
	}
	for (int i = COL_FILE; i <= COL_PACKAGE; i++) {
		if (!plain_name(col[i])) {
			gb_error(d, loc, "malformed font manifest line: '%s' "
				 "must be a plain name, without '/'", col[i]);
			goto out;
		}
	}
	if (!is_sha256(col[COL_SHA256])) {
		gb_error(d, loc, "malformed font manifest line: '%s' is not a "
			 "sha256 in lowercase hexadecimal", col[COL_SHA256]);
		goto out;
	}
	gb_font *f = g_new0(gb_font, 1);
	f->family = g_strdup(col[COL_FAMILY]);
	f->style = g_strdup(col[COL_STYLE]);
	f->file = g_strdup(col[COL_FILE]);
	f->path = g_build_filename(dir, col[COL_FILE], NULL);
	f->package = g_strdup(col[COL_PACKAGE]);
	f->sha256 = g_strdup(col[COL_SHA256]);
	f->licence = g_strdup(col[COL_LICENCE]);
	f->weight = strstr(f->style, "Bold") ? 700 : 400;
	/* DejaVu's slanted faces are "Oblique" */
	f->italic = strstr(f->style, "Italic") || strstr(f->style, "Oblique");
	ret = f;
out:
	g_strfreev(col);
	return ret;
}

/*
 * The path of the marker saying that f, as it is now (its real path,
 * device, inode, size, and modification and change times), was found to
 * have its manifest's sum; NULL when the file cannot be looked at or
 * GSI_BOOK_NO_CACHE is set.  The change time, which no one can set back,
 * tells a file rewritten in place with its size and modification time
 * kept (cp -p, rsync -t, touch -r), as hyphdict.c's cache entry does.
 */
static char *verified_marker(const gb_font *f)
{
	GStatBuf st;
	if (!gb_cache_on() || g_stat(f->path, &st) != 0)
		return NULL;
	char *real = realpath(f->path, NULL);
	char *key = g_strdup_printf("%s|%llu %llu|%lld|%lld.%09ld %lld.%09ld|%s",
				    real ? real : f->path, (unsigned long long)st.st_dev,
				    (unsigned long long)st.st_ino, (long long)st.st_size,
				    (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
				    (long long)st.st_ctim.tv_sec, (long)st.st_ctim.tv_nsec,
				    f->sha256);
	free(real);
	char *name = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
	char *path = gb_cache_path("verified", name);
	g_free(name);
	g_free(key);
	return path;
}

/*
 * Checks that font f is in the set's directory.  Returns false after
 * reporting why at its line.
 */
static bool font_present(const gb_fontset *set, const gb_font *f, gb_diag *d)
{
	if (g_file_test(f->path, G_FILE_TEST_EXISTS))
		return true;
	gb_error(d, f->loc, "font '%s' is missing from '%s': run 'make' to "
		 "copy it from the Debian package '%s'", f->file, set->dir,
		 f->package);
	return false;
}

/* One font to check: read on any thread, reported in the manifest's order. */
typedef struct sum_job {
	const gb_font *f;
	goffset size;      /* to start with the largest */
	char *sum;         /* its SHA-256, or NULL: see error */
	char *error;       /* why it could not be read */
} sum_job;

/* Reads j's font and computes its sum. */
static void compute_sum(sum_job *j)
{
	GError *error = NULL;
	GMappedFile *map = g_mapped_file_new(j->f->path, FALSE, &error);
	if (!map) {
		j->error = g_strdup(error->message);
		g_error_free(error);
		return;
	}
	j->sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
					     (const guchar *)g_mapped_file_get_contents(map),
					     g_mapped_file_get_length(map));
	g_mapped_file_unref(map);
}

/* The jobs, largest first, taken one at a time by each thread. */
typedef struct sum_work {
	sum_job **order;
	guint n;
	gint next;
} sum_work;

static gpointer sum_worker(gpointer p)
{
	sum_work *w = p;
	for (;;) {
		guint i = (guint)g_atomic_int_add(&w->next, 1);
		if (i >= w->n)
			break;
		compute_sum(w->order[i]);
	}
	return NULL;
}

static gint by_size_down(gconstpointer a, gconstpointer b)
{
	const sum_job *x = *(sum_job *const *)a, *y = *(sum_job *const *)b;
	return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

/* Computes the sums of jobs on up to as many threads as there are cores
   (this one among them), the largest files first. */
static void compute_sums(sum_job *jobs, guint n)
{
	if (n == 0)
		return;
	sum_work w = { g_new(sum_job *, n), n, 0 };
	for (guint i = 0; i < n; i++)
		w.order[i] = &jobs[i];
	qsort(w.order, n, sizeof *w.order, by_size_down);
	guint threads = MIN((guint)g_get_num_processors(), n);
	GThread **extra = g_new0(GThread *, threads);
	for (guint i = 1; i < threads; i++)
		extra[i] = g_thread_new("gb-font-sum", sum_worker, &w);
	sum_worker(&w);
	for (guint i = 1; i < threads; i++)
		g_thread_join(extra[i]);
	g_free(extra);
	g_free(w.order);
}

/* Whether family is one of families (NULL: all are). */
static bool among(char *const *families, const char *family)
{
	if (!families)
		return true;
	for (char *const *f = families; *f; f++)
		if (!strcmp(*f, family))
			return true;
	return false;
}

bool gb_fontset_verify(gb_fontset *set, char *const *families, gb_diag *d)
{
	bool ok = true;
	guint n = 0;
	sum_job *jobs = g_new0(sum_job, set->fonts->len);
	char **markers = g_new0(char *, set->fonts->len);
	for (guint i = 0; i < set->fonts->len; i++) {
		const gb_font *f = set->fonts->pdata[i];
		if (!among(families, f->family))
			continue;
		/* a file whose sum was checked before, unchanged since (same
		   size and times), need not be read again: a marker in the
		   user's cache says so */
		char *marker = verified_marker(f);
		if (marker && g_file_test(marker, G_FILE_TEST_EXISTS)) {
			g_free(marker);
			continue;
		}
		GStatBuf st;
		jobs[n].f = f;
		jobs[n].size = g_stat(f->path, &st) == 0 ? (goffset)st.st_size : 0;
		markers[n++] = marker;
	}
	compute_sums(jobs, n);
	for (guint i = 0; i < n; i++) {
		const gb_font *f = jobs[i].f;
		if (!jobs[i].sum) {
			gb_error(d, f->loc, "cannot read font '%s': %s", f->path,
				 jobs[i].error);
			ok = false;
		} else if (strcmp(jobs[i].sum, f->sha256)) {
			gb_error(d, f->loc, "font '%s' does not match its sha256 in the "
				 "manifest: expected %s, actual %s; run 'make' to copy "
				 "it again from the Debian package '%s'", f->path,
				 f->sha256, jobs[i].sum, f->package);
			ok = false;
		} else if (markers[i]) {
			gb_cache_put(markers[i], "", 0);
		}
		g_free(markers[i]);
		g_free(jobs[i].sum);
		g_free(jobs[i].error);
	}
	g_free(markers);
	g_free(jobs);
	if (!ok)
		gb_diag_flush(d);
	return ok;
}

/*
 * Finds the licence file of package (dir/PACKAGE.copyright) and adds its
 * path to the set.  Returns false after reporting why.
 */
static bool add_licence(gb_fontset *set, const char *package, gb_loc loc,
			gb_diag *d)
{
	char *name = g_strconcat(package, ".copyright", NULL);
	char *path = g_build_filename(set->dir, name, NULL);
	bool ret = false;
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		gb_error(d, loc, "licence '%s' is missing from '%s': run 'make' "
			 "to copy it from the Debian package '%s'", name,
			 set->dir, package);
		goto out;
	}
	g_ptr_array_add(set->licences, path);
	path = NULL;
	ret = true;
out:
	g_free(path);
	g_free(name);
	return ret;
}

/*
 * Reads the manifest f into set, finding each font and each package's
 * licence.  Returns false after reporting every problem at its line.
 */
static bool read_manifest(gb_fontset *set, const gb_file *f, gb_diag *d)
{
	bool ok = true;
	GHashTable *packages = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < f->nlines; i++) {
		size_t start = f->lines[i];
		size_t end = i + 1 < f->nlines ? f->lines[i + 1] : f->len;
		while (end > start && (f->data[end - 1] == '\n' ||
				       f->data[end - 1] == '\r'))
			end--;
		const char *p = f->data + start;
		while (p < f->data + end && g_ascii_isspace(*p))
			p++;
		if (p == f->data + end || f->data[start] == '#')
			continue;       /* a blank line or a comment */
		char *line = g_strndup(f->data + start, end - start);
		gb_loc loc = gb_loc_at(f, start);
		gb_font *font = parse_line(set->dir, line, loc, d);
		g_free(line);
		if (!font) {
			ok = false;
			continue;
		}
		font->loc = loc;
		if (gb_fontset_find(set, font->family, font->weight,
				    font->italic)) {
			gb_error(d, loc, "font '%s %s' is listed twice in the "
				 "manifest", font->family, font->style);
			font_free(font);
			ok = false;
			continue;
		}
		g_ptr_array_add(set->fonts, font);
		ok = font_present(set, font, d) && ok;
		/* a licence per package, found once */
		if (g_hash_table_add(packages, font->package))
			ok = add_licence(set, font->package, loc, d) && ok;
	}
	g_hash_table_destroy(packages);
	if (ok && set->fonts->len == 0) {
		gb_error(d, gb_loc_at(f, GB_NOPOS), "the font manifest lists no "
			 "fonts");
		ok = false;
	}
	return ok;
}

/*
 * Reads dir/MANIFEST and finds the fonts and licences it names.  Returns
 * NULL after reporting every problem (printed at once, as the manifest's
 * gb_file goes when this fails); the caller frees the set, which keeps the
 * manifest for gb_fontset_verify()'s messages.
 */
gb_fontset *gb_fontset_load(const char *dir, gb_diag *d)
{
	gb_fontset *ret = NULL;
	gb_fontset *set = g_new0(gb_fontset, 1);
	set->dir = g_strdup(dir);
	set->fonts = g_ptr_array_new_with_free_func(font_free);
	set->licences = g_ptr_array_new_with_free_func(g_free);
	char *path = g_build_filename(dir, "MANIFEST", NULL);
	int e = 0;
	gb_file *f = gb_file_read(path, path, &e);
	if (!f) {
		gb_error(d, gb_noloc(), "cannot read the font manifest '%s': %s",
			 path, g_strerror(e));
		goto out;
	}
	f->index = MANIFEST_INDEX;
	int errors = gb_diag_errors(d);
	bool ok = read_manifest(set, f, d);
	/* the messages point into f: print them before it goes */
	if (gb_diag_errors(d) != errors)
		gb_diag_flush(d);
	if (ok) {
		set->manifest = f;   /* the fonts' locs point into it */
		f = NULL;
		ret = set;
		set = NULL;
	}
out:
	gb_file_free(f);
	g_free(path);
	gb_fontset_free(set);
	return ret;
}

/* The font of family, weight and slant exactly, or NULL; the set owns it. */
const gb_font *gb_fontset_find(const gb_fontset *set, const char *family,
			       int weight, bool italic)
{
	for (guint i = 0; i < set->fonts->len; i++) {
		const gb_font *f = set->fonts->pdata[i];
		if (!strcmp(f->family, family) && f->weight == weight &&
		    f->italic == italic)
			return f;
	}
	return NULL;
}

/* Whether some face of the set is of family. */
static bool has_family(const gb_fontset *set, const char *family)
{
	for (guint i = 0; i < set->fonts->len; i++)
		if (!strcmp(((const gb_font *)set->fonts->pdata[i])->family, family))
			return true;
	return false;
}

bool gb_fontset_check_style(const gb_fontset *set, const gb_style *style,
			    gb_diag *d)
{
	bool ok = true;
	static const char *const keys[] = { "fonts.body", "fonts.heading", "fonts.mono" };
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		const char *family = gb_style_need(style, keys[i], d);
		if (!family) {
			ok = false;
		} else if (!has_family(set, family)) {
			gb_error(d, gb_style_loc(style, keys[i], -1), "style '%s': "
				 "no font of family '%s' is in '%s/MANIFEST'",
				 keys[i], family, set->dir);
			ok = false;
		}
	}
	char **fallbacks = gb_style_list(style, "fonts.fallbacks");
	for (int i = 0; fallbacks[i]; i++) {
		if (has_family(set, fallbacks[i]))
			continue;
		gb_error(d, gb_style_loc(style, "fonts.fallbacks", i), "style "
			 "'fonts.fallbacks': no font of family '%s' is in '%s/MANIFEST'",
			 fallbacks[i], set->dir);
		ok = false;
	}
	g_strfreev(fallbacks);
	return ok;
}
