/*
 * meta.h - book.yaml: the book's metadata and its list of parts.
 *
 * book.yaml is read with libyaml.  Keys follow pandoc's names where they
 * exist.  Every problem is reported to the gb_diag at its line and column.
 */
#ifndef GB_META_H
#define GB_META_H

#include <stdbool.h>

#include "base/diag.h"
#include "source/tree.h"

/*
 * Parses the YAML text of f (already added to book) into book->meta and
 * book->part_srcs.  Returns false when the file could not be used at all
 * (syntax error, not a mapping); problems with single keys only add
 * diagnostics.
 */
bool gb_meta_parse(gb_book *book, const gb_file *f, gb_diag *d);

/*
 * The digits of the ISBN s ("978-0-306-40615-7": "9780306406157"), its
 * hyphens and spaces dropped, an ISBN-10's check digit X kept; NULL, with
 * the reason in *why, when it is not an ISBN-10 or ISBN-13 (a wrong
 * length, a wrong check digit).  The caller frees it.
 */
char *gb_isbn_digits(const char *s, const char **why);

/* Whether tag is a well-formed BCP 47 language tag (RFC 5646). */
bool gb_lang_tag_valid(const char *tag);

/*
 * Whether s is an ISO 8601 date: YYYY, YYYY-MM, YYYY-MM-DD, or a date and
 * time with a zone offset (YYYY-MM-DDThh:mm[:ss]Z).
 */
bool gb_date_valid(const char *s);

/*
 * The one reader of dates written for people, "April 2022", "12 March
 * 1818", "March 12, 1818", "12 марта 1818 г.", "2022 жылғы 12 наурыз",
 * "2025", or in ISO 8601 (as gb_date_valid() takes them, without a
 * time): its ISO 8601 form, "2022-04", "1818-03-12", "2025", or NULL when
 * text is something else.  Words are compared without case; months holds
 * the twelve months' names, January first, each as '|'-separated forms
 * ("март|марта|мар"), or is NULL for ISO dates and bare years only.  A
 * day, a month and a year (four digits, 0001 to 9999) in any order (a day
 * only with a month), commas and the words of ignore (a NULL-ended list:
 * "г.", "года", "ж.", "жылғы"; may be NULL) between them, and nothing
 * else.  The caller frees it.
 */
char *gb_date_iso(const char *text, const char *const *months,
		  const char *const *ignore);

/*
 * A name-based UUID (version 5) for the book, from its title and authors:
 * "urn:uuid:...".  The caller frees it.
 */
char *gb_derive_identifier(const char *title, const GPtrArray *authors);

/* The i-th MARC relator code a creator's 'role' may give ("aut", "edt",
   ...; the words a language names them with are design/words.c's), NULL
   past the last. */
const char *gb_role_code(size_t i);

/* The Levenshtein distance between a and b (bytes). */
size_t gb_edit_distance(const char *a, const char *b);
/* The name of known (NULL-terminated) nearest to s, or NULL when none is
   close (what "did you mean" suggests). */
const char *gb_nearest_name(const char *s, const char *const *known);

/*
 * Times are seconds since 1970-01-01T00:00:00Z, negative before it: a book
 * may be dated any day of the years 0001 to 9999, all of which GLib, a PDF
 * date, XMP and an EPUB's dcterms:modified can hold (zip entry times,
 * 1980 to 2107, are clamped where the archive is written).
 */
#define GB_TIME_MIN G_GINT64_CONSTANT(-62135596800)   /* 0001-01-01T00:00:00Z */
#define GB_TIME_MAX G_GINT64_CONSTANT(253402300799)   /* 9999-12-31T23:59:59Z */
#define GB_TIME_LEN 32

/*
 * The time an edition is stamped with (dcterms:modified, the PDF's dates,
 * zip times), into *t: $SOURCE_DATE_EPOCH when set (an integer, negative
 * before 1970), otherwise book.yaml's 'modified', otherwise the time of
 * the last commit of the book's directory when it lies in a git work tree
 * (git run without a shell), otherwise the book's date (midnight UTC of its
 * first day; 1980-01-01 without one) with a warning that says how to set it
 * - never the wall clock.  False after reporting a malformed or
 * out-of-range SOURCE_DATE_EPOCH; every time is a valid value, none stands
 * for an error.
 */
bool gb_meta_timestamp(const gb_book *book, gb_diag *d, gint64 *t);

/*
 * t as ISO 8601 with a four-digit year, "0818-03-01T00:00:00Z" (EPUB's
 * dcterms:modified, XMP), or as a PDF date, "D:20250731100000Z" (before
 * 1930 without its zone, "D:18180301000000", as Poppler reads a longer one
 * as another year), into out.
 * False (out empty) when t lies outside GB_TIME_MIN..GB_TIME_MAX.
 */
bool gb_time_iso8601(gint64 t, char out[GB_TIME_LEN]);
bool gb_time_pdf(gint64 t, char out[GB_TIME_LEN]);

/*
 * s, metadata text that may run over several lines ('rights: |'), on one
 * line: its line feeds, and the spaces around them, as one space; for
 * where a line break cannot be (a running head, the PDF's Info).  NULL for
 * NULL; the caller frees the result.
 */
char *gb_meta_one_line(const char *s);

#endif
