/* cache.c - the user's cache, its keys and its entries (cache.h). */
#include "base/cache.h"

#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>

#include "base/file.h"

bool gb_cache_on(void)
{
	const char *off = g_getenv("GSI_BOOK_NO_CACHE");
	return !(off && *off);
}

char *gb_cache_path(const char *kind, const char *name)
{
	return g_build_filename(g_get_user_cache_dir(), "gsi-book", kind, name, NULL);
}

GBytes *gb_cache_get(const char *path, gsize min)
{
	gchar *data = NULL;
	gsize len = 0;
	if (!path || !g_file_get_contents(path, &data, &len, NULL) || len < min) {
		g_free(data);
		return NULL;
	}
	return g_bytes_new_take(data, len);
}

void gb_le32_write(guint8 *p, guint32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (guint8)(v >> (8 * i));
}

void gb_le32_append(GByteArray *o, guint32 v)
{
	guint8 b[4];
	gb_le32_write(b, v);
	g_byte_array_append(o, b, 4);
}

guint32 gb_le32_read(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

bool gb_le32_take(const guint8 **p, const guint8 *end, guint32 *v)
{
	if (end - *p < 4)
		return false;
	*v = gb_le32_read(*p);
	*p += 4;
	return true;
}

GByteArray *gb_sealed_new(const char *magic)
{
	GByteArray *o = g_byte_array_new();
	g_byte_array_append(o, (const guint8 *)magic, (guint)strlen(magic) + 1);
	return o;
}

void gb_sealed_close(GByteArray *o, const char *magic)
{
	gsize m = strlen(magic) + 1;
	gb_le32_append(o, (guint32)crc32_z(0, o->data + m, o->len - m));
}

bool gb_sealed_open(GBytes *b, const char *magic, const guint8 **payload, gsize *len)
{
	gsize n = 0, m = strlen(magic) + 1;
	const guint8 *p = g_bytes_get_data(b, &n);
	if (n < m + 4 || memcmp(p, magic, m) ||
	    gb_le32_read(p + n - 4) != (guint32)crc32_z(0, p + m, n - m - 4))
		return false;
	*payload = p + m;
	*len = n - m - 4;
	return true;
}

void gb_cache_put(const char *path, const void *data, gsize len)
{
	char *dir = g_path_get_dirname(path);
	int e = 0;
	if (g_mkdir_with_parents(dir, 0777) == 0)
		gb_file_write_atomic(path, data, len, &e);
	g_free(dir);
}

char *gb_cache_file_identity(const char *path)
{
	GStatBuf st;
	if (!path || g_stat(path, &st) != 0)
		return NULL;
	return g_strdup_printf("%s|%lld|%lld.%09ld", path, (long long)st.st_size,
			       (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

void gb_cache_key_add(GChecksum *sum, const char *s)
{
	if (s)
		g_checksum_update(sum, (const guchar *)s, (gssize)strlen(s));
	g_checksum_update(sum, (const guchar *)"\x1f", 1);
}

bool gb_cache_key_program(GChecksum *sum)
{
	char *exe = g_file_read_link("/proc/self/exe", NULL);
	char *prog = gb_cache_file_identity(exe);
	g_free(exe);
	if (!prog)
		return false;
	gb_cache_key_add(sum, prog);
	g_free(prog);
	return true;
}

void gb_cache_keep(const char *path, GBytes *b)
{
	if (!b || !path)
		return;
	gsize n = 0;
	const void *p = g_bytes_get_data(b, &n);
	gb_cache_put(path, p, n);
}
