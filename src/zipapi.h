/*
 * zipapi.h - libzip, loaded in a thread of its own once the book is read.
 *
 * libzip pulls in OpenSSL's libcrypto (for encrypted archives, which an
 * EPUB never is), and loading the two takes the dynamic linker about as
 * long as gsi-book takes to write the XHTML of a short book.  So gsi-book
 * is not linked with it: gb_zip_preload() starts loading it in a thread
 * when a command will write an EPUB (once the book is read: no library
 * loads while libcmark-gfm parses), and gb_zip_load() hands out its
 * functions, waiting for the thread if need be.  The functions keep zip.h's
 * names and types.
 *
 * Ownership: the table is loaded once per process and never freed.
 */
#ifndef GB_ZIPAPI_H
#define GB_ZIPAPI_H

#include <zip.h>

#include "diag.h"

#define GB_ZIP_FUNCTIONS(X) \
	X(zip_close) \
	X(zip_discard) \
	X(zip_error_fini) \
	X(zip_error_init) \
	X(zip_error_set) \
	X(zip_error_strerror) \
	X(zip_error_to_data) \
	X(zip_file_add) \
	X(zip_file_attributes_init) \
	X(zip_file_set_dostime) \
	X(zip_file_set_external_attributes) \
	X(zip_open_from_source) \
	X(zip_set_file_compression) \
	X(zip_source_buffer) \
	X(zip_source_buffer_create) \
	X(zip_source_close) \
	X(zip_source_free) \
	X(zip_source_function) \
	X(zip_source_keep) \
	X(zip_source_make_command_bitmap) \
	X(zip_source_open) \
	X(zip_source_read) \
	X(zip_source_stat) \
	X(zip_stat_init) \
	X(zip_strerror)

typedef struct gb_zip_api {
#define GB_ZIP_FIELD(f) __typeof__(f) *f;
	GB_ZIP_FUNCTIONS(GB_ZIP_FIELD)
#undef GB_ZIP_FIELD
} gb_zip_api;

/* Starts loading libzip in a thread, if it is not loaded yet. */
void gb_zip_preload(void);

/* The functions of libzip, or NULL after reporting why it cannot load. */
const gb_zip_api *gb_zip_load(gb_diag *d);

#endif
