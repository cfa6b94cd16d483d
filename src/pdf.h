/*
 * pdf.h - the Cairo PDF device: draws a gb_layout into a PDF.
 *
 * Tags become the PDF's logical structure (under a Document root), links
 * and destinations become annotations, the outline becomes bookmarks,
 * folios become page labels, and the metadata the Info dictionary.  The
 * result is then rewritten with libqpdf to add what cairo 1.16 cannot: a
 * trailer /ID derived from the content.
 */
#ifndef GB_PDF_H
#define GB_PDF_H

#include <glib.h>

#include "diag.h"
#include "layout.h"

/*
 * The PDF of lay.  Returns its bytes (the caller unrefs them), or NULL
 * after reporting why.  The same layout always gives the same bytes.
 */
GBytes *gb_pdf_render(const gb_layout *lay, gb_diag *d);

#endif
