/* hyphdict.c - libhyphen dictionaries, parsed once and kept in the cache. */
#include "typeset/hyphdict.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/cache.h"

/*
 * The cached form, little-endian, for each level of the dictionary (the
 * first, then its nextlevel, ...):
 *   u8 lhmin, rhmin, clhmin, crhmin; i32 utf8; char cset[MAX_NAME];
 *   i32 nohyphenl (-1: no nohyphen); string nohyphen[nohyphenl + 1];
 *   i32 num_states; then per state: string match, string repl,
 *   i8 replindex, replcut; i32 fallback_state; i32 num_trans;
 *   (u8 ch, i32 new_state)[num_trans];
 *   u8 another level follows.
 * A string is i32 length (-1: none), then its bytes.  The CRC-32 of all
 * that follows, so that a damaged entry is never read as a machine (a
 * wrong pattern could make libhyphen write outside its buffers).
 */
static const char magic[] = "gsi-book hyphenation machine 3";

static void put32(GByteArray *o, gint32 v)
{
	gb_le32_append(o, (guint32)v);
}

static void put8(GByteArray *o, gint8 v)
{
	guint8 b = (guint8)v;
	g_byte_array_append(o, &b, 1);
}

static void put_string(GByteArray *o, const char *s, gsize n)
{
	put32(o, s ? (gint32)n : -1);
	if (s)
		g_byte_array_append(o, (const guint8 *)s, (guint)n);
}

GByteArray *gb_hyph_dict_save(const HyphenDict *d)
{
	GByteArray *o = gb_sealed_new(magic);
	for (; d; d = d->nextlevel) {
		put8(o, d->lhmin);
		put8(o, d->rhmin);
		put8(o, d->clhmin);
		put8(o, d->crhmin);
		put32(o, d->utf8);
		/* the name and zeros: libhyphen leaves the bytes after it
		   as malloc gave them */
		char cset[MAX_NAME] = { 0 };
		g_strlcpy(cset, d->cset, sizeof cset);
		g_byte_array_append(o, (const guint8 *)cset, MAX_NAME);
		/* nohyphenl counts the separators: nohyphenl + 1 strings */
		put32(o, d->nohyphen ? d->nohyphenl : -1);
		const char *nh = d->nohyphen;
		for (int i = 0; nh && i <= d->nohyphenl; i++) {
			put_string(o, nh, strlen(nh));
			nh += strlen(nh) + 1;
		}
		put32(o, d->num_states);
		for (int i = 0; i < d->num_states; i++) {
			const HyphenState *s = &d->states[i];
			put_string(o, s->match, s->match ? strlen(s->match) : 0);
			put_string(o, s->repl, s->repl ? strlen(s->repl) : 0);
			/* libhyphen sets these only for a state with a
			   replacement: without one they are as malloc gave
			   them, and the file would change from run to run */
			put8(o, s->repl ? s->replindex : 0);
			put8(o, s->repl ? s->replcut : 0);
			put32(o, s->fallback_state);
			put32(o, s->num_trans);
			for (int k = 0; k < s->num_trans; k++) {
				put8(o, (gint8)s->trans[k].ch);
				put32(o, s->trans[k].new_state);
			}
		}
		put8(o, d->nextlevel != NULL);
	}
	gb_sealed_close(o, magic);
	return o;
}

/* ---- reading it back, every length and state number checked ---- */

typedef struct reader {
	const guint8 *p, *end;
	bool ok;
} reader;

static gint32 get32(reader *r)
{
	guint32 u = 0;
	if (!gb_le32_take(&r->p, r->end, &u))
		r->ok = false;
	return (gint32)u;
}

static gint8 get8(reader *r)
{
	if (r->p == r->end) {
		r->ok = false;
		return 0;
	}
	return (gint8)*r->p++;
}

/* A string in memory libhyphen frees (malloc), or NULL. */
static char *get_string(reader *r)
{
	gint32 n = get32(r);
	if (!r->ok || n < 0)
		return NULL;
	if (r->end - r->p < n) {
		r->ok = false;
		return NULL;
	}
	char *s = malloc((size_t)n + 1);
	if (!s) {
		r->ok = false;
		return NULL;
	}
	memcpy(s, r->p, (size_t)n);
	s[n] = '\0';
	r->p += n;
	return s;
}

