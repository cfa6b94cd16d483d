/*
 * cache.h - the user's cache: where its entries live, reading and writing
 * them, the keys they are found under, and the little-endian numbers and
 * sealed (CRC-checked) entries they are written in.
 *
 * Ownership: as said of each function; nothing here keeps state.
 */
#ifndef GB_CACHE_H
#define GB_CACHE_H

#include <glib.h>
#include <stdbool.h>

/*
 * The user's cache of what is made from inputs that decide it fully
 * (covers, font subsets, fonts whose sums were checked), in
 * $XDG_CACHE_HOME/gsi-book/KIND/NAME.  gb_cache_on() is false when
 * GSI_BOOK_NO_CACHE is set.  gb_cache_path() returns an entry's path (the
 * caller frees it); gb_cache_get() what the entry holds when it holds at
 * least min bytes, else NULL (the caller unrefs it); gb_cache_put() keeps
 * len bytes there through gb_file_write_atomic().  A cache that cannot be
 * read or written is no error.
 */
bool gb_cache_on(void);
char *gb_cache_path(const char *kind, const char *name);
GBytes *gb_cache_get(const char *path, gsize min);
void gb_cache_put(const char *path, const void *data, gsize len);

/* Little-endian 32-bit numbers in the cache's entries. */
void gb_le32_write(guint8 *p, guint32 v);
void gb_le32_append(GByteArray *o, guint32 v);
guint32 gb_le32_read(const guint8 *p);
/* Reads one from *p and moves past it; false when fewer than 4 bytes are left before end. */
bool gb_le32_take(const guint8 **p, const guint8 *end, guint32 *v);

/*
 * A sealed entry: magic (with its NUL), the payload, then the payload's
 * CRC-32, so that a damaged entry is never read.  gb_sealed_new() starts
 * one (append the payload to it), gb_sealed_close() adds the CRC;
 * gb_sealed_open() finds the payload of sealed bytes (pointers into them),
 * or returns false when the magic or the CRC does not match.
 */
GByteArray *gb_sealed_new(const char *magic);
void gb_sealed_close(GByteArray *o, const char *magic);
bool gb_sealed_open(GBytes *b, const char *magic, const guint8 **payload, gsize *len);

/*
 * Cache keys: a SHA-256 over fields.  gb_cache_key_add() adds s (NULL as
 * an empty field) and a separator; gb_cache_key_program() adds the
 * program itself (its path, size and modification time: a rebuilt
 * gsi-book makes new keys), false when it cannot be looked at.
 * gb_cache_file_identity() is a file's "path|size|mtime", or NULL (the
 * caller frees it).  gb_cache_keep() keeps b (NULL: nothing) in the entry
 * path (NULL: none).
 */
char *gb_cache_file_identity(const char *path);
void gb_cache_key_add(GChecksum *sum, const char *s);
bool gb_cache_key_program(GChecksum *sum);
void gb_cache_keep(const char *path, GBytes *b);

#endif
