/*
 * meta.h - book.yaml: the book's metadata and its list of parts.
 *
 * book.yaml is read with libyaml.  Keys follow pandoc's names where they
 * exist.  Every problem is reported to the gb_diag at its line and column.
 */
#ifndef GB_META_H
#define GB_META_H

#include <stdbool.h>

#include "diag.h"
#include "tree.h"

/*
 * Parses the YAML text of f (already added to book) into book->meta and
 * book->part_srcs.  Returns false when the file could not be used at all
 * (syntax error, not a mapping); problems with single keys only add
 * diagnostics.
 */
bool gb_meta_parse(gb_book *book, const gb_file *f, gb_diag *d);

/* Whether tag is a well-formed BCP 47 language tag (RFC 5646). */
bool gb_lang_tag_valid(const char *tag);

/*
 * Whether s is an ISO 8601 date: YYYY, YYYY-MM, YYYY-MM-DD, or a date and
 * time with a zone offset (YYYY-MM-DDThh:mm[:ss]Z).
 */
bool gb_date_valid(const char *s);

/*
 * A name-based UUID (version 5) for the book, from its title and authors:
 * "urn:uuid:...".  The caller frees it.
 */
char *gb_derive_identifier(const char *title, const GPtrArray *authors);

/* The English name of a MARC relator code ("edt" -> "editor"), or code. */
const char *gb_role_name(const char *code);

/* The Levenshtein distance between a and b (bytes). */
size_t gb_edit_distance(const char *a, const char *b);

/*
 * The time an edition is stamped with, in seconds since the epoch (UTC):
 * $SOURCE_DATE_EPOCH when set, otherwise the book's date (midnight UTC of
 * its first day), otherwise 1980-01-01 - never the wall clock.  Reports a
 * malformed SOURCE_DATE_EPOCH and returns -1 then.
 */
gint64 gb_meta_timestamp(const gb_meta *m, gb_diag *d);

/*
 * The names of the book's authors (creators with role "aut"; all creators
 * when none has it) joined by sep, the last two by last_sep, or NULL when
 * there are none.  The caller frees the result.
 */
char *gb_meta_author_names(const gb_meta *meta, const char *sep,
			   const char *last_sep);

/* The cover's alt text: "Cover: TITLE: SUBTITLE, by AUTHORS".  Caller frees. */
char *gb_cover_alt(const gb_meta *meta);

#endif
