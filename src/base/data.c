/* data.c - finding gsi-book's data directory. */
#include "base/data.h"

#include <glib.h>
#include <stdbool.h>

#ifndef GB_DATADIR
#define GB_DATADIR "/usr/local/share/gsi-book"
#endif

static bool has_data(const char *dir)
{
	char *manifest = g_build_filename(dir, "fonts", "MANIFEST", NULL);
	bool ok = g_file_test(manifest, G_FILE_TEST_IS_REGULAR);
	g_free(manifest);
	return ok;
}

char *gb_data_dir(void)
{
	const char *env = g_getenv("GSI_BOOK_DATA");
	if (env && *env)
		return has_data(env) ? g_strdup(env) : NULL;
	char *exe = g_file_read_link("/proc/self/exe", NULL);
	if (exe) {
		char *dir = g_path_get_dirname(exe);
		g_free(exe);
		if (has_data(dir))
			return dir;
		g_free(dir);
	}
	return has_data(GB_DATADIR) ? g_strdup(GB_DATADIR) : NULL;
}
