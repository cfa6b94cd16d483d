/* qpdfapi.c - loading libqpdf in a thread of its own. */
#include "qpdfapi.h"

#include <glib.h>

#include "load.h"

#ifndef GB_QPDF_SONAME
#define GB_QPDF_SONAME "libqpdf.so"
#endif

typedef struct loaded {
	gb_qpdf_api api;
	char *error;           /* why it did not load, or NULL */
} loaded;

static gpointer load(gpointer unused)
{
	(void)unused;
	static const char *const names[] = {
#define GB_QPDF_NAME(f) #f,
		GB_QPDF_FUNCTIONS(GB_QPDF_NAME)
#undef GB_QPDF_NAME
	};
	loaded *l = g_new0(loaded, 1);
	G_STATIC_ASSERT(sizeof l->api == sizeof names);
	l->error = gb_dl_symbols(GB_QPDF_SONAME, names, (void **)&l->api,
				 G_N_ELEMENTS(names));
	return l;
}

/* The one load of the process (the thread and any caller share it). */
static GOnce once = G_ONCE_INIT;

void gb_qpdf_preload(void)
{
	gb_once_start(&once, load, "qpdf");
}

const gb_qpdf_api *gb_qpdf_load(gb_diag *d)
{
	const loaded *l = g_once(&once, load, NULL);
	if (l->error) {
		gb_error(d, gb_noloc(), "cannot load libqpdf: %s", l->error);
		return NULL;
	}
	return &l->api;
}
