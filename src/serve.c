/*
 * serve.c - the HTTP side of gsi-book serve (serve.h): a threaded GIO
 * socket service bound to 127.0.0.1 only (its accepts in a thread of their
 * own, so that it answers during a rebuild), one request a connection, GET
 * and HEAD only; the watch on the book's folder and the main loop that
 * rebuilds, debounced, after every save and draws the pictures asked for;
 * SIGINT and SIGTERM stop it.
 *
 * What it serves is a fixed list, never a path mapped onto the disk:
 *   /                the page: the pictures, the EPUB's chapter, the
 *                    diagnostics panel, and a script that follows /status
 *                    and swaps the changed pictures in (or reloads)
 *   /status          the last rebuild, as JSON
 *   /pages/page-NNN.png  a page's picture from the last good build
 *   /epub/ENTRY      a file of the last EPUB written, by its exact
 *                    name in the zip (its XHTML, CSS, fonts, pictures)
 *   /book.pdf, /book.epub  the last editions written (in the background)
 * A path with "." or ".." segments (raw or %-encoded), or an encoded "/",
 * is refused (403), as is a request whose Host is not 127.0.0.1 or
 * localhost (with or without the port): a page of another site cannot
 * reach the server by DNS rebinding.
 */
#include <errno.h>
#include <glib.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <zip.h>

#include "serve.h"

enum { DEBOUNCE_MS = 30, MAX_HEADERS = 100, MAX_LINE = 8192 };

typedef struct watch {
	gb_serve *s;
	GMainLoop *loop;
	guint debounce;
	GPtrArray *monitors;
} watch;


/* A picture asked of the main thread, which owns the layout. */
typedef struct picture_job {
	gb_serve *s;
	guint i;
	GBytes *png;
	bool done;
	GMutex m;
	GCond c;
} picture_job;

static gboolean draw_picture(gpointer p)
{
	picture_job *j = p;
	GBytes *png = gb_serve_picture(j->s, j->i);
	g_mutex_lock(&j->m);
	j->png = png;
	j->done = true;
	g_cond_signal(&j->c);
	g_mutex_unlock(&j->m);
	return G_SOURCE_REMOVE;
}

static GBytes *picture(gb_serve *s, guint i)
{
	picture_job j = { s, i, NULL, false, { 0 }, { 0 } };
	g_mutex_init(&j.m);
	g_cond_init(&j.c);
	/* a source, not g_main_context_invoke(), which would draw in this
	   thread when the main thread is not in its loop (the first build) */
	GSource *src = g_idle_source_new();
	g_source_set_callback(src, draw_picture, &j, NULL);
	g_source_attach(src, NULL);
	g_source_unref(src);
	g_mutex_lock(&j.m);
	while (!j.done)
		g_cond_wait(&j.c, &j.m);
	g_mutex_unlock(&j.m);
	g_mutex_clear(&j.m);
	g_cond_clear(&j.c);
	return j.png;
}

static void respond(GOutputStream *out, bool head, int code, const char *reason,
		    const char *type, const char *body, gsize len)
{
	char *h = g_strdup_printf("HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
				  "Content-Length: %" G_GSIZE_FORMAT "\r\n"
				  "Cache-Control: no-store\r\nConnection: close\r\n"
				  "X-Content-Type-Options: nosniff\r\n\r\n",
				  code, reason, type, len);
	g_output_stream_write_all(out, h, strlen(h), NULL, NULL, NULL);
	if (!head && len)
		g_output_stream_write_all(out, body, len, NULL, NULL, NULL);
	g_free(h);
}

static void respond_text(GOutputStream *out, bool head, int code, const char *reason,
			 const char *text)
{
	respond(out, head, code, reason, "text/plain; charset=utf-8", text, strlen(text));
}

/* 127.0.0.1 or localhost, alone or with our port. */
static bool host_allowed(const char *host, int port)
{
	char *p = g_strdup_printf(":%d", port);
	bool ok = false;
	for (int i = 0; i < 2 && !ok; i++) {
		const char *name = i ? "localhost" : "127.0.0.1";
		size_t n = strlen(name);
		if (!g_ascii_strncasecmp(host, name, n) &&
		    (!host[n] || !strcmp(host + n, p)))
			ok = true;
	}
	g_free(p);
	return ok;
}

