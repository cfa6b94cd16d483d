/*
 * parts.c - the book's parts set on all cores (ts.h).
 *
 * Each part opens on a recto and its pages are numbered on from the
 * part's before, so a part is set alone: a worker sets it onto pages of
 * its own, numbered from 1, its folios left as stand-ins.  The parts are
 * joined in their order as the one core sets them one after another: a
 * blank verso where the part before ends on a recto, the pages numbered on
 * and their folios set, the destinations' and links' pages, the headers
 * repeated, the notes set, the running heads fitted, the outline, and the
 * diagnostics replayed (gb_diag_replay), so that the pages, the PDF and
 * what is said are those of one core, byte for byte.
 *
 * A worker has its own font map and Pango context (Pango's are not to be
 * shared between threads), on the book's FcConfig, and so its own shaped
 * words (gb_shape_cache_merge() gives them to the book's context at the
 * end), and its own hyphenator.  What the parts share is read only while
 * they are set: the tree, the style, the pages of the pass before, the
 * notes of addresses made before (those a worker makes get stand-in ids,
 * renamed when its part is joined with the numbers one core gives them,
 * in the order the parts meet them: gb_ts_made_join).
 *
 * Ownership: t->par is t's, freed by gb_ts_par_free(); a job's pages,
 * boxes and clones move to t's; the rest of a job is freed when joined.
 */
#include "typeset/ts.h"

typedef struct slot {
	PangoFontMap *map;
	PangoContext *pc;
	gb_hyphenator *hyph;
	GHashTable *font_listed;
} slot;

struct gb_ts_par {
	FcConfig *fc;
	GThreadPool *pool;
	GAsyncQueue *free;      /* slot *: those no job holds */
	slot *slots;            /* the workers' (the calling thread is one
				   more, with t's own) */
	guint n;
	GPtrArray *jobs;        /* job *: the parts being set */
	guint next;             /* the first job not taken */
	GMutex lock;
	GCond done;
};

typedef struct job {
	struct gb_ts_par *par;
	ts t;                   /* a copy of the book's, with its own pages */
	pager pg;
	const gb_node *part;
	PangoLanguage *lang;    /* the context's language when it starts */
	char *key;              /* all its pages are made of (gb_ts_part_key), or
				   NULL: they cannot be kept; owned */
	char *digest;           /* with a key: what it set (gb_ts_part_digest),
				   made by the thread that set it; owned */
	bool done;
} job;

/*
 * The threads that set parts: GSI_BOOK_THREADS, else the cores when the
 * parts hold text enough (a worker's fonts and words cost a few
 * milliseconds to load: a book of a few pages is set sooner on one core).
 */
#define GB_TS_PAR_BYTES (64 * 1024)

static guint workers_wanted(const gb_book *book)
{
	const char *env = g_getenv("GSI_BOOK_THREADS");
	if (env && *env) {
		gint64 n = g_ascii_strtoll(env, NULL, 10);
		return n < 1 ? 1 : n > 64 ? 64 : (guint)n;
	}
	gsize bytes = 0;
	for (const gb_node *p = book->root->first; p; p = p->next)
		bytes += p->loc.file ? p->loc.file->len : 0;
	return bytes < GB_TS_PAR_BYTES ? 1 : (guint)MAX(1, g_get_num_processors());
}

/* The next job no thread has taken, or NULL. */
static job *claim(struct gb_ts_par *par)
{
	g_mutex_lock(&par->lock);
	job *j = par->jobs && par->next < par->jobs->len ? par->jobs->pdata[par->next++] : NULL;
	g_mutex_unlock(&par->lock);
	return j;
}

/* Sets j's part with s's font map, context and hyphenator. */
static void work(job *j, slot *s)
{
	ts *t = &j->t;
	t->map = s->map;
	t->pc = s->pc;
	t->hyph = s->hyph;
	t->font_listed = s->font_listed;
	pango_context_set_language(t->pc, j->lang);
	gb_ts_set_part(t, &j->pg, j->part);
	if (j->key)
		j->digest = gb_ts_part_digest(t);
	s->font_listed = t->font_listed;
	t->font_listed = NULL;
	g_mutex_lock(&j->par->lock);
	j->done = true;
	g_cond_broadcast(&j->par->done);
	g_mutex_unlock(&j->par->lock);
}

/* A worker: the jobs not taken yet, one after another. */
static void run_worker(gpointer data, gpointer user)
{
	(void)data;
	struct gb_ts_par *par = user;
	slot *s = g_async_queue_pop(par->free);
	for (job *j; (j = claim(par));) {
		if (!s->pc) {
			ts tmp = { .opt = j->t.opt };
			gb_ts_open_pango(&tmp, par->fc);
			s->map = tmp.map;
			s->pc = tmp.pc;
			gb_shape_cache_keep(s->pc, j->t.cache_id);
			s->hyph = gb_hyphenator_new();
		}
		work(j, s);
	}
	g_async_queue_push(par->free, s);
}

