/*
 * pdfcopy.h - writing the finished PDF: cairo's file object for object,
 * with the objects libqpdf changed written again.
 *
 * libqpdf 11.3 writes a file only whole, and parses every object of it
 * first: about 9 us a structure element, 150 ms of a 300-page book, where
 * the finish changes a few hundred objects.  So the finish notes each
 * object it changes (gb_pdf_copy_touch), and gb_pdf_copy_write() writes a
 * new file of one revision: the objects left alone copied byte for byte
 * from cairo's file, found through its cross-reference table; the changed
 * ones as libqpdf unparses them; the new ones; then a new table, and a
 * trailer with an /ID that is the MD5 of all that (as qpdf's deterministic
 * ID: the same content, the same ID).  libqpdf stays lazy: only the objects
 * the finish reads are ever parsed.
 *
 * Ownership: gb_pdf_copy_new() returns a copy that borrows q and raw
 * (they outlive it); the caller frees it with gb_pdf_copy_free().
 */
#ifndef GB_PDFCOPY_H
#define GB_PDFCOPY_H

#include <glib.h>

#include "base/diag.h"
#include <qpdf/qpdf-c.h>

typedef struct gb_pdf_copy gb_pdf_copy;

/*
 * Reads the cross-reference table of raw, cairo's PDF, which q has read.
 * NULL after reporting why it cannot be read.
 */
gb_pdf_copy *gb_pdf_copy_new(qpdf_data q,
			     const GByteArray *raw, gb_diag *d);
void gb_pdf_copy_free(gb_pdf_copy *c);

/*
 * The object that holds oh: oh's own number when it is an indirect
 * object, else outer (the number of the object it lies in).
 */
int gb_pdf_copy_home(const gb_pdf_copy *c, qpdf_oh oh, int outer);

/* The bytes cairo wrote of object id ("id 0 obj ... endobj", up to the
   next object), raw's, or NULL if it wrote none: *len of them. */
const guint8 *gb_pdf_copy_bytes(const gb_pdf_copy *c, int id, gsize *len);
/* One more than the highest object number of cairo's table. */
int gb_pdf_copy_count(const gb_pdf_copy *c);
/* The objects cairo wrote (guint numbers), in the order it wrote them:
   c's. */
const GArray *gb_pdf_copy_order(const gb_pdf_copy *c);
/* Object id was changed through libqpdf: it is written as libqpdf has it. */
void gb_pdf_copy_touch(gb_pdf_copy *c, int id);

/* Object id is no longer referred to: it is not written. */
void gb_pdf_copy_drop(gb_pdf_copy *c, int id);

/*
 * A new object: dict (a dictionary, as PDF), with stream bytes after it
 * unless stream is NULL.  Returns its number.
 */
int gb_pdf_copy_add(gb_pdf_copy *c, const char *dict, const void *stream,
		    gsize len);

/*
 * Gives the dictionary object id the key (a name, "/Metadata") referring
 * to the new object target: libqpdf cannot hold a reference to an object
 * it does not know (a second link of the same key replaces the first).
 * Touches id.
 */
void gb_pdf_copy_link(gb_pdf_copy *c, int id, const char *key, int target);

/* The object key of id refers to through gb_pdf_copy_link(), or 0. */
int gb_pdf_copy_linked(const gb_pdf_copy *c, int id, const char *key);

/*
 * The finished file, as PDF version (as "1.7"), its trailer referring to
 * the objects root and info.  NULL after reporting why.  The caller
 * unrefs the bytes.
 */
GBytes *gb_pdf_copy_write(gb_pdf_copy *c, const char *version, int root,
			  int info, gb_diag *d);

#endif
