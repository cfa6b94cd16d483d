/* zip.c - the zip: its entries and the package's items, entries deflated (cached by their names), then libzip (ep.h) */
#include "epub/ep.h"

/* ---- entries and items ---- */

void gb_ep_entry_free(entry *e)
{
	g_free(e->name);
	g_bytes_unref(e->data);
	g_free(e->key);
	if (e->packed)
		g_bytes_unref(e->packed);
	g_free(e);
}

void gb_ep_item_free(item *it)
{
	g_free(it->id);
	g_free(it->href);
	g_free(it->media_type);
	g_free(it->properties);
	g_free(it);
}

/* Adds a file to the zip (the EPUB/ prefix is added for package files). */
void gb_ep_add_entry(epub *e, const char *name, GBytes *data, bool store)
{
	entry *en = g_new0(entry, 1);
	en->name = g_strdup(name);
	en->data = data;
	en->store = store;
	g_ptr_array_add(e->entries, en);
}

/* Adds a package file: to the zip under EPUB/ and to the manifest. */
item *gb_ep_add_item(epub *e, const char *id, const char *href,
		      const char *media_type, const char *properties,
		      GBytes *data)
{
	item *it = g_new0(item, 1);
	it->id = g_strdup(id);
	it->href = g_strdup(href);
	it->media_type = g_strdup(media_type);
	it->properties = properties ? g_strdup(properties) : NULL;
	g_ptr_array_add(e->items, it);
	char *name = g_strconcat("EPUB/", href, NULL);
	gb_ep_add_entry(e, name, data, false);
	g_free(name);
	return it;
}

void gb_ep_add_spine(epub *e, item *it, bool linear)
{
	it->spine = true;
	it->linear = linear;
	g_ptr_array_add(e->spine, it);
}

GBytes *gb_ep_string_bytes(GString *s)
{
	return g_string_free_to_bytes(s);
}

/* ---- the zip ---- */

/* The DOS date and time of t (UTC), clamped to what zip can hold. */
static void dos_time(gint64 t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	GDateTime *dt = g_date_time_new_from_unix_utc(MAX(t, 315532800));
	int y = g_date_time_get_year(dt);
	if (y > 2107) {
		g_date_time_unref(dt);
		dt = g_date_time_new_utc(2107, 12, 31, 23, 59, 58);
		y = 2107;
	}
	*ddate = (zip_uint16_t)(((y - 1980) << 9) | (g_date_time_get_month(dt) << 5) |
				g_date_time_get_day_of_month(dt));
	*dtime = (zip_uint16_t)((g_date_time_get_hour(dt) << 11) |
				(g_date_time_get_minute(dt) << 5) |
				(g_date_time_get_second(dt) / 2));
	g_date_time_unref(dt);
}

/*
 * Deflating.  The entries are deflated here, one after the other with one
 * zlib stream (threads of their own paid nothing: 65.5 ms against 65.8 ms
 * for the EPUB of a 300-page book, the best of 7 runs of each, in turn), with
 * zlib at the settings libzip uses at level 1 (raw deflate, 32 KiB window,
 * memory level 9), so the bytes are those libzip would write itself; libzip
 * then takes the deflated data as it is (packed_source).  An entry whose
 * bytes have a name (a font subset) is deflated once: the result is kept
 * in the user's cache under that name and zlib's version.
 */

enum { DEFLATE_LEVEL = 1 };

static bool to_deflate(const entry *en)
{
	/* pictures are compressed already: stored, they cost nothing */
	return !en->store && !g_str_has_suffix(en->name, ".png") &&
	       !g_str_has_suffix(en->name, ".jpg") && !g_str_has_suffix(en->name, ".jpeg") &&
	       !g_str_has_suffix(en->name, ".gif");
}

static char *deflated_path(const entry *en)
{
	char *id = g_strdup_printf("%s\nzlib %s, raw deflate, level %d, memory level %d, 2",
				   en->key, zlibVersion(), DEFLATE_LEVEL, MAX_MEM_LEVEL);
	char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, id, -1);
	char *path = gb_cache_path("deflated", sum);
	g_free(sum);
	g_free(id);
	return path;
}

