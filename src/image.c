/* image.c - is an image file whole, of its type, and of a sane size? */
#include "image.h"

#include <glib.h>
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

/* SVG: UTF-8 text whose first element is <svg>. */
static bool check_svg(const unsigned char *d, size_t len, char **why)
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
