/*
 * style.h - the book's design: styles/style.yaml, a tree of keys read as
 * dotted paths ("headings.h1.scale"), shared by every edition.
 *
 * Ownership: gb_style_load() returns a style (or NULL after reporting why)
 * that the caller frees with gb_style_free(); it keeps its file alive for
 * messages.  Strings returned by getters belong to the style.
 */
#ifndef GB_STYLE_H
#define GB_STYLE_H

#include <glib.h>

#include "base/diag.h"

typedef struct gb_style gb_style;

/* Reads a style file: a YAML mapping whose leaves are strings. */
gb_style *gb_style_load(const char *path, gb_diag *d);
void gb_style_free(gb_style *s);

/* The text of the style file, as read. */
const char *gb_style_text(const gb_style *s);

/* Every value of the style (a list as its items joined by newlines), in
   no order: the caller frees the list (g_list_free()), the style owns the
   values. */
GList *gb_style_values(const gb_style *s);

/* The value of key, or NULL. */
const char *gb_style_get(const gb_style *s, const char *key);

/*
 * The items of the list at key (a YAML sequence of values, such as
 * fonts.fallbacks), in order; an empty vector when the key is missing.
 * The caller frees it with g_strfreev().
 */
char **gb_style_list(const gb_style *s, const char *key);

/*
 * Where key's value is in the style file, or with item >= 0 where the
 * list's item is; the file's position NOPOS when there is none.
 */
gb_loc gb_style_loc(const gb_style *s, const char *key, int item);

/*
 * The value of key, reporting an error (at the style file) and returning
 * NULL when it is missing.
 */
const char *gb_style_need(const gb_style *s, const char *key, gb_diag *d);

/*
 * The number at the start of key's value ("1.8", "3em" -> 3), or NAN after
 * reporting an error when the key is missing or not a number.
 */
double gb_style_number(const gb_style *s, const char *key, gb_diag *d);

/*
 * A length in points: "12pt", "18mm", "0.5in", or "1.5em" (em points each),
 * or NAN after reporting an error.
 */
double gb_style_length(const gb_style *s, const char *key, double em,
		       gb_diag *d);

/*
 * Whether x, key's value as read (a number or a length), lies from lo to
 * hi; else reports an error at the value ("style 'KEY' must be WHAT, not
 * 'VALUE'") and returns false.
 */
bool gb_style_in_range(const gb_style *s, const char *key, double x, double lo,
		       double hi, const char *what, gb_diag *d);

/*
 * Parses a length ("18mm") into points, or NAN.  A bare number is taken in
 * points.
 */
double gb_parse_length(const char *text, double em);

/*
 * A colour "#rrggbb" as red, green and blue in 0..1; false after reporting
 * an error when the key is missing or not such a colour.
 */
bool gb_style_colour(const gb_style *s, const char *key, double rgb[3],
		     gb_diag *d);

/*
 * The text of a template file with every "@{key}" replaced by the key's
 * value in extra (a table of strings, or NULL: what the caller works out,
 * such as the e-book's "fonts.fallbacks"), else in the style.  Reports
 * each unknown key at its position in the template and returns NULL then.
 * The caller frees the result.
 */
char *gb_style_expand(const gb_style *s, const char *template_path,
		      GHashTable *extra, gb_diag *d);

#endif
