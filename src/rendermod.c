/*
 * rendermod.c - the render module's one export: the table of its functions
 * (render.h), checked by the program that loads it.
 */
#include "render.h"

#ifndef GB_VERSION
#define GB_VERSION "unknown"
#endif

__attribute__((visibility("default")))
const gb_render_api gb_render_table = {
	.version = GB_VERSION,
#define GB_RENDER_ENTRY(f) .f = f,
	GB_RENDER_FUNCTIONS(GB_RENDER_ENTRY)
#undef GB_RENDER_ENTRY
};