static HyphenDict *read_level(reader *r, bool *more)
{
	HyphenDict *d = calloc(1, sizeof *d);
	if (!d) {
		r->ok = false;
		return NULL;
	}
	d->lhmin = (char)get8(r);
	d->rhmin = (char)get8(r);
	d->clhmin = (char)get8(r);
	d->crhmin = (char)get8(r);
	d->utf8 = get32(r);
	if (r->end - r->p < MAX_NAME)
		r->ok = false;
	else {
		memcpy(d->cset, r->p, MAX_NAME);
		d->cset[MAX_NAME - 1] = '\0';
		r->p += MAX_NAME;
	}
	gint32 nl = get32(r);
	if (nl < -1 || nl > 4096)
		r->ok = false;
	GString *nh = g_string_new(NULL);
	for (gint32 i = 0; r->ok && i <= nl; i++) {
		char *s = get_string(r);
		if (!s)
			r->ok = false;
		else
			g_string_append_len(nh, s, (gssize)strlen(s) + 1);
		free(s);
	}
	if (r->ok && nl >= 0) {
		d->nohyphen = malloc(nh->len);
		if (d->nohyphen) {
			memcpy(d->nohyphen, nh->str, nh->len);
			d->nohyphenl = nl;
		} else {
			r->ok = false;
		}
	}
	g_string_free(nh, TRUE);
	gint32 n = get32(r);
	/* each state takes at least 18 bytes */
	if (!r->ok || n <= 0 || n > (r->end - r->p) / 18) {
		r->ok = false;
		return d;
	}
	d->states = calloc((size_t)n, sizeof *d->states);
	if (!d->states) {
		r->ok = false;
		return d;
	}
	d->num_states = n;
	for (gint32 i = 0; r->ok && i < n; i++) {
		HyphenState *s = &d->states[i];
		s->match = get_string(r);
		s->repl = get_string(r);
		s->replindex = get8(r);
		s->replcut = get8(r);
		s->fallback_state = get32(r);
		s->num_trans = get32(r);
		if (s->fallback_state < -1 || s->fallback_state >= n || s->num_trans < 0 ||
		    s->num_trans > (r->end - r->p) / 5) {
			r->ok = false;
			s->num_trans = 0;
			break;
		}
		if (s->num_trans) {
			s->trans = malloc((size_t)s->num_trans * sizeof *s->trans);
			if (!s->trans) {
				r->ok = false;
				s->num_trans = 0;
				break;
			}
		}
		for (int k = 0; k < s->num_trans; k++) {
			s->trans[k].ch = (char)get8(r);
			s->trans[k].new_state = get32(r);
			if (s->trans[k].new_state < 0 || s->trans[k].new_state >= n)
				r->ok = false;
		}
	}
	*more = get8(r) != 0;
	return d;
}

HyphenDict *gb_hyph_dict_read(GBytes *b)
{
	const guint8 *p = NULL;
	gsize len = 0;
	if (!gb_sealed_open(b, magic, &p, &len))
		return NULL;
	reader r = { p, p + len, true };
	HyphenDict *first = NULL, **link = &first;
	bool more = true;
	while (r.ok && more) {
		more = false;
		HyphenDict *d = read_level(&r, &more);
		*link = d;
		if (!d)
			break;
		link = &d->nextlevel;
	}
	if (!r.ok || r.p != r.end || !first) {
		if (first)
			hnj_hyphen_free(first);
		return NULL;
	}
	return first;
}

/*
 * The cache entry of the dictionary file as it is now, or NULL: named by
 * its real path, device, inode, size and times, as a file that changes
 * gets a new change time (that the user cannot set), so it is not read
 * and summed on every build.
 */
static char *cache_entry(const char *path)
{
	GStatBuf st;
	if (!gb_cache_on() || g_stat(path, &st) != 0)
		return NULL;
	char *real = realpath(path, NULL);
	char *key = g_strdup_printf("%s\n%s\n%llu %llu %lld %lld.%09ld %lld.%09ld", magic,
				    real ? real : path, (unsigned long long)st.st_dev,
				    (unsigned long long)st.st_ino, (long long)st.st_size,
				    (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
				    (long long)st.st_ctim.tv_sec, (long)st.st_ctim.tv_nsec);
	free(real);
	char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
	char *ret = gb_cache_path("hyphen", sum);
	g_free(sum);
	g_free(key);
	return ret;
}

HyphenDict *gb_hyph_dict_load(const char *path)
{
	char *entry = cache_entry(path);
	GBytes *cached = gb_cache_get(entry, 1);
	HyphenDict *d = cached ? gb_hyph_dict_read(cached) : NULL;
	if (cached)
		g_bytes_unref(cached);
	if (!d) {
		d = hnj_hyphen_load(path);
		if (d && entry) {
			GByteArray *o = gb_hyph_dict_save(d);
			gb_cache_put(entry, o->data, o->len);
			g_byte_array_free(o, TRUE);
		}
	}
	g_free(entry);
	return d;
}