/* The path decoded, or NULL when it leaves what is served. */
static char *clean_path(const char *target)
{
	if (target[0] != '/')
		return NULL;
	char *raw = g_strndup(target, strcspn(target, "?#"));
	char *path = g_uri_unescape_string(raw, "/");   /* NULL: an encoded '/' or NUL */
	g_free(raw);
	if (!path)
		return NULL;
	char **seg = g_strsplit(path, "/", -1);
	bool bad = false;
	for (char **p = seg; *p; p++)
		if (!strcmp(*p, ".") || !strcmp(*p, "..") || strchr(*p, '\\'))
			bad = true;
	g_strfreev(seg);
	if (bad) {
		g_free(path);
		return NULL;
	}
	return path;
}

/* Whether name is page-NNN.png (digits only). */
static bool page_name(const char *name)
{
	if (strncmp(name, "page-", 5))
		return false;
	const char *p = name + 5;
	size_t d = strspn(p, "0123456789");
	return d >= 3 && !strcmp(p + d, ".png");
}

static GString *html_escape(GString *out, const char *s)
{
	char *e = g_markup_escape_text(s, -1);
	g_string_append(out, e);
	g_free(e);
	return out;
}

static const char page_script[] =
	"<script>\n"
	"const sel = document.getElementById('chapter'), frame = document.getElementById('xhtml');\n"
	"const ch = sessionStorage.getItem('gsi-ch');\n"
	"const text = [...sel.options].find(o => !/(cover|titlepage)\\.xhtml$/.test(o.value));\n"
	"if (ch && [...sel.options].some(o => o.value === ch)) sel.value = ch;\n"
	"else if (text) sel.value = text.value;\n"
	"frame.src = sel.value || 'about:blank';\n"
	"sel.onchange = () => { sessionStorage.setItem('gsi-ch', sel.value); frame.src = sel.value; };\n"
	"const build = document.body.dataset.build;\n"
	"const y = sessionStorage.getItem('gsi-y');\n"
	"if (y !== null) { window.scrollTo(0, +y); sessionStorage.removeItem('gsi-y'); }\n"
	"let shown = +build, errs = document.getElementById('diagnostics') !== null;\n"
	"let editions = +document.body.dataset.editions;\n"
	"const pages = document.querySelectorAll('#pages img').length;\n"
	"async function poll() {\n"
	"  try {\n"
	"    const s = await (await fetch('/status', {cache: 'no-store'})).json();\n"
	"    if (s.build !== shown) {\n"
	"      /* the changed pictures in place; else the whole page, read where it was */\n"
	"      if (s.ok && !errs && !s.errors.length && s.pages === pages &&\n"
	"          s.build === shown + 1 && s.changed.length === s.pages_changed) {\n"
	"        for (const n of s.changed)\n"
	"          document.getElementById('p' + n).src = '/pages/page-' + String(n).padStart(3, '0') + '.png?b=' + s.build;\n"
	"        shown = s.build;\n"
	"      } else {\n"
	"        sessionStorage.setItem('gsi-y', String(window.scrollY));\n"
	"        location.reload();\n"
	"        return;\n"
	"      }\n"
	"    }\n"
	"    if (s.editions !== editions) {\n"
	"      /* the EPUB rewritten: its chapter again (the first: the chooser too;\n"
	"         diagnostics of the editions: the panel) */\n"
	"      if (!sel.options.length || (s.errors.length && !errs)) {\n"
	"        sessionStorage.setItem('gsi-y', String(window.scrollY));\n"
	"        location.reload();\n"
	"        return;\n"
	"      }\n"
	"      editions = s.editions;\n"
	"      frame.src = sel.value;\n"
	"    }\n"
	"  } catch (e) {}\n"
	"  setTimeout(poll, 250);\n"
	"}\n"
	"setTimeout(poll, 250);\n"
	"</script>\n";

/* The EPUB of the last editions written, opened read-only (under the
   lock); NULL before the first. */
static zip_t *open_epub(gb_serve *s)
{
	return s->epub ? zip_open(s->epub, ZIP_RDONLY, NULL) : NULL;
}

