/*
 * data.h - where gsi-book finds its data: fonts/ and styles/.
 *
 * In order: the directory named by $GSI_BOOK_DATA; the directory holding
 * the running executable, when it has fonts/MANIFEST (running from the
 * source tree); GB_DATADIR, set at build time ($(PREFIX)/share/gsi-book).
 */
#ifndef GB_DATA_H
#define GB_DATA_H

/*
 * The data directory, or NULL when none has fonts/MANIFEST.  The caller
 * frees the result.
 */
char *gb_data_dir(void);

#endif
