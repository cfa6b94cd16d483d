/*
 * licence.h - a font package's copyright file (fonts/PACKAGE.copyright,
 * Debian's), read into its structure, so that an edition can set it as a
 * page: its name, its fields (Files, Copyright, License...) and each
 * licence's text as paragraphs.  Nothing of the file is lost but the
 * Format line (which names the file's own syntax) and the lines that are
 * only a rule of dashes or equals signs.
 *
 * A machine-readable file (DEP-5: "Format: ...copyright-format...", its
 * stanzas separated by blank lines, a field's further lines indented, " ."
 * a blank line within one) gives a part a stanza: a Files stanza its
 * fields (the License field's first line its value, any text under it
 * paragraphs after it), a stand-alone License stanza a heading (the
 * licence's name), its text and any other field, all in the file's
 * order.  A file in any other form is one part of
 * paragraphs, its blocks between blank lines.
 *
 * Ownership: gb_licence_parse() returns a licence the caller frees with
 * gb_licence_free(); everything in it belongs to it.
 */
#ifndef GB_LICENCE_H
#define GB_LICENCE_H

#include <stdbool.h>

#include <glib.h>

/* A part's item: a field ("Copyright" and its lines, joined with '\n')
   or a paragraph of a licence's text (its lines joined with a space),
   which is a title when it is the line of capitals that heads a block
   of the text (PREAMBLE, DEFINITIONS, TERMINATION). */
typedef struct gb_licence_item {
	char *name;   /* the field's name; NULL for a paragraph */
	char *text;
	bool title;
} gb_licence_item;

typedef struct gb_licence_part {
	char *heading;     /* a License stanza's licence, or NULL */
	GPtrArray *items;  /* gb_licence_item *, in the file's order */
} gb_licence_part;

typedef struct gb_licence {
	char *name;        /* Upstream-Name, or NULL */
	GPtrArray *parts;  /* gb_licence_part *, in the file's order */
} gb_licence;

gb_licence *gb_licence_parse(const char *text);
void gb_licence_free(gb_licence *l);

#endif