/* An edition's file (the path, under the lock), whole, or NULL. */
static char *edition_file(gb_serve *s, bool pdf, gsize *len)
{
	char *data = NULL;
	g_rw_lock_reader_lock(&s->lock);
	const char *path = pdf ? s->pdf : s->epub;
	if (path && !g_file_get_contents(path, &data, len, NULL))
		data = NULL;
	g_rw_lock_reader_unlock(&s->lock);
	return data;
}

/* An entry of the EPUB, named exactly, or NULL. */
static char *epub_entry(gb_serve *s, const char *name, gsize *len)
{
	char *data = NULL;
	g_rw_lock_reader_lock(&s->lock);
	zip_t *za = open_epub(s);
	zip_int64_t i = za ? zip_name_locate(za, name, ZIP_FL_ENC_RAW) : -1;
	zip_stat_t st;
	if (i >= 0 && !zip_stat_index(za, (zip_uint64_t)i, 0, &st) &&
	    (st.valid & ZIP_STAT_SIZE) && st.size < 512u * 1024 * 1024) {
		zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
		data = g_malloc(st.size + 1);
		if (!f || zip_fread(f, data, st.size) != (zip_int64_t)st.size) {
			g_free(data);
			data = NULL;
		}
		*len = (gsize)st.size;
		if (f)
			zip_fclose(f);
	}
	if (za)
		zip_discard(za);
	g_rw_lock_reader_unlock(&s->lock);
	return data;
}

