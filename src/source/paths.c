/* paths.c - the files a book names: paths inside the book directory, images (paths.h). */
#include "source/paths.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source/image.h"

/* How a path inside the book is shown: "book/x.md", or "x.md" for ".". */
char *gb_book_shown_path(const char *dir, const char *rel)
{
	if (!strcmp(dir, "."))
		return g_strdup(rel);
	char *d = g_strdup(dir);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	char *p = g_strconcat(d, strcmp(d, "/") ? "/" : "", rel, NULL);
	g_free(d);
	return p;
}

/* Whether rel, taken lexically, climbs out of its starting directory. */
static bool climbs_out(const char *rel)
{
	int depth = 0;
	gchar **parts = g_strsplit(rel, "/", -1);
	bool out = false;
	for (gchar **p = parts; *p && !out; p++) {
		if (!**p || !strcmp(*p, "."))
			continue;
		depth += strcmp(*p, "..") ? 1 : -1;
		out = depth < 0;
	}
	g_strfreev(parts);
	return out;
}

char *gb_book_path(const gb_book *book, const char *base, const char *rel,
		   const char *what, gb_loc loc, gb_diag *d)
{
	if (g_path_is_absolute(rel)) {
		gb_error(d, loc, "%s '%s' is an absolute path: name a file inside the book directory",
			 what, rel);
		return NULL;
	}
	char *inbook = base ? g_build_filename(base, rel, NULL) : g_strdup(rel);
	if (climbs_out(inbook)) {
		gb_error(d, loc, "%s '%s' is outside the book directory", what, rel);
		g_free(inbook);
		return NULL;
	}
	char *path = g_build_filename(book->dir, inbook, NULL);
	g_free(inbook);
	char real_dir[PATH_MAX], real[PATH_MAX];
	if (!realpath(book->dir, real_dir)) {
		gb_error(d, loc, "cannot resolve the book directory '%s': %s",
			 book->dir, g_strerror(errno));
		g_free(path);
		return NULL;
	}
	if (!realpath(path, real)) {
		int e = errno;
		struct stat st;
		if (e == ENOENT && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			gb_error(d, loc, "%s '%s' is a broken symbolic link", what, rel);
		else
			gb_error(d, loc, "cannot open %s '%s': %s", what, rel,
				 g_strerror(e));
		g_free(path);
		return NULL;
	}
	size_t n = strlen(real_dir);
	bool inside = !strncmp(real, real_dir, n) &&
		      (real[n] == '/' || (n == 1 && real_dir[0] == '/'));
	if (!inside) {
		gb_error(d, loc, "%s '%s' leads outside the book directory (through a symbolic link)",
			 what, rel);
		g_free(path);
		return NULL;
	}
	/* a regular file: a FIFO or a device would block a build, or never end */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			gb_error(d, loc, "%s '%s' is a directory, not a file", what, rel);
		else
			gb_error(d, loc, "%s '%s' is not a regular file (%s)", what, rel,
				 S_ISFIFO(st.st_mode) ? "a FIFO" :
				 S_ISSOCK(st.st_mode) ? "a socket" : "a device");
		g_free(path);
		return NULL;
	}
	return path;
}

/* Why gb_file_read() failed with errno e, for a message; the caller frees it. */
char *gb_read_error(int e)
{
	return e == ENODEV ? g_strdup("not a regular file (a FIFO or a device)")
	       : e == EFBIG ? g_strdup_printf("larger than %d MiB, the most a book's file "
					      "may hold", GB_MAX_FILE >> 20)
	       : g_strdup(g_strerror(e));
}

bool gb_book_check_image(const char *path, const char *rel, const char *what,
			 gb_loc loc, gb_diag *d)
{
	const char *type = gb_image_media_type(rel);
	if (!type)
		return false;
	/* read as every file of the book is: opened once, never blocking */
	int e = 0;
	gb_file *f = gb_file_read(path, rel, &e);
	if (!f) {
		char *why = gb_read_error(e);
		gb_error(d, loc, "cannot read %s '%s': %s", what, rel, why);
		g_free(why);
		return false;
	}
	char *why = NULL;
	bool ok = gb_image_check((const unsigned char *)f->data, f->len, type, &why);
	if (!ok)
		gb_error(d, loc, "%s '%s' %s", what, rel, why);
	g_free(why);
	gb_file_free(f);
	return ok;
}

const char *gb_image_media_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return NULL;
	if (!g_ascii_strcasecmp(dot, ".png"))
		return "image/png";
	if (!g_ascii_strcasecmp(dot, ".jpg") || !g_ascii_strcasecmp(dot, ".jpeg"))
		return "image/jpeg";
	if (!g_ascii_strcasecmp(dot, ".gif"))
		return "image/gif";
	if (!g_ascii_strcasecmp(dot, ".svg"))
		return "image/svg+xml";
	return NULL;
}
