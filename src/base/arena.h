/*
 * arena.h - a bump allocator: many small blocks of one lifetime taken from
 * a few large ones, and freed all at once (GLib has none).  Memory taken
 * from an arena is never freed on its own: gb_arena_free() frees it all.
 *
 * Ownership: the caller owns the arena (gb_arena_new, gb_arena_free) and
 * must not use what it gave after freeing it.  An arena is one thread's.
 */
#ifndef GB_ARENA_H
#define GB_ARENA_H

#include <glib.h>

typedef struct gb_arena gb_arena;

/* A new arena taking blocks of about block bytes from malloc. */
gb_arena *gb_arena_new(gsize block);
/* n bytes, aligned for any type, uninitialised; never NULL. */
void *gb_arena_alloc(gb_arena *a, gsize n);
/* n bytes, zeroed. */
void *gb_arena_alloc0(gb_arena *a, gsize n);
/* A copy of s[0, n) with a NUL after it. */
char *gb_arena_strndup(gb_arena *a, const char *s, gsize n);
/* Frees the arena and all it gave; a NULL arena is nothing. */
void gb_arena_free(gb_arena *a);

#endif
