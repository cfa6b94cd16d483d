/* arena.c - a bump allocator, freed all at once (arena.h) */
#include "base/arena.h"

#include <string.h>

typedef struct block {
	struct block *next;
	gsize size;
	/* then the block's bytes */
} block;

struct gb_arena {
	block *blocks;    /* newest first */
	guint8 *at;       /* the next free byte of the newest */
	gsize left;       /* bytes free after at */
	gsize block;      /* the size of a block */
};

#define ALIGN 16
#define HEAD ((sizeof(block) + ALIGN - 1) / ALIGN * ALIGN)

gb_arena *gb_arena_new(gsize size)
{
	gb_arena *a = g_new0(gb_arena, 1);
	a->block = MAX(size, 256);
	return a;
}

void *gb_arena_alloc(gb_arena *a, gsize n)
{
	n = (n + ALIGN - 1) / ALIGN * ALIGN;
	if (n > a->left) {
		/* (a large request gets a block of its own) */
		gsize size = MAX(n, a->block);
		block *b = g_malloc(HEAD + size);
		b->size = size;
		b->next = a->blocks;
		a->blocks = b;
		a->at = (guint8 *)b + HEAD;
		a->left = size;
	}
	void *p = a->at;
	a->at += n;
	a->left -= n;
	return p;
}

void *gb_arena_alloc0(gb_arena *a, gsize n)
{
	return memset(gb_arena_alloc(a, n), 0, n);
}

char *gb_arena_strndup(gb_arena *a, const char *s, gsize n)
{
	char *d = gb_arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void gb_arena_free(gb_arena *a)
{
	if (!a)
		return;
	for (block *b = a->blocks, *next; b; b = next) {
		next = b->next;
		g_free(b);
	}
	g_free(a);
}
