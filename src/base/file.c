/* file.c - reading source files, line maps, atomic writes (file.h). */
#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void build_line_map(gb_file *f)
{
	size_t n = 1;
	for (size_t i = 0; i < f->len; i++)
		if (f->data[i] == '\n')
			n++;
	f->lines = g_new(size_t, n);
	f->nlines = 0;
	f->lines[f->nlines++] = 0;
	for (size_t i = 0; i < f->len; i++)
		if (f->data[i] == '\n')
			f->lines[f->nlines++] = i + 1;
}

gb_file *gb_file_new(const char *shown_path, const char *data, size_t len)
{
	gb_file *f = g_new0(gb_file, 1);
	f->path = g_strdup(shown_path);
	f->data = g_malloc(len + 1);
	memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
	build_line_map(f);
	return f;
}

/* Writes len bytes of data to fd; false with *err_errno set on failure. */
static bool write_all(int fd, const void *data, size_t len, int *err_errno)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err_errno = n < 0 ? errno : EIO;
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* Writes len bytes of data to what path names as it is (a device, a pipe). */
static bool write_through(const char *path, const void *data, size_t len,
			  int *err_errno)
{
	int fd = g_open(path, O_WRONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		*err_errno = errno;
		return false;
	}
	bool ok = write_all(fd, data, len, err_errno);
	if (close(fd) != 0 && ok) {
		*err_errno = errno;
		ok = false;
	}
	return ok;
}

bool gb_file_write_atomic(const char *path, const void *data, size_t len,
			  int *err_errno)
{
	/* a device or a pipe (/dev/null, /dev/stdout, a FIFO) is written to,
	   not replaced by a file renamed over it */
	GStatBuf st;
	if (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return write_through(path, data, len, err_errno);
	/* a temporary file beside it, renamed over it once complete: readers
	   and a failed build see the old file or the new one, never a part.
	   No fsync, as compilers do: a rename over an existing file is
	   ordered after its data on ext4, XFS and Btrfs, and a build can be
	   run again */
	char *tmp = g_strconcat(path, ".XXXXXX", NULL);
	int fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0666);
	bool ok = fd >= 0;
	if (!ok)
		*err_errno = errno;
	if (ok)
		ok = write_all(fd, data, len, err_errno);
	if (fd >= 0 && close(fd) != 0 && ok) {
		*err_errno = errno;
		ok = false;
	}
	if (ok && g_rename(tmp, path) != 0) {
		*err_errno = errno;
		ok = false;
	}
	if (!ok && fd >= 0)
		g_unlink(tmp);
	g_free(tmp);
	return ok;
}

/*
 * Reads what is left of fd (a regular file of about size bytes), NUL
 * terminated, into *data and *len; false with *err_errno (EFBIG past
 * GB_MAX_FILE: the file may have grown since it was looked at).
 */
static bool read_all(int fd, gsize size, gchar **data, gsize *len, int *err_errno)
{
	gsize cap = size + 1, n = 0;
	gchar *buf = g_malloc(cap);
	for (;;) {
		if (n + 1 == cap) {
			if (cap > GB_MAX_FILE) {
				g_free(buf);
				*err_errno = EFBIG;
				return false;
			}
			cap *= 2;
			buf = g_realloc(buf, cap);
		}
		ssize_t got = read(fd, buf + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*err_errno = errno;
			g_free(buf);
			return false;
		}
		if (got == 0)
			break;
		n += (gsize)got;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return true;
}

gb_file *gb_file_read(const char *path, const char *shown_path, int *err_errno)
{
	/* opened without blocking, then looked at, then read from the very
	   file looked at: a FIFO or a device would block, or never end */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*err_errno = errno;
		return NULL;
	}
	struct stat st;
	gchar *data = NULL;
	gsize len = 0;
	bool ok = false;
	if (fstat(fd, &st) != 0)
		*err_errno = errno;
	else if (S_ISDIR(st.st_mode))
		*err_errno = EISDIR;
	else if (!S_ISREG(st.st_mode))
		*err_errno = ENODEV;
	else if (st.st_size > GB_MAX_FILE)
		*err_errno = EFBIG;
	else
		ok = read_all(fd, (gsize)st.st_size, &data, &len, err_errno);
	close(fd);
	if (!ok)
		return NULL;
	gb_file *f = g_new0(gb_file, 1);
	f->path = g_strdup(shown_path);
	f->data = data;
	f->len = len;
	build_line_map(f);
	return f;
}

void gb_file_free(gb_file *f)
{
	if (!f)
		return;
	g_free(f->path);
	g_free(f->data);
	g_free(f->lines);
	g_free(f);
}

gb_loc gb_loc_at(const gb_file *f, size_t off)
{
	gb_loc loc = { f, off };
	return loc;
}

size_t gb_file_offset(const gb_file *f, int line, int bytecol)
{
	if (line < 1)
		return 0;
	if ((size_t)line > f->nlines)
		return f->len;
	size_t start = f->lines[line - 1];
	size_t end = (size_t)line < f->nlines ? f->lines[line] : f->len;
	size_t off = start + (size_t)(bytecol > 1 ? bytecol - 1 : 0);
	return off < end ? off : (end > start ? end - 1 : start);
}

bool gb_file_linecol(gb_loc loc, int *line, int *col)
{
	const gb_file *f = loc.file;
	if (!f || loc.off == GB_NOPOS)
		return false;
	size_t off = loc.off > f->len ? f->len : loc.off;
	/* binary search for the last line start <= off */
	size_t lo = 0, hi = f->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	int c = 1;
	const char *p = f->data + f->lines[lo];
	const char *end = f->data + off;
	while (p < end) {
		gunichar u = g_utf8_get_char_validated(p, end - p);
		if (u == (gunichar)-1 || u == (gunichar)-2)
			p++; /* an invalid byte is one column */
		else
			p = g_utf8_next_char(p);
		c++;
	}
	*line = (int)lo + 1;
	*col = c;
	return true;
}
