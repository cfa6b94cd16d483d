/* licences.c - a font package's licence set as a page of the e-book: its name, fields and text as paragraphs (ep.h) */
#include "epub/ep.h"

#include "design/licence.h"

/* A heading's id: "licence-N" or "licence-N-K". */
static void heading(GString *o, const char *tag, const char *id, const char *text)
{
	g_string_append_printf(o, "<%s id=\"%s\">", tag, id);
	gb_ep_esc(o, text);
	g_string_append_printf(o, "</%s>\n", tag);
}

static void fields_and_text(GString *o, const gb_licence_part *part)
{
	/* a title of the text one level under the part's heading */
	const char *title = part->heading ? "h4" : "h3";
	for (guint i = 0; i < part->items->len; i++) {
		const gb_licence_item *it = g_ptr_array_index(part->items, i);
		if (it->name) {
			g_string_append(o, "<p class=\"field\"><span class=\"key\">");
			gb_ep_esc(o, it->name);
			g_string_append(o, ":</span>");
			/* a value of several lines (copyright holders, files)
			   starts on the line after its name */
			g_string_append(o, strchr(it->text, '\n') ? "<br/>\n" : " ");
			gb_ep_esc_lines(o, it->text);
			g_string_append(o, "</p>\n");
		} else {
			const char *tag = it->title ? title : "p";
			g_string_append_printf(o, "<%s>", tag);
			gb_ep_esc(o, it->text);
			g_string_append_printf(o, "</%s>\n", tag);
		}
	}
}

void gb_ep_licence_section(GString *o, const char *text, const char *title, int n)
{
	gb_licence *l = gb_licence_parse(text);
	char *id = g_strdup_printf("licence-%d", n);
	g_string_append_printf(o, "<section class=\"licence\" aria-labelledby=\"%s\">\n", id);
	heading(o, "h2", id, title);
	for (guint i = 0; i < l->parts->len; i++) {
		const gb_licence_part *part = g_ptr_array_index(l->parts, i);
		if (!part->heading) {
			fields_and_text(o, part);
			continue;
		}
		/* a licence's text: a section under its name */
		char *sub = g_strdup_printf("%s-%u", id, i + 1);
		g_string_append_printf(o, "<section aria-labelledby=\"%s\">\n", sub);
		heading(o, "h3", sub, part->heading);
		fields_and_text(o, part);
		g_string_append(o, "</section>\n");
		g_free(sub);
	}
	g_string_append(o, "</section>\n");
	g_free(id);
	gb_licence_free(l);
}