static const char *content_type(const char *name)
{
	static const char *const types[][2] = {
		{ ".xhtml", "application/xhtml+xml" }, { ".css", "text/css" },
		{ ".otf", "font/otf" }, { ".ttf", "font/ttf" }, { ".woff2", "font/woff2" },
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
		{ ".svg", "image/svg+xml" }, { ".gif", "image/gif" }, { ".opf", "application/xml" },
		{ ".ncx", "application/xml" }, { ".xml", "application/xml" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
		if (g_str_has_suffix(name, types[i][0]))
			return types[i][1];
	return "application/octet-stream";
}

/* The EPUB's XHTML files, in the zip's order (the spine's), as options. */
static void chapter_options(gb_serve *s, GString *h)
{
	zip_t *za = open_epub(s);
	zip_int64_t n = za ? zip_get_num_entries(za, 0) : 0;
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
		if (!name || !g_str_has_suffix(name, ".xhtml"))
			continue;
		g_string_append(h, "<option value=\"/epub/");
		html_escape(h, name);
		g_string_append(h, "\">");
		html_escape(h, name);
		g_string_append(h, "</option>");
	}
	if (za)
		zip_discard(za);
}

/* The page: the diagnostics panel, then the pictures of the pages. */
static GString *index_page(gb_serve *s)
{
	GString *h = g_string_new("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
				  "<title>");
	html_escape(h, s->r->bookdir);
	g_string_append(h, " - gsi-book serve</title><style>"
			"body{background:#777;margin:0;font:14px sans-serif}"
			"#diagnostics{background:#fee;color:#600;padding:8px 16px;white-space:pre-wrap;"
			"font:13px monospace;position:sticky;top:0}"
			"main{display:flex;gap:12px;padding:12px;align-items:flex-start}"
			"#pages{flex:1;display:flex;flex-wrap:wrap;gap:12px}"
			"#epub{flex:0 0 40%;position:sticky;top:12px;height:calc(100vh - 24px);"
			"display:flex;flex-direction:column}"
			"#epub iframe{flex:1;background:#fff;border:0}"
			"#pages img{background:#fff;box-shadow:0 1px 4px #0008}"
			"</style></head>\n");
	char *status = gb_serve_status(s);
	g_rw_lock_reader_lock(&s->lock);
	g_string_append_printf(h, "<body data-build=\"%d\" data-editions=\"%d\">\n",
			       s->build, s->editions);
	if (!s->ok || strcmp(s->errors->str, "[]")) {
		/* the panel lists the diagnostics as the status has them */
		g_string_append(h, "<div id=\"diagnostics\"></div>\n<script>\n"
				"const st = ");
		char **cut = g_strsplit(status, "</", -1);
		char *safe = g_strjoinv("<\\/", cut);
		g_string_append(h, safe);
		g_free(safe);
		g_strfreev(cut);
		g_string_append(h, ";\ndocument.getElementById('diagnostics').textContent = "
				"st.errors.map(e => (e.file ? e.file + (e.line ? ':' + e.line + ':' + e.col : '') + ': ' : '')"
				" + e.severity + ': ' + e.message).join('\\n');\n</script>\n");
	}
	g_string_append(h, "<main><div id=\"pages\">\n");
	for (int i = 1; i <= s->pages; i++)
		g_string_append_printf(h, "<img id=\"p%d\" alt=\"page %d\" "
				       "src=\"/pages/page-%03d.png?b=%d\">\n", i, i, i, s->build);
	g_string_append(h, "</div>\n<div id=\"epub\"><select id=\"chapter\">");
	chapter_options(s, h);
	g_rw_lock_reader_unlock(&s->lock);
	g_free(status);
	g_string_append(h, "</select><iframe id=\"xhtml\" title=\"the EPUB's chapter\"></iframe>"
			"</div></main>\n");
	g_string_append(h, page_script);
	g_string_append(h, "</body></html>\n");
	return h;
}

static void answer(gb_serve *s, GOutputStream *out, const char *method, const char *target,
		   const char *host)
{
	bool head = !strcmp(method, "HEAD");
	if (!host || !host_allowed(host, s->port)) {
		respond_text(out, head, 403, "Forbidden",
			     "gsi-book serve answers only requests to 127.0.0.1 or localhost\n");
		return;
	}
	if (!head && strcmp(method, "GET")) {
		respond_text(out, head, 405, "Method Not Allowed", "GET or HEAD only\n");
		return;
	}
	char *path = clean_path(target);
	if (!path) {
		respond_text(out, head, 403, "Forbidden", "that path is outside what is served\n");
		return;
	}
	if (!strcmp(path, "/")) {
		GString *h = index_page(s);
		respond(out, head, 200, "OK", "text/html; charset=utf-8", h->str, h->len);
		g_string_free(h, TRUE);
	} else if (!strcmp(path, "/status")) {
		char *json = gb_serve_status(s);
		respond(out, head, 200, "OK", "application/json", json, strlen(json));
		g_free(json);
	} else if (g_str_has_prefix(path, "/pages/") && page_name(path + 7)) {
		long n = strtol(path + 12, NULL, 10);
		GBytes *png = n >= 1 && n <= G_MAXINT ? picture(s, (guint)(n - 1)) : NULL;
		if (png) {
			gsize len = 0;
			const char *data = g_bytes_get_data(png, &len);
			respond(out, head, 200, "OK", "image/png", data, len);
			g_bytes_unref(png);
		} else {
			respond_text(out, head, 404, "Not Found", "no such page\n");
		}
	} else if (!strcmp(path, "/book.pdf") || !strcmp(path, "/book.epub")) {
		gsize len = 0;
		bool pdf = !strcmp(path, "/book.pdf");
		char *data = edition_file(s, pdf, &len);
		if (data)
			respond(out, head, 200, "OK", pdf ? "application/pdf" : "application/epub+zip",
				data, len);
		else
			respond_text(out, head, 404, "Not Found", "the editions are not written yet\n");
		g_free(data);
	} else if (g_str_has_prefix(path, "/epub/") && path[6]) {
		gsize len = 0;
		char *data = epub_entry(s, path + 6, &len);
		if (data)
			respond(out, head, 200, "OK", content_type(path), data, len);
		else
			respond_text(out, head, 404, "Not Found", "no such file in the EPUB\n");
		g_free(data);
	} else {
		respond_text(out, head, 404, "Not Found", "not found\n");
	}
	g_free(path);
}

/* One connection: one request (its line and headers), one answer. */
static gboolean on_run(GThreadedSocketService *svc, GSocketConnection *conn,
		       GObject *source, gpointer user)
{
	(void)svc, (void)source;
	gb_serve *s = user;
	g_atomic_int_inc(&s->active);
	g_socket_set_timeout(g_socket_connection_get_socket(conn), 10);
	GDataInputStream *in = g_data_input_stream_new(
		g_io_stream_get_input_stream(G_IO_STREAM(conn)));
	GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(conn));
	char *request = g_data_input_stream_read_line(in, NULL, NULL, NULL);
	char *host = NULL;
	bool bad = !request || strlen(request) > MAX_LINE;
	for (int i = 0; !bad; i++) {
		gsize len = 0;
		char *line = g_data_input_stream_read_line(in, &len, NULL, NULL);
		if (!line || i >= MAX_HEADERS || len > MAX_LINE) {
			bad = true;
		} else {
			g_strchomp(line);
			if (!*line) {
				g_free(line);
				break;
			}
			if (!g_ascii_strncasecmp(line, "Host:", 5)) {
				if (host)       /* two Hosts: refused */
					bad = true;
				g_free(host);
				host = g_strstrip(g_strdup(line + 5));
			}
		}
		g_free(line);
	}
	char **part = request ? g_strsplit(g_strchomp(request), " ", 4) : NULL;
	if (bad || !part || g_strv_length(part) != 3 || !g_str_has_prefix(part[2], "HTTP/"))
		respond_text(out, false, 400, "Bad Request", "bad request\n");
	else
		answer(s, out, part[0], part[1], host);
	g_strfreev(part);
	g_free(request);
	g_free(host);
	g_output_stream_flush(out, NULL, NULL);
	g_io_stream_close(G_IO_STREAM(conn), NULL, NULL);
	g_object_unref(in);
	g_atomic_int_dec_and_test(&s->active);
	return TRUE;
}

