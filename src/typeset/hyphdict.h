/*
 * hyphdict.h - libhyphen dictionaries, parsed once and kept in the cache.
 *
 * libhyphen parses a dictionary's patterns into a state machine each time
 * it loads one, which takes longer than setting a short book.  The machine
 * it builds depends only on the file's bytes, so it is kept in the user's
 * cache ($XDG_CACHE_HOME/gsi-book/hyphen), under the file's SHA-256, and
 * read back from there.  A cached machine that does not hold together (its
 * checksum, lengths or state numbers) is ignored and the file parsed again.
 *
 * Ownership: gb_hyph_dict_load() returns a dictionary the caller frees
 * with hnj_hyphen_free(), or NULL when the file cannot be read.
 */
#ifndef GB_HYPHDICT_H
#define GB_HYPHDICT_H

#include <glib.h>
#include <hyphen.h>

HyphenDict *gb_hyph_dict_load(const char *path);

/*
 * The cached form of d (the caller frees it with g_byte_array_free), and
 * the dictionary read back from one, or NULL when it does not hold
 * together (the caller frees the dictionary with hnj_hyphen_free).
 */
GByteArray *gb_hyph_dict_save(const HyphenDict *d);
HyphenDict *gb_hyph_dict_read(GBytes *cached);

#endif