void gb_ts_par_new(ts *t, FcConfig *fc)
{
	const gb_typeset_options *o = t->opt;
	guint parts = 0;
	for (const gb_node *p = t->book->root->first; p; p = p->next)
		parts++;
	guint n = MIN(workers_wanted(t->book), parts);  /* with this thread */
	/* the line breaker's figures are added up one paragraph after
	   another: set on one core */
	if (n < 2 || o->stats || o->first_fit || o->first_fit_lines)
		return;
	struct gb_ts_par *par = g_new0(struct gb_ts_par, 1);
	par->fc = fc;
	par->n = n - 1;
	/* a server's workers from its last build, their words shaped still
	   in memory (gb_typeset_keep: on the same fonts) */
	gb_typeset_keep *keep = o->keep;
	if (keep && keep->slots && keep->n_slots != par->n)
		gb_ts_par_slots_free(keep);
	if (keep && keep->slots) {
		par->slots = keep->slots;
		keep->slots = NULL;
		keep->n_slots = 0;
		for (guint i = 0; i < par->n; i++)
			if (par->slots[i].pc)
				gb_shape_cache_keep(par->slots[i].pc, t->cache_id);
	} else {
		par->slots = g_new0(slot, par->n);
	}
	par->free = g_async_queue_new();
	for (guint i = 0; i < par->n; i++)
		g_async_queue_push(par->free, &par->slots[i]);
	g_mutex_init(&par->lock);
	g_cond_init(&par->done);
	par->pool = g_thread_pool_new(run_worker, par, (gint)par->n, FALSE, NULL);
	t->par = par;
}

/* Frees n slots: their words go to pc's, their maps live as long as
   map (the pages' glyphs hold the workers' fonts). */
static void slots_free(slot *slots, guint n, PangoContext *pc, PangoFontMap *map)
{
	for (guint i = 0; i < n; i++) {
		slot *s = &slots[i];
		if (!s->pc)
			continue;
		gb_shape_cache_merge(pc, s->pc);
		char key[32];
		g_snprintf(key, sizeof key, "gb-worker-map-%u", i);
		g_object_set_data_full(G_OBJECT(map), key, s->map, g_object_unref);
		g_object_unref(s->pc);
		gb_hyphenator_free(s->hyph);
		if (s->font_listed)
			g_hash_table_destroy(s->font_listed);
	}
	g_free(slots);
}

void gb_ts_par_slots_free(gb_typeset_keep *k)
{
	if (k->slots)
		slots_free(k->slots, k->n_slots, k->pc, k->map);
	k->slots = NULL;
	k->n_slots = 0;
}

void gb_ts_par_free(ts *t)
{
	struct gb_ts_par *par = t->par;
	if (!par)
		return;
	g_thread_pool_free(par->pool, FALSE, TRUE);
	gb_typeset_keep *keep = t->opt->keep;
	if (keep && !t->failed) {
		/* kept for the next build (their maps are the keep's: the
		   pages' glyphs hold their fonts) */
		keep->slots = par->slots;
		keep->n_slots = par->n;
	} else {
		slots_free(par->slots, par->n, t->pc, t->map);
	}
	g_async_queue_unref(par->free);
	g_mutex_clear(&par->lock);
	g_cond_clear(&par->done);
	g_free(par);
	t->par = NULL;
}

static GHashTable *copy_strings(GHashTable *from)
{
	GHashTable *to = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, from);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_insert(to, g_strdup(k), g_strdup(v));
	return to;
}

/*
 * The notes a part sets (gb_node_walk): a note is set once, at its first
 * reference (inline.c), so a part sets none that a part before it refers
 * to (a manuscript's notes may be referred to from two chapters); with a
 * note, the notes its own text refers to.  A note's definition is set at
 * its reference, not where it stands.
 */
static bool notes_referred(const gb_node *n, bool entering, void *ctx)
{
	GHashTable *set = ctx;
	if (!entering || n->kind == GB_NODE_FOOTNOTE)
		return n->kind != GB_NODE_FOOTNOTE;
	if (n->kind == GB_NODE_NOTEREF && n->target && n->target->id &&
	    g_hash_table_add(set, n->target->id))
		for (const gb_node *c = n->target->first; c; c = c->next)
			gb_node_walk(c, notes_referred, set);
	return true;
}

/* A job for part p, the place-th (from 1): t's state, with what a pass
   collects of its own; noted: the notes set before it. */
