/* zipapi.c - loading libzip in a thread of its own. */
#include "zipapi.h"

#include <glib.h>

#include "load.h"

#ifndef GB_ZIP_SONAME
#define GB_ZIP_SONAME "libzip.so"
#endif

typedef struct loaded {
	gb_zip_api api;
	char *error;           /* why it did not load, or NULL */
} loaded;

static gpointer load(gpointer unused)
{
	(void)unused;
	static const char *const names[] = {
#define GB_ZIP_NAME(f) #f,
		GB_ZIP_FUNCTIONS(GB_ZIP_NAME)
#undef GB_ZIP_NAME
	};
	loaded *l = g_new0(loaded, 1);
	G_STATIC_ASSERT(sizeof l->api == sizeof names);
	l->error = gb_dl_symbols(GB_ZIP_SONAME, names, (void **)&l->api,
				 G_N_ELEMENTS(names));
	return l;
}

/* The one load of the process (the thread and any caller share it). */
static GOnce once = G_ONCE_INIT;

void gb_zip_preload(void)
{
	gb_once_start(&once, load, "zip");
}

const gb_zip_api *gb_zip_load(gb_diag *d)
{
	const loaded *l = g_once(&once, load, NULL);
	if (l->error) {
		gb_error(d, gb_noloc(), "cannot load libzip: %s", l->error);
		return NULL;
	}
	return &l->api;
}