/*
 * A cached deflated entry: the CRC-32 and size of what it holds, the
 * CRC-32 of the deflated data (little-endian), then the deflated data.
 */
enum { DEFLATED_HEAD = 16 };

static bool deflated_from_cache(entry *en, const char *path, gsize len)
{
	GBytes *c = gb_cache_get(path, DEFLATED_HEAD + 1);
	if (!c)
		return false;
	gsize n = 0;
	const guint8 *p = g_bytes_get_data(c, &n);
	guint32 crc = gb_le32_read(p);
	guint64 size = 0;
	for (int i = 0; i < 8; i++)
		size |= (guint64)p[4 + i] << (8 * i);
	const void *data = g_bytes_get_data(en->data, NULL);
	bool ok = size == len && crc == crc32_z(0, data, len) &&
		  gb_le32_read(p + 12) == crc32_z(0, p + DEFLATED_HEAD, n - DEFLATED_HEAD);
	if (ok) {
		en->crc = crc;
		en->packed = g_bytes_new_from_bytes(c, DEFLATED_HEAD, n - DEFLATED_HEAD);
	}
	g_bytes_unref(c);
	return ok;
}

/*
 * Deflates en with z, a stream set up by deflateInit2() and reset for
 * each entry (zlib allocates and clears some 400 KiB for a stream: once
 * per thread, not once per entry).
 */
static void deflate_entry(entry *en, z_stream *z)
{
	gsize len = 0;
	const Bytef *data = g_bytes_get_data(en->data, &len);
	char *path = en->key ? deflated_path(en) : NULL;
	if (path && deflated_from_cache(en, path, len)) {
		g_free(path);
		return;
	}
	if (len > G_MAXUINT / 2 || deflateReset(z) != Z_OK) {
		g_free(path);
		return; /* libzip deflates it */
	}
	uLong bound = deflateBound(z, (uLong)len);
	guint8 *out = g_malloc(DEFLATED_HEAD + bound);
	z->next_in = (Bytef *)data;
	z->avail_in = (uInt)len;
	z->next_out = out + DEFLATED_HEAD;
	z->avail_out = (uInt)bound;
	int rc = deflate(z, Z_FINISH);
	gsize zlen = z->total_out;
	if (rc != Z_STREAM_END) {
		g_free(out);
		g_free(path);
		return;
	}
	en->crc = (guint32)crc32_z(0, data, len);
	gb_le32_write(out, en->crc);
	for (int i = 0; i < 8; i++)
		out[4 + i] = (guint8)((guint64)len >> (8 * i));
	guint32 zcrc = (guint32)crc32_z(0, out + DEFLATED_HEAD, zlen);
	gb_le32_write(out + 12, zcrc);
	if (path)
		gb_cache_put(path, out, DEFLATED_HEAD + zlen);
	GBytes *all = g_bytes_new_take(out, DEFLATED_HEAD + zlen);
	en->packed = g_bytes_new_from_bytes(all, DEFLATED_HEAD, zlen);
	g_bytes_unref(all);
	g_free(path);
}

/*
 * Deflates the entries that are deflated, with one zlib stream set up
 * once and reset for each (zlib allocates and clears some 400 KiB for a
 * stream).
 */
static void deflate_entries(epub *e)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS,
			 MAX_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	for (guint i = 0; i < e->entries->len; i++) {
		entry *en = g_ptr_array_index(e->entries, i);
		if (to_deflate(en))
			deflate_entry(en, &z);
	}
	deflateEnd(&z);
}

