/* values.c - what book.yaml's values must be, whoever reads them: language
   tags (RFC 5646), dates (ISO 8601), ISBNs (meta.h). */
#include "source/meta.h"

#include <string.h>

/* ---- language tags (RFC 5646, well-formedness) ---- */

static bool all_of(const char *s, size_t n, int (*pred)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!pred((unsigned char)s[i]))
			return false;
	return true;
}

static int is_alpha(int ch) { return g_ascii_isalpha(ch); }
static int is_digit(int ch) { return g_ascii_isdigit(ch); }
static int is_alnum(int ch) { return g_ascii_isalnum(ch); }

bool gb_lang_tag_valid(const char *tag)
{
	if (!tag || !*tag)
		return false;
	gchar **sub = g_strsplit(tag, "-", -1);
	bool ok = false;
	size_t i = 0, n = g_strv_length(sub);
	for (size_t j = 0; j < n; j++)
		if (!*sub[j] || strlen(sub[j]) > 8 || !all_of(sub[j], strlen(sub[j]), is_alnum))
			goto out;
	/* privateuse on its own: x-abc */
	if (g_ascii_strcasecmp(sub[0], "x") == 0) {
		ok = n >= 2;
		goto out;
	}
	/* language */
	size_t len = strlen(sub[i]);
	if (len < 2 || !all_of(sub[i], len, is_alpha))
		goto out;
	i++;
	if (len <= 3) /* up to three extlangs */
		for (int e = 0; e < 3 && i < n && strlen(sub[i]) == 3 &&
				all_of(sub[i], 3, is_alpha); e++)
			i++;
	/* script */
	if (i < n && strlen(sub[i]) == 4 && all_of(sub[i], 4, is_alpha))
		i++;
	/* region */
	if (i < n && ((strlen(sub[i]) == 2 && all_of(sub[i], 2, is_alpha)) ||
		      (strlen(sub[i]) == 3 && all_of(sub[i], 3, is_digit))))
		i++;
	/* variants */
	while (i < n && ((strlen(sub[i]) >= 5) ||
			 (strlen(sub[i]) == 4 && g_ascii_isdigit(sub[i][0]))))
		i++;
	/* extensions: a singleton, then subtags of 2-8 */
	while (i < n && strlen(sub[i]) == 1 && g_ascii_strcasecmp(sub[i], "x") != 0) {
		i++;
		size_t k = 0;
		while (i < n && strlen(sub[i]) >= 2) {
			i++;
			k++;
		}
		if (!k)
			goto out;
	}
	/* private use */
	if (i < n && g_ascii_strcasecmp(sub[i], "x") == 0) {
		i++;
		if (i == n)
			goto out;
		i = n;
	}
	ok = i == n;
out:
	g_strfreev(sub);
	return ok;
}

/* ---- dates (ISO 8601) ---- */

static bool digits(const char *s, size_t n)
{
	return strlen(s) >= n && all_of(s, n, is_digit);
}

bool gb_date_valid(const char *s)
{
	size_t len = strlen(s);
	/* years 0001 to 9999: ISO 8601's year 0000 has no day GLib (or a
	   PDF or zip date) can hold */
	if (len >= 4 && digits(s, 4) && atoi(s) < 1)
		return false;
	if (len == 4)
		return digits(s, 4);
	if (len == 7)
		return digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
		       atoi(s + 5) >= 1 && atoi(s + 5) <= 12;
	if (len == 10) {
		if (!(digits(s, 4) && s[4] == '-' && digits(s + 5, 2) &&
		      s[7] == '-' && digits(s + 8, 2)))
			return false;
		int y = atoi(s), m = atoi(s + 5), day = atoi(s + 8);
		return y >= 1 && m >= 1 && m <= 12 && day >= 1 &&
		       g_date_valid_dmy((GDateDay)day, (GDateMonth)m, (GDateYear)y);
	}
	if (len > 10 && (s[10] == 'T' || s[10] == 't')) {
		char *date = g_strndup(s, 10);
		bool ok = gb_date_valid(date);
		g_free(date);
		if (!ok)
			return false;
		GDateTime *dt = g_date_time_new_from_iso8601(s, NULL);
		if (!dt && len > 16 && s[13] == ':' && s[16] != ':') {
			/* GLib wants seconds; ISO 8601 lets hh:mm stand alone */
			char *full = g_strdup_printf("%.16s:00%s", s, s + 16);
			dt = g_date_time_new_from_iso8601(full, NULL);
			g_free(full);
		}
		if (dt)
			g_date_time_unref(dt);
		return dt != NULL;
	}
	return false;
}

