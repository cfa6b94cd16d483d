/*
 * png8.h - an 8-bit palette PNG of a cairo picture of flat colours and
 * type (the typographic cover), in memory.
 *
 * Ownership: the caller unrefs the bytes.
 */
#ifndef GB_PNG8_H
#define GB_PNG8_H

#include <cairo.h>
#include <glib.h>

#include "base/diag.h"

/*
 * surface (CAIRO_FORMAT_RGB24) as an 8-bit palette PNG: the 256 colours
 * most pixels have, each other colour drawn in the nearest of them; no
 * time or other chunk that would change its bytes.  NULL after reporting
 * why.
 */
GBytes *gb_encode_png8(cairo_surface_t *surface, gb_diag *d);

#endif