static zip_int64_t packed_source(void *user, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	packed_src *s = user;
	gsize n = 0;
	const guint8 *p = g_bytes_get_data(s->en->packed, &n);
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		s->off = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		gsize k = MIN(n - s->off, (gsize)len);
		memcpy(data, p + s->off, k);
		s->off += k;
		return (zip_int64_t)k;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
			    ZIP_STAT_CRC | ZIP_STAT_ENCRYPTION_METHOD;
		st->size = g_bytes_get_size(s->en->data);
		st->comp_size = n;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = s->en->crc;
		st->encryption_method = ZIP_EM_NONE;
		return sizeof *st;
	}
	case ZIP_SOURCE_GET_FILE_ATTRIBUTES: {
		/* what libzip's own deflate says of level 1: "fast" */
		zip_file_attributes_t *a = data;
		zip_file_attributes_init(a);
		a->valid = ZIP_FILE_ATTRIBUTES_VERSION_NEEDED |
			   ZIP_FILE_ATTRIBUTES_GENERAL_PURPOSE_BIT_FLAGS;
		a->version_needed = 20;
		a->general_purpose_bit_flags = 2 << 1;
		a->general_purpose_bit_mask = 0x0006;
		return sizeof *a;
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->error, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&s->error);
		g_free(s);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
			ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
			ZIP_SOURCE_SUPPORTS, ZIP_SOURCE_GET_FILE_ATTRIBUTES, -1);
	default:
		zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static zip_source_t *entry_source(zip_t *za, const entry *en)
{
	if (en->packed) {
		packed_src *s = g_new0(packed_src, 1);
		s->en = en;
		zip_error_init(&s->error);
		zip_source_t *src = zip_source_function(za, packed_source, s);
		if (!src) {
			zip_error_fini(&s->error);
			g_free(s);
		}
		return src;
	}
	gsize len = 0;
	const void *data = g_bytes_get_data(en->data, &len);
	return zip_source_buffer(za, data, len, 0);
}

GBytes *gb_ep_zip_all(epub *e)
{
	GBytes *ret = NULL;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = NULL;
	if (!buf)
		goto fail;
	zip_source_keep(buf);
	za = zip_open_from_source(buf, ZIP_TRUNCATE, &ze);
	if (!za)
		goto fail;
	zip_uint16_t dtime, ddate;
	dos_time(e->opt->timestamp, &dtime, &ddate);
	deflate_entries(e);
	for (guint i = 0; i < e->entries->len; i++) {
		entry *en = g_ptr_array_index(e->entries, i);
		zip_source_t *s = entry_source(za, en);
		zip_int64_t ix = s ? zip_file_add(za, en->name, s, ZIP_FL_ENC_UTF_8) : -1;
		if (ix < 0) {
			zip_source_free(s);
			goto fail_archive;
		}
		bool deflated = to_deflate(en);
		if (zip_set_file_compression(za, (zip_uint64_t)ix,
					     deflated ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
					     deflated ? DEFLATE_LEVEL : 0) < 0 ||
		    zip_file_set_dostime(za, (zip_uint64_t)ix, dtime, ddate, 0) < 0 ||
		    zip_file_set_external_attributes(za, (zip_uint64_t)ix, 0,
						     ZIP_OPSYS_UNIX, 0100644u << 16) < 0)
			goto fail_archive;
	}
	if (zip_close(za) < 0)
		goto fail_archive;
	za = NULL;
	zip_stat_t st;
	if (zip_source_stat(buf, &st) < 0 || zip_source_open(buf) < 0)
		goto fail;
	guint8 *data = g_malloc(st.size ? st.size : 1);
	zip_int64_t got = zip_source_read(buf, data, st.size);
	zip_source_close(buf);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		g_free(data);
		goto fail;
	}
	ret = g_bytes_new_take(data, st.size);
	zip_source_free(buf);
	return ret;
fail_archive:
	gb_error(e->d, gb_noloc(), "cannot build the EPUB archive: %s",
		 zip_strerror(za));
	zip_discard(za);
	zip_source_free(buf);
	return NULL;
fail:
	gb_error(e->d, gb_noloc(), "cannot build the EPUB archive: %s",
		 zip_error_strerror(&ze));
	if (za)
		zip_discard(za);
	if (buf)
		zip_source_free(buf);
	zip_error_fini(&ze);
	return NULL;
}
