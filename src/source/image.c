/* image.c - is an image file whole, of its type, and of a sane size? */
#include "source/image.h"
#include "source/svg.h"

#include <glib.h>
#include <math.h>
#include <string.h>
#include <zlib.h>

static guint32 be32(const unsigned char *p)
{
	return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The kind of image data holds, by its first bytes, or NULL. */
static const char *sniff(const unsigned char *d, size_t len)
{
	if (len >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return "image/jpeg";
	if (len >= 6 && (!memcmp(d, "GIF87a", 6) || !memcmp(d, "GIF89a", 6)))
		return "image/gif";
	return NULL;
}

static const char *type_name(const char *media_type)
{
	return !strcmp(media_type, "image/png") ? "PNG" :
	       !strcmp(media_type, "image/jpeg") ? "JPEG" :
	       !strcmp(media_type, "image/gif") ? "GIF" : "SVG";
}

static bool size_ok(unsigned long w, unsigned long h, char **why)
{
	if (w == 0 || h == 0) {
		*why = g_strdup_printf("is %lu x %lu pixels: an image has pixels", w, h);
		return false;
	}
	if (w > GB_MAX_IMAGE_SIDE || h > GB_MAX_IMAGE_SIDE ||
	    (double)w * (double)h > (double)GB_MAX_IMAGE_PIXELS) {
		*why = g_strdup_printf("is %lu x %lu pixels: an image may have at most %d "
				       "pixels a side and %ld million in all",
				       w, h, GB_MAX_IMAGE_SIDE, GB_MAX_IMAGE_PIXELS / 1000000);
		return false;
	}
	return true;
}

/* PNG: every chunk whole with its checksum, IHDR first, IEND last. */
static bool check_png(const unsigned char *d, size_t len, char **why)
{
	size_t at = 8;
	bool first = true;
	unsigned long w = 0, h = 0;
	while (at < len) {
		if (len - at < 12) {
			*why = g_strdup("is cut short: the file ends inside it");
			return false;
		}
		guint32 n = be32(d + at);
		const unsigned char *type = d + at + 4;
		if (n > len - at - 12) {
			*why = g_strdup("is cut short: the file ends inside it");
			return false;
		}
		guint32 crc = (guint32)crc32(0L, type, (uInt)n + 4);
		if (crc != be32(d + at + 8 + n)) {
			*why = g_strdup_printf("is damaged: its '%.4s' chunk fails its checksum",
					       (const char *)type);
			return false;
		}
		if (first) {
			if (memcmp(type, "IHDR", 4) || n < 13) {
				*why = g_strdup("is damaged: it does not start with its header");
				return false;
			}
			w = be32(d + at + 8);
			h = be32(d + at + 12);
			first = false;
		}
		if (!memcmp(type, "IEND", 4))
			return size_ok(w, h, why);
		at += 12 + (size_t)n;
	}
	*why = g_strdup("is cut short: the file ends inside it");
	return false;
}

/* JPEG: a frame header with its size, and the end-of-image marker. */
static bool check_jpeg(const unsigned char *d, size_t len, char **why)
{
	size_t at = 2;
	unsigned long w = 0, h = 0;
	bool frame = false;
	while (at + 4 <= len) {
		if (d[at] != 0xff) {
			*why = g_strdup("is damaged: its markers are out of step");
			return false;
		}
		unsigned m = d[at + 1];
		if (m == 0xff) {            /* fill byte */
			at++;
			continue;
		}
		if (m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01) {
			at += 2;
			continue;
		}
		unsigned n = be16(d + at + 2);
		if (n < 2 || at + 2 + n > len)
			break;
		bool sof = m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
		if (sof && n >= 7) {
			h = be16(d + at + 5);
			w = be16(d + at + 7);
			frame = true;
		}
		if (m == 0xda) {
			/* the scans: the image ends with FF D9 (some files have
			   padding after it) */
			size_t end = len;
			while (end > at && (d[end - 1] == 0 || d[end - 1] == '\n' || d[end - 1] == '\r'))
				end--;
			if (end < at + 4 || d[end - 2] != 0xff || d[end - 1] != 0xd9) {
				*why = g_strdup("is cut short: it has no end-of-image marker");
				return false;
			}
			if (!frame) {
				*why = g_strdup("is damaged: it has no frame header");
				return false;
			}
			return size_ok(w, h, why);
		}
		at += 2 + n;
	}
	*why = g_strdup("is cut short: the file ends inside it");
	return false;
}

/* GIF: the screen's size, and the trailer. */
static bool check_gif(const unsigned char *d, size_t len, char **why)
{
	if (len < 14 || d[len - 1] != 0x3b) {
		*why = g_strdup("is cut short: it has no trailer");
		return false;
	}
	return size_ok((unsigned long)(d[6] | d[7] << 8), (unsigned long)(d[8] | d[9] << 8), why);
}

/* Whether the <!DOCTYPE at s has an internal subset: a '[' before its '>'. */
static bool doctype_has_subset(const char *s, const char *end)
{
	const char *open = memchr(s, '[', (size_t)(end - s));
	const char *close = memchr(s, '>', (size_t)(end - s));
	return open && open < (close ? close : end);
}

/* SVG: UTF-8 text whose first element is <svg>, with no DTD of its own
   (what is seen before parsing it). */
static bool svg_start(const unsigned char *d, size_t len, char **why)
{
	const char *s = (const char *)d, *end = s + len;
	if (!g_utf8_validate_len(s, len, NULL)) {
		*why = g_strdup("is not an SVG image: it is not UTF-8 text");
		return false;
	}
	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3;

	/* skip the XML declaration, comments, a doctype and white space */
	while (s < end) {
		while (s < end && g_ascii_isspace(*s))
			s++;
		if (end - s >= 4 && !memcmp(s, "<!--", 4)) {
			const char *c = g_strstr_len(s, end - s, "-->");
			s = c ? c + 3 : end;
		} else if (end - s >= 9 && !g_ascii_strncasecmp(s, "<!DOCTYPE", 9) &&
			   doctype_has_subset(s, end)) {
			/* an internal DTD can declare entities: external files
			   (XXE), or a billion laughs */
			*why = g_strdup("declares a DTD of its own: an SVG image may declare no "
					"entities (remove the [...] of its <!DOCTYPE>)");
			return false;
		} else if (end - s >= 2 && (!memcmp(s, "<?", 2) || !memcmp(s, "<!", 2))) {
			const char *c = memchr(s, '>', (size_t)(end - s));
			s = c ? c + 1 : end;
		} else {
			break;
		}
	}
	if (end - s < 5 || memcmp(s, "<svg", 4) ||
	    !(g_ascii_isspace(s[4]) || s[4] == '>' || s[4] == '/')) {
		*why = g_strdup("is not an SVG image: it does not start with <svg>");
		return false;
	}
	return true;
}

/* SVG: as svg_start(), and what either edition would take of it: inert,
   or refused (svg.h). */
static bool check_svg(const unsigned char *d, size_t len, char **why)
{
	if (!svg_start(d, len, why))
		return false;
	GBytes *inert = gb_svg_clean(d, len, why);
	if (!inert)
		return false;
	g_bytes_unref(inert);
	return true;
}

bool gb_image_check(const unsigned char *data, size_t len, const char *media_type,
		    char **why)
{
	*why = NULL;
	if (!strcmp(media_type, "image/svg+xml"))
		return check_svg(data, len, why);
	const char *is = sniff(data, len);
	if (!is) {
		*why = len ? g_strdup_printf("is not a %s image: its content is no image at all",
					     type_name(media_type))
			   : g_strdup("is empty");
		return false;
	}
	if (strcmp(is, media_type)) {
		*why = g_strdup_printf("is a %s image, but its name says %s: rename it",
				       type_name(is), type_name(media_type));
		return false;
	}
	if (!strcmp(is, "image/png"))
		return check_png(data, len, why);
	if (!strcmp(is, "image/jpeg"))
		return check_jpeg(data, len, why);
	return check_gif(data, len, why);
}

/* ---- what the editions take of an image: its pixels, not its metadata ---- */

/* The orientation (1 to 8) an EXIF APP1 segment's body p (n bytes, from
   "Exif\0\0") gives, or 1 when it gives none. */
static int exif_orientation(const unsigned char *p, size_t n)
{
	if (n < 14 || memcmp(p, "Exif\0\0", 6))
		return 1;
	const unsigned char *t = p + 6;
	size_t tn = n - 6;
	bool le;
	if (!memcmp(t, "II*\0", 4))
		le = true;
	else if (!memcmp(t, "MM\0*", 4))
		le = false;
	else
		return 1;
#define U16(q) (le ? (unsigned)(q)[0] | (unsigned)(q)[1] << 8 : be16(q))
#define U32(q) (le ? (guint32)(q)[0] | (guint32)(q)[1] << 8 | (guint32)(q)[2] << 16 | (guint32)(q)[3] << 24 : be32(q))
	guint32 ifd = U32(t + 4);
	if (ifd > tn || tn - ifd < 2)
		return 1;
	unsigned count = U16(t + ifd);
	for (unsigned i = 0; i < count; i++) {
		size_t at = ifd + 2 + (size_t)i * 12;
		if (at + 12 > tn)
			break;
		if (U16(t + at) == 0x0112 && U16(t + at + 2) == 3) {
			unsigned v = U16(t + at + 8);
			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
#undef U16
#undef U32
	return 1;
}

/* Appends a JPEG segment: marker m and its body p (n bytes). */
static void put_segment(GByteArray *o, unsigned m, const unsigned char *p, size_t n)
{
	unsigned char h[4] = { 0xff, (unsigned char)m, (unsigned char)((n + 2) >> 8),
			       (unsigned char)(n + 2) };
	g_byte_array_append(o, h, 4);
	g_byte_array_append(o, p, (guint)n);
}

/*
 * A JPEG without its metadata: every COM and APPn segment goes but JFIF
 * (without its thumbnail), the ICC profile (APP2 ICC_PROFILE) and Adobe's
 * APP14 (how the colours are coded), and an EXIF orientation other than 1
 * stays as an EXIF segment holding only the orientation.  Nothing after
 * the end-of-image marker stays either.  The image data is copied.
 */
static GByteArray *clean_jpeg(const unsigned char *d, size_t len, int *orientation)
{
	GByteArray *o = g_byte_array_sized_new((guint)len);
	size_t at = 2;
	bool scans = false, entropy = false;
	*orientation = 1;
	g_byte_array_append(o, d, 2);
	while (at + 2 <= len) {
		if (entropy) {
			/* a scan's entropy-coded data, up to the next marker
			   (FF 00 is a data byte, FF D0 to D7 restart markers,
			   FF FF a fill byte) */
			size_t from = at;
			while (at + 1 < len &&
			       !(d[at] == 0xff && d[at + 1] != 0 && d[at + 1] != 0xff &&
				 !(d[at + 1] >= 0xd0 && d[at + 1] <= 0xd7)))
				at++;
			if (at + 1 >= len)
				at = len;
			g_byte_array_append(o, d + from, (guint)(at - from));
			entropy = false;
			continue;
		}
		if (d[at] != 0xff)
			break;
		unsigned m = d[at + 1];
		if (m == 0xff) {
			at++;
			continue;
		}
		if (m == 0xd9) {
			g_byte_array_append(o, d + at, 2);
			return o;
		}
		if ((m >= 0xd0 && m <= 0xd7) || m == 0x01 || m == 0xd8) {
			g_byte_array_append(o, d + at, 2);
			at += 2;
			continue;
		}
		if (at + 4 > len)
			break;
		size_t n = be16(d + at + 2);
		if (n < 2 || at + 2 + n > len)
			break;
		const unsigned char *body = d + at + 4;
		size_t bn = n - 2;
		bool keep = true;
		if (m == 0xfe || (m >= 0xe0 && m <= 0xef)) {
			keep = (m == 0xe2 && bn >= 12 && !memcmp(body, "ICC_PROFILE\0", 12)) ||
			       (m == 0xee && bn >= 5 && !memcmp(body, "Adobe", 5));
			if (m == 0xe0 && bn >= 14 && !memcmp(body, "JFIF\0", 5) && !scans) {
				/* the JFIF header, without a thumbnail */
				unsigned char jfif[14];
				memcpy(jfif, body, 12);
				jfif[12] = jfif[13] = 0;
				put_segment(o, 0xe0, jfif, 14);
			}
			if (m == 0xe1 && !scans) {
				int v = exif_orientation(body, bn);
				if (v != 1 && *orientation == 1) {
					static const unsigned char exif[] = {
						'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
						0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0,
						0, 0, 0, 0,
					};
					unsigned char e[sizeof exif];
					memcpy(e, exif, sizeof exif);
					e[25] = (unsigned char)v;
					put_segment(o, 0xe1, e, sizeof e);
					*orientation = v;
				}
			}
		}
		if (keep)
			g_byte_array_append(o, d + at, (guint)(2 + n));
		if (m == 0xda)
			scans = entropy = true;
		at += 2 + n;
	}
	g_byte_array_free(o, TRUE);
	return NULL;
}

/*
 * A PNG without its metadata: the critical chunks and those that decoding
 * and display need (transparency, colour space and profile, gamma,
 * chromaticities, significant bits, background, pixel size, and APNG's
 * animation chunks); text, time, EXIF and every other chunk go.
 */
static GByteArray *clean_png(const unsigned char *d, size_t len)
{
	static const char *const keep[] = {
		"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "iCCP", "sRGB", "gAMA",
		"cHRM", "sBIT", "bKGD", "pHYs", "cICP", "acTL", "fcTL", "fdAT",
	};
	GByteArray *o = g_byte_array_sized_new((guint)len);
	size_t at = 8;
	g_byte_array_append(o, d, 8);
	while (at + 12 <= len) {
		size_t n = be32(d + at);
		if (n > len - at - 12)
			break;
		for (size_t i = 0; i < G_N_ELEMENTS(keep); i++) {
			if (!memcmp(d + at + 4, keep[i], 4)) {
				g_byte_array_append(o, d + at, (guint)(12 + n));
				break;
			}
		}
		if (!memcmp(d + at + 4, "IEND", 4))
			return o;
		at += 12 + n;
	}
	g_byte_array_free(o, TRUE);
	return NULL;
}

/* Copies the data sub-blocks of a GIF from *at (when o) up to their end. */
static bool gif_blocks(const unsigned char *d, size_t len, size_t *at, GByteArray *o)
{
	while (*at < len) {
		size_t n = d[*at];
		if (*at + 1 + n > len)
			return false;
		if (o)
			g_byte_array_append(o, d + *at, (guint)(1 + n));
		*at += 1 + n;
		if (n == 0)
			return true;
	}
	return false;
}

/*
 * A GIF without its metadata: comments and application extensions go,
 * but the one that makes an animation loop (NETSCAPE2.0, ANIMEXTS1.0).
 */
static GByteArray *clean_gif(const unsigned char *d, size_t len)
{
	if (len < 13)
		return NULL;
	GByteArray *o = g_byte_array_sized_new((guint)len);
	size_t at = 13;
	if (d[10] & 0x80)
		at += (size_t)3 << ((d[10] & 7) + 1);
	if (at > len)
		goto bad;
	g_byte_array_append(o, d, (guint)at);
	while (at < len) {
		unsigned char b = d[at];
		if (b == 0x3b) {
			g_byte_array_append(o, d + at, 1);
			return o;
		}
		if (b == 0x2c) {
			size_t start = at;
			if (at + 10 > len)
				goto bad;
			at += 10;
			if (d[start + 9] & 0x80)
				at += (size_t)3 << ((d[start + 9] & 7) + 1);
			at++;   /* the LZW code size */
			if (at > len)
				goto bad;
			g_byte_array_append(o, d + start, (guint)(at - start));
			if (!gif_blocks(d, len, &at, o))
				goto bad;
		} else if (b == 0x21 && at + 2 <= len) {
			unsigned label = d[at + 1];
			size_t start = at;
			at += 2;
			bool keep = label == 0xf9 || label == 0x01 ||
				    (label == 0xff && at + 12 <= len && d[at] == 11 &&
				     (!memcmp(d + at + 1, "NETSCAPE2.0", 11) ||
				      !memcmp(d + at + 1, "ANIMEXTS1.0", 11)));
			if (keep)
				g_byte_array_append(o, d + start, 2);
			if (!gif_blocks(d, len, &at, keep ? o : NULL))
				goto bad;
		} else {
			goto bad;
		}
	}
bad:
	g_byte_array_free(o, TRUE);
	return NULL;
}

GBytes *gb_image_clean(const unsigned char *data, size_t len, const char *media_type,
		       int *orientation, char **why)
{
	GByteArray *o = NULL;
	int orient = 1;
	*why = NULL;
	/* an SVG is checked by being made inert, once */
	if (!strcmp(media_type, "image/svg+xml"))
		return svg_start(data, len, why) ? gb_svg_clean(data, len, why) : NULL;
	if (!gb_image_check(data, len, media_type, why))
		return NULL;
	if (!strcmp(media_type, "image/jpeg"))
		o = clean_jpeg(data, len, &orient);
	else if (!strcmp(media_type, "image/png"))
		o = clean_png(data, len);
	else
		o = clean_gif(data, len);
	if (!o) {
		*why = g_strdup("is damaged: its structure cannot be read");
		return NULL;
	}
	if (orientation)
		*orientation = orient;
	return g_byte_array_free_to_bytes(o);
}

GBytes *gb_image_read(const char *path, const char *media_type, int *orientation,
		      char **why)
{
	gchar *data = NULL;
	gsize len = 0;
	GError *err = NULL;
	*why = NULL;
	if (!g_file_get_contents(path, &data, &len, &err)) {
		*why = g_strdup_printf("cannot be read: %s", err->message);
		g_error_free(err);
		return NULL;
	}
	GBytes *ret = gb_image_clean((const unsigned char *)data, len, media_type,
				     orientation, why);
	g_free(data);
	return ret;
}

bool gb_image_size(const char *s, double *value, gb_size_unit *unit)
{
	static const struct {
		const char *name;
		gb_size_unit unit;
		double scale;
	} units[] = {
		{ "", GB_SIZE_PX, 1 }, { "px", GB_SIZE_PX, 1 },
		{ "%", GB_SIZE_PERCENT, 1 }, { "pt", GB_SIZE_PT, 1 },
		{ "in", GB_SIZE_PT, 72 }, { "cm", GB_SIZE_PT, 72 / 2.54 },
		{ "mm", GB_SIZE_PT, 72 / 25.4 }, { "em", GB_SIZE_EM, 1 },
	};
	const char *p = s;
	bool digits = false;
	while (g_ascii_isdigit(*p))
		p++, digits = true;
	if (*p == '.')
		for (p++; g_ascii_isdigit(*p); p++)
			digits = true;
	if (!digits)
		return false;
	double v = g_ascii_strtod(s, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (g_ascii_strcasecmp(p, units[i].name))
			continue;
		if (!(v > 0) || !isfinite(v) || (units[i].unit == GB_SIZE_PERCENT && v > 100))
			return false;
		*value = v * units[i].scale;
		*unit = units[i].unit;
		return true;
	}
	return false;
}
