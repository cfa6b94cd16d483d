/*
 * dump.h - the document tree as indented text, for tests and debugging.
 *
 * gb_dump_tree() writes the metadata, every node with its attributes and
 * source position, and the contents.  gb_dump_text() writes only the text,
 * a block a line, in reading order.  Both append to a GString the caller
 * owns.
 */
#ifndef GB_DUMP_H
#define GB_DUMP_H

#include <glib.h>

#include "source/tree.h"

void gb_dump_tree(const gb_book *book, GString *out);
void gb_dump_text(const gb_book *book, GString *out);

#endif
