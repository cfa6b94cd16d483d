/*
 * svg.h - making an SVG image inert before either edition takes it.
 *
 * An SVG is a document: it can hold scripts, event handlers, HTML
 * (foreignObject), references to files and addresses outside the book and
 * style sheets that fetch them.  An EPUB reading system that runs
 * scripts would run them, and a remote image tracks the reader.  Both
 * editions take only what draws the picture.
 */
#ifndef GB_SVG_H
#define GB_SVG_H

#include <glib.h>
#include <stddef.h>

/*
 * The SVG data (len bytes of UTF-8) parsed with libxml2 and written again
 * without: script, handler, listener and foreignObject elements, XInclude
 * elements, processing instructions (xml-stylesheet), event attributes
 * (on...), any attribute whose value is a javascript: address, href and
 * xlink:href to anything but a fragment (#id) or a data: image (not
 * SVG), animations that set an href, and style (element or attribute)
 * that imports or fetches anything but a fragment or a data: image (the
 * @import goes, the url() becomes none).  Refused: a document whose DTD
 * declares anything (entities), one that draws a file beside it (an
 * <image> or <use> of a relative address: leaving it out would change the
 * picture), one that is no well-formed XML or whose root is no <svg>.  Returns the bytes (the
 * caller unrefs them), or NULL with *why set ("is not ...", the end of a
 * sentence; the caller frees it).
 */
GBytes *gb_svg_clean(const unsigned char *data, size_t len, char **why);

#endif