static job *job_new(ts *t, const gb_node *p, GHashTable *noted, guint place)
{
	job *j = g_new0(job, 1);
	j->par = t->par;
	j->part = p;
	j->t = *t;
	ts *w = &j->t;
	w->par = NULL;
	w->lay = gb_layout_new(t->pw, t->ph);
	w->d = gb_diag_new("gsi-book", stderr);
	w->found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	w->clones = g_ptr_array_new();
	w->notes_set = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, noted);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_hash_table_add(w->notes_set, k);
	w->heads = copy_strings(t->heads);
	w->link_said = w->link_words = w->link_found = w->url_placed = NULL;
	w->link_kept = NULL;
	/* the notes of addresses it makes, numbered when joined */
	w->made_shared = t->made;
	w->made = w->made_joined = NULL;
	w->url_count = 0;
	w->made_part = place;
	if (t->link_kept) {
		w->link_kept = g_hash_table_new(g_direct_hash, g_direct_equal);
		g_hash_table_iter_init(&it, t->link_kept);
		while (g_hash_table_iter_next(&it, &k, NULL))
			g_hash_table_add(w->link_kept, k);
	}
	w->folios = g_array_new(FALSE, FALSE, sizeof(gb_ts_folio));
	w->galley = NULL;
	w->failed = false;
	w->in_note = false;
	j->pg = (pager){ w, 0, 0, true, NULL, NULL };
	return j;
}

/* A worker's folio as the book's: its number moved on by base. */
static char *folio_on(const char *label, int base)
{
	return g_strdup_printf("%d", atoi(label) + base);
}

/* Joins job j's pages and what it collected to t's and pg's. */
static void join(ts *t, pager *pg, job *j)
{
	ts *w = &j->t;
	/* a part whose setting said something is set again (its
	   diagnostics are said by every build) */
	if (t->part_keys)
		g_ptr_array_add(t->part_keys, !j->key || gb_diag_errors(w->d) ||
				gb_diag_warnings(w->d) ? NULL :
				g_strconcat(j->key, " ", j->digest, NULL));
	g_free(j->key);
	g_free(j->digest);
	gb_diag_replay(t->d, w->d);
	gb_diag_free(w->d);
	if (w->failed)
		t->failed = true;
	/* its notes of addresses numbered on from the parts' before */
	gb_ts_made_join(t, w);
	/* the part opens on a recto: a blank verso before it */
	gb_layout *lay = t->lay;
	if (lay->pages->len % 2 == 1) {
		gb_page *blank = gb_layout_add_page(lay, false);
		blank->label = g_strdup_printf("%d", ++pg->arabic);
		blank->left = t->outer;
	}
	int base = pg->arabic;
	guint first = lay->pages->len;
	g_ptr_array_set_free_func(w->lay->pages, NULL);
	for (guint i = 0; i < w->lay->pages->len; i++) {
		gb_page *p = w->lay->pages->pdata[i];
		char *label = folio_on(p->label, base);
		g_free(p->label);
		p->label = label;
		p->number = (int)lay->pages->len + 1;
		g_ptr_array_add(lay->pages, p);
	}
	pg->arabic += j->pg.arabic;
	for (guint i = 0; i < w->folios->len; i++) {
		const gb_ts_folio *f = &g_array_index(w->folios, gb_ts_folio, i);
		gb_ts_folio_set(t, lay->pages->pdata[first + f->page], f);
	}
	g_array_free(w->folios, TRUE);
	g_ptr_array_set_free_func(w->lay->outline, NULL);
	for (guint i = 0; i < w->lay->outline->len; i++)
		g_ptr_array_add(lay->outline, w->lay->outline->pdata[i]);
	gb_layout_free(w->lay);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, w->found);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_replace(t->found, g_strdup(k), folio_on(v, base));
	g_hash_table_destroy(w->found);
	/* links: what they said and where they ended (references.c) */
	if (w->link_found) {
		if (!t->link_found)
			t->link_found = g_hash_table_new_full(g_direct_hash, g_direct_equal,
							      NULL, g_free);
		g_hash_table_iter_init(&it, w->link_found);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_replace(t->link_found, k, folio_on(v, base));
		g_hash_table_destroy(w->link_found);
	}
	if (w->link_said) {
		if (!t->link_said)
			t->link_said = g_hash_table_new_full(g_direct_hash, g_direct_equal,
							     NULL, g_free);
		g_hash_table_iter_init(&it, w->link_said);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_replace(t->link_said, k, g_strdup(v));
		g_hash_table_destroy(w->link_said);
	}
	if (w->link_words) {
		if (!t->link_words)
			t->link_words = g_hash_table_new(g_direct_hash, g_direct_equal);
		g_hash_table_iter_init(&it, w->link_words);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_replace(t->link_words, k, v);
		g_hash_table_destroy(w->link_words);
	}
	if (w->link_kept) {
		if (!t->link_kept)
			t->link_kept = g_hash_table_new(g_direct_hash, g_direct_equal);
		g_hash_table_iter_init(&it, w->link_kept);
		while (g_hash_table_iter_next(&it, &k, NULL))
			g_hash_table_add(t->link_kept, k);
		g_hash_table_destroy(w->link_kept);
	}
	if (w->url_placed) {
		/* the notes of addresses in the order placed, after t's */
		guint n = g_hash_table_size(w->url_placed);
		const char **order = g_new0(const char *, n);
		g_hash_table_iter_init(&it, w->url_placed);
		while (g_hash_table_iter_next(&it, &k, &v))
			order[GPOINTER_TO_UINT(v) - 1] = k;
		if (!t->url_placed)
			t->url_placed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		for (guint i = 0; i < n; i++)
			if (!g_hash_table_contains(t->url_placed, order[i]))
				g_hash_table_insert(t->url_placed, g_strdup(order[i]),
						    GUINT_TO_POINTER(g_hash_table_size(t->url_placed) + 1));
		g_free(order);
		g_hash_table_destroy(w->url_placed);
	}
	g_hash_table_iter_init(&it, w->notes_set);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_hash_table_add(t->notes_set, k);
	g_hash_table_destroy(w->notes_set);
	for (guint i = 0; i < w->clones->len; i++)
		g_ptr_array_add(t->clones, w->clones->pdata[i]);
	g_ptr_array_free(w->clones, TRUE);
	g_hash_table_iter_init(&it, w->heads);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_hash_table_contains(t->heads, k))
			g_hash_table_insert(t->heads, g_strdup(k), g_strdup(v));
	g_hash_table_destroy(w->heads);
	/* as one core leaves them after the part (what is set next without
	   a language of its own is set in the one the last part left; the
	   contents set their own: front.c) */
	t->part = w->part;
	t->lang = w->lang;
	t->left = w->left;
	t->right = w->right;
	t->in_note = w->in_note;
}