static gboolean rebuild_now(gpointer p)
{
	watch *w = p;
	w->debounce = 0;
	gb_serve_rebuild(w->s);
	char *st = gb_serve_status(w->s);
	if (w->s->r->verbose)
		fprintf(stderr, "gsi-book: rebuilt: %s", st);
	g_free(st);
	return G_SOURCE_REMOVE;
}

/* An editor's own files: hidden, backups, autosaves. */
static bool editor_file(GFile *f)
{
	char *name = f ? g_file_get_basename(f) : NULL;
	bool skip = !name || name[0] == '.' || name[0] == '#' ||
		    g_str_has_suffix(name, "~") || !strcmp(name, "4913");
	g_free(name);
	return skip;
}

static void on_change(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev,
		      gpointer p)
{
	(void)m;
	watch *w = p;
	if (ev == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED)
		return;
	/* a save by rename: a temporary name becomes the file's */
	if (editor_file(file) && (!other || editor_file(other)))
		return;
	if (w->debounce)
		g_source_remove(w->debounce);
	w->debounce = g_timeout_add(DEBOUNCE_MS, rebuild_now, w);
}

static void add_monitor(watch *w, GFile *dir)
{
	GFileMonitor *m = g_file_monitor_directory(dir, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
	if (!m)
		return;
	g_file_monitor_set_rate_limit(m, 0);
	g_signal_connect(m, "changed", G_CALLBACK(on_change), w);
	g_ptr_array_add(w->monitors, m);
}

/* The book's folder and the folders in it (pictures, styles). */
static void watch_book(watch *w, const char *bookdir)
{
	GFile *top = g_file_new_for_path(bookdir);
	add_monitor(w, top);
	GDir *gd = g_dir_open(bookdir, 0, NULL);
	const char *name;
	while (gd && (name = g_dir_read_name(gd))) {
		char *p = g_build_filename(bookdir, name, NULL);
		if (name[0] != '.' && g_file_test(p, G_FILE_TEST_IS_DIR)) {
			GFile *f = g_file_new_for_path(p);
			add_monitor(w, f);
			g_object_unref(f);
		}
		g_free(p);
	}
	if (gd)
		g_dir_close(gd);
	g_object_unref(top);
}

static gpointer run_loop(gpointer loop)
{
	GMainContext *ctx = g_main_loop_get_context(loop);
	g_main_context_push_thread_default(ctx);
	g_main_loop_run(loop);
	/* what the service still had to do there (its accepts cancelled) */
	while (g_main_context_iteration(ctx, FALSE))
		;
	g_main_context_pop_thread_default(ctx);
	return NULL;
}

static gboolean stop_service(gpointer svc)
{
	g_socket_service_stop(svc);
	return G_SOURCE_REMOVE;
}

static gboolean on_signal(gpointer p)
{
	g_main_loop_quit(p);
	return G_SOURCE_CONTINUE;
}

static void remove_tree(const char *dir)
{
	GDir *gd = g_dir_open(dir, 0, NULL);
	const char *name;
	while (gd && (name = g_dir_read_name(gd))) {
		char *p = g_build_filename(dir, name, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_DIR) && !g_file_test(p, G_FILE_TEST_IS_SYMLINK))
			remove_tree(p);
		else
			g_unlink(p);
		g_free(p);
	}
	if (gd)
		g_dir_close(gd);
	g_rmdir(dir);
}