/* The month (1 to 12) word w is a form of, 0 when none. */
static int month_of(const char *w, const char *const *months)
{
	for (int m = 0; months && m < 12 && months[m]; m++) {
		char **forms = g_strsplit(months[m], "|", -1);
		bool is = false;
		for (char **f = forms; *f && !is; f++) {
			char *fold = g_utf8_casefold(*f, -1);
			is = !strcmp(fold, w);
			g_free(fold);
		}
		g_strfreev(forms);
		if (is)
			return m + 1;
	}
	return 0;
}

static bool ignored(const char *w, const char *const *ignore)
{
	for (const char *const *i = ignore; i && *i; i++) {
		char *fold = g_utf8_casefold(*i, -1);
		bool is = !strcmp(fold, w);
		g_free(fold);
		if (is)
			return true;
	}
	return false;
}

char *gb_date_iso(const char *text, const char *const *months,
		  const char *const *ignore)
{
	char *s = g_strstrip(g_strdup(text));
	if (gb_date_valid(s) && strlen(s) <= 10)
		return s;
	int day = 0, month = 0, year = 0;
	bool ok = *s != '\0';
	/* words: runs of anything but spaces (any Unicode space) and commas */
	char *fold = g_utf8_casefold(s, -1);
	g_free(s);
	for (char *p = fold; ok && *p;) {
		gunichar u = g_utf8_get_char(p);
		if (u == ',' || g_unichar_isspace(u) || g_unichar_type(u) == G_UNICODE_SPACE_SEPARATOR) {
			p = g_utf8_next_char(p);
			continue;
		}
		char *end = p;
		while (*end) {
			gunichar v = g_utf8_get_char(end);
			if (v == ',' || g_unichar_isspace(v) || g_unichar_type(v) == G_UNICODE_SPACE_SEPARATOR)
				break;
			end = g_utf8_next_char(end);
		}
		char *w = g_strndup(p, (gsize)(end - p));
		size_t n = strlen(w);
		int m;
		if (n == 4 && all_of(w, 4, is_digit) && !year && atoi(w) >= 1)
			year = atoi(w);
		else if (n >= 1 && n <= 2 && all_of(w, n, is_digit) && !day && atoi(w) >= 1)
			day = atoi(w);
		else if (!month && (m = month_of(w, months)) != 0)
			month = m;
		else if (!month && n > 1 && w[n - 1] == '.' && (w[n - 1] = '\0', m = month_of(w, months)) != 0)
			month = m;   /* an abbreviation's full stop: "Sept." */
		else if (!ignored(w, ignore))
			ok = false;
		g_free(w);
		p = end;
	}
	g_free(fold);
	if (!ok || !year || (day && !month))
		return NULL;
	if (day && !g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
		return NULL;
	if (day)
		return g_strdup_printf("%04d-%02d-%02d", year, month, day);
	if (month)
		return g_strdup_printf("%04d-%02d", year, month);
	return g_strdup_printf("%04d", year);
}

/* ---- ISBNs ---- */

char *gb_isbn_digits(const char *s, const char **why)
{
	GString *d = g_string_new(NULL);
	*why = NULL;
	for (const char *p = s; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (g_ascii_isdigit(*p) || ((*p == 'X' || *p == 'x') && d->len == 9 && !p[1]))
			g_string_append_c(d, (char)g_ascii_toupper(*p));
		else {
			*why = "an ISBN is digits, with hyphens or spaces between them "
			       "(an ISBN-10 may end in X)";
			break;
		}
	}
	if (!*why && d->len == 10) {
		int sum = 0;
		for (int i = 0; i < 10; i++)
			sum += (10 - i) * (d->str[i] == 'X' ? 10 : d->str[i] - '0');
		if (sum % 11)
			*why = "its check digit is wrong (ISBN-10)";
	} else if (!*why && d->len == 13) {
		int sum = 0;
		for (int i = 0; i < 13; i++)
			sum += (i % 2 ? 3 : 1) * (d->str[i] - '0');
		if (sum % 10)
			*why = "its check digit is wrong (ISBN-13)";
		else if (strncmp(d->str, "978", 3) && strncmp(d->str, "979", 3))
			*why = "an ISBN-13 begins with 978 or 979";
	} else if (!*why) {
		*why = "an ISBN has 10 or 13 digits";
	}
	if (*why) {
		g_string_free(d, TRUE);
		return NULL;
	}
	return g_string_free(d, FALSE);
}
