/*
 * qpdfapi.h - libqpdf, loaded when a PDF is finished, not at start-up.
 *
 * libqpdf and what it pulls in (libstdc++, two crypto libraries) take
 * longer for the dynamic linker to load than gsi-book takes to set a short
 * book.  So gsi-book is not linked with it: gb_qpdf_preload() starts
 * loading it in a thread of its own when a command will write a PDF, and
 * gb_qpdf_load() hands out its functions, waiting for the thread if need be.
 * The functions keep qpdf-c.h's names and types.
 *
 * Ownership: the table is loaded once per process and never freed.
 */
#ifndef GB_QPDFAPI_H
#define GB_QPDFAPI_H

#include <qpdf/qpdf-c.h>

#include "diag.h"

#define GB_QPDF_FUNCTIONS(X) \
	X(qpdf_cleanup) \
	X(qpdf_get_error) \
	X(qpdf_get_error_full_text) \
	X(qpdf_get_num_pages) \
	X(qpdf_get_object_by_id) \
	X(qpdf_get_page_n) \
	X(qpdf_get_root) \
	X(qpdf_get_trailer) \
	X(qpdf_has_error) \
	X(qpdf_init) \
	X(qpdf_more_warnings) \
	X(qpdf_next_warning) \
	X(qpdf_oh_append_item) \
	X(qpdf_oh_get_array_item) \
	X(qpdf_oh_get_array_n_items) \
	X(qpdf_oh_get_int_value_as_int) \
	X(qpdf_oh_get_key) \
	X(qpdf_oh_get_object_id) \
	X(qpdf_oh_has_key) \
	X(qpdf_oh_is_array) \
	X(qpdf_oh_is_dictionary) \
	X(qpdf_oh_is_indirect) \
	X(qpdf_oh_is_integer) \
	X(qpdf_oh_is_name_and_equals) \
	X(qpdf_oh_is_null) \
	X(qpdf_oh_is_stream) \
	X(qpdf_oh_is_string) \
	X(qpdf_oh_new_dictionary) \
	X(qpdf_oh_new_integer) \
	X(qpdf_oh_new_name) \
	X(qpdf_oh_new_null) \
	X(qpdf_oh_new_string) \
	X(qpdf_oh_new_unicode_string) \
	X(qpdf_oh_parse) \
	X(qpdf_oh_release) \
	X(qpdf_oh_remove_key) \
	X(qpdf_oh_replace_key) \
	X(qpdf_oh_unparse_resolved) \
	X(qpdf_oh_wrap_in_array) \
	X(qpdf_read_memory) \
	X(qpdf_set_suppress_warnings) \
	X(qpdf_silence_errors) \
	X(qpdf_oh_get_utf8_value)

typedef struct gb_qpdf_api {
#define GB_QPDF_FIELD(f) __typeof__(f) *f;
	GB_QPDF_FUNCTIONS(GB_QPDF_FIELD)
#undef GB_QPDF_FIELD
} gb_qpdf_api;

/* Starts loading libqpdf in a thread, if it is not loaded yet. */
void gb_qpdf_preload(void);

/* The functions of libqpdf, or NULL after reporting why it cannot load. */
const gb_qpdf_api *gb_qpdf_load(gb_diag *d);

#endif