int gb_cmd_serve(gb_run *r)
{
	int port = 8100;
	if (r->port) {
		char *end;
		long v = strtol(r->port, &end, 10);
		if (*end || !*r->port || v < 0 || v > 65535)
			return gb_usage_error(r, "bad port '%s' (0 to 65535; 0: any free port)",
					      r->port, "serve");
		port = (int)v;
	}
	if (!g_file_test(r->bookdir, G_FILE_TEST_IS_DIR)) {
		gb_error(r->d, gb_noloc(), "no book folder '%s'", r->bookdir);
		gb_diag_flush(r->d);
		return 1;
	}
	gb_serve s = { .r = r, .errors = g_string_new("[]") };
	g_rw_lock_init(&s.lock);
	GError *err = NULL;
	s.root = g_dir_make_tmp("gsi-book-serve-XXXXXX", &err);
	if (!s.root) {
		gb_error(r->d, gb_noloc(), "cannot make a temporary folder: %s", err->message);
		gb_diag_flush(r->d);
		g_error_free(err);
		return 1;
	}
	GSocketService *svc = g_threaded_socket_service_new(8);
	g_socket_service_stop(svc);   /* until it knows its port */
	GInetAddress *lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	GSocketAddress *sa = g_inet_socket_address_new(lo, (guint16)port);
	GSocketAddress *bound = NULL;
	bool listening = g_socket_listener_add_address(G_SOCKET_LISTENER(svc), sa,
						       G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
						       NULL, &bound, &err);
	g_object_unref(sa);
	g_object_unref(lo);
	int ret = 0;
	if (!listening) {
		gb_error(r->d, gb_noloc(), "cannot listen on 127.0.0.1:%d: %s", port, err->message);
		gb_diag_flush(r->d);
		g_error_free(err);
		ret = 1;
		goto out;
	}
	s.port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_object_unref(bound);

	watch w = { &s, g_main_loop_new(NULL, FALSE), 0, g_ptr_array_new_with_free_func(g_object_unref) };
	watch_book(&w, r->bookdir);
	/* connections are taken in a thread of their own, with its own main
	   context, so that they are answered while the main thread rebuilds
	   (/status says build 0 during the first; a picture waits for it) */
	GMainContext *net = g_main_context_new();
	GMainLoop *net_loop = g_main_loop_new(net, FALSE);
	g_signal_connect(svc, "run", G_CALLBACK(on_run), &s);
	g_main_context_push_thread_default(net);
	g_socket_service_start(svc);
	g_main_context_pop_thread_default(net);
	GThread *net_thread = g_thread_new("gsi-book-net", run_loop, net_loop);
	guint sig_int = g_unix_signal_add(SIGINT, on_signal, w.loop);
	guint sig_term = g_unix_signal_add(SIGTERM, on_signal, w.loop);
	gb_serve_rebuild(&s);
	if (!r->quiet)
		printf("gsi-book: serving %s on http://127.0.0.1:%d/ (Ctrl-C stops)\n",
		       r->bookdir, s.port);
	fflush(stdout);
	g_main_loop_run(w.loop);

	g_source_remove(sig_int);
	g_source_remove(sig_term);
	if (w.debounce)
		g_source_remove(w.debounce);
	g_main_context_invoke(net, stop_service, svc);
	g_main_loop_quit(net_loop);
	g_thread_join(net_thread);
	g_socket_listener_close(G_SOCKET_LISTENER(svc));
	/* the requests being answered finish (each has a 10 s timeout), the
	   pictures they ask for drawn */
	for (int i = 0; i < 12000 && g_atomic_int_get(&s.active); i++)
		if (!g_main_context_iteration(NULL, FALSE))
			g_usleep(1000);
	gb_serve_clear(&s);
	g_main_loop_unref(net_loop);
	g_main_context_unref(net);
	g_ptr_array_free(w.monitors, TRUE);
	g_main_loop_unref(w.loop);
	if (!r->quiet)
		printf("gsi-book: stopped\n");
out:
	g_object_unref(svc);
	remove_tree(s.root);
	g_free(s.root);
	g_string_free(s.errors, TRUE);
	g_rw_lock_clear(&s.lock);
	return ret;
}