/* Joins the jobs done from *joined on, in order; all: waiting for them. */
static void join_done(ts *t, pager *pg, guint *joined, bool all)
{
	struct gb_ts_par *par = t->par;
	while (*joined < par->jobs->len) {
		job *j = par->jobs->pdata[*joined];
		g_mutex_lock(&par->lock);
		while (all && !j->done)
			g_cond_wait(&par->done, &par->lock);
		bool done = j->done;
		g_mutex_unlock(&par->lock);
		if (!done)
			return;
		join(t, pg, j);
		g_free(j);
		(*joined)++;
	}
}

bool gb_ts_set_parts(ts *t, pager *pg, const gb_node *first)
{
	if (!t->par || !first->next)
		return false;
	struct gb_ts_par *par = t->par;
	GPtrArray *jobs = g_ptr_array_new();
	GHashTable *noted = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTableIter it;
	gpointer k;
	g_hash_table_iter_init(&it, t->notes_set);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_hash_table_add(noted, k);
	/* the context's language is the last one text was set in (inline.c
	   sets a part's own before its text): each part starts with the one
	   the parts before it leave, as on one core */
	PangoLanguage *lang = pango_context_get_language(t->pc);
	/* the keys of the parts this pass sets (a server's build: it can
	   keep their pages when they do not change) */
	bool keyed = t->opt->keep != NULL, url_notes = false;
	if (t->part_keys)
		g_ptr_array_free(t->part_keys, TRUE);
	t->part_keys = keyed ? g_ptr_array_new_with_free_func(g_free) : NULL;
	for (const gb_node *p = first; p; p = p->next) {
		job *j = job_new(t, p, noted, jobs->len + 1);
		j->lang = lang;
		if (keyed)
			j->key = gb_ts_part_key(t, p, lang, noted, &url_notes);
		if (p->lang)
			lang = pango_language_from_string(p->lang);
		g_ptr_array_add(jobs, j);
		gb_node_walk(p, notes_referred, noted);
	}
	g_hash_table_destroy(noted);
	for (guint i = 0; url_notes && i < jobs->len; i++)
		g_clear_pointer(&((job *)jobs->pdata[i])->key, g_free);
	g_mutex_lock(&par->lock);
	par->jobs = jobs;
	par->next = 0;
	g_mutex_unlock(&par->lock);
	for (guint i = 0; i < par->n; i++)
		g_thread_pool_push(par->pool, par, NULL);
	/* this thread sets parts too, with t's own context, and joins
	   those done between them */
	slot mine = { t->map, t->pc, t->hyph, t->font_listed };
	guint joined = 0;
	for (job *j; (j = claim(par));) {
		work(j, &mine);
		t->font_listed = mine.font_listed;
		join_done(t, pg, &joined, false);
	}
	join_done(t, pg, &joined, true);
	gb_ts_made_settle(t);
	pango_context_set_language(t->pc, lang);
	g_mutex_lock(&par->lock);
	par->jobs = NULL;
	g_mutex_unlock(&par->lock);
	g_ptr_array_free(jobs, TRUE);
	return true;
}
