/*
 * microtype.h - margin kerning and font expansion: the style's microtype
 * keys (styles/style.yaml), read into the line breaker's parameters.  What
 * the breaker does with them is in lb.h (gb_lb_hang_*, gb_lb_expand_of).
 *
 * Ownership: the keys are read into the caller's gb_break_params, whose
 * table of characters (hang[], GB_HANGS at most) is part of it: nothing
 * to free.
 */
#ifndef GB_MICROTYPE_H
#define GB_MICROTYPE_H

#include "base/diag.h"
#include "design/style.h"
#include "typeset/linebreak.h"

/*
 * Reads microtype.expansion, microtype.expansion-step and
 * microtype.protrusion (a list of "CHARACTERS LEFT RIGHT": the characters
 * hang so much of their width into the left and the right margin) into
 * bp.  False after reporting what is wrong.
 */
bool gb_read_microtype(const gb_style *s, gb_break_params *bp, gb_diag *d);

#endif
