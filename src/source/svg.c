/* svg.c - an SVG without scripts, handlers or references outside it. */
#include "source/svg.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

/* Whether the url() argument at p (after "url(") stays inside the
   picture: #id or a data: image (not SVG). */
static bool url_inside(const char *p)
{
	while (g_ascii_isspace(*p) || *p == '"' || *p == '\'')
		p++;
	return *p == '#' || (!g_ascii_strncasecmp(p, "data:image/", 11) &&
			     g_ascii_strncasecmp(p, "data:image/svg", 14));
}

/*
 * CSS text s (a style sheet, a style attribute or a presentation
 * attribute) without what fetches from outside the picture: each @import
 * rule goes, each url() to anything but #id or a data: image becomes
 * none (as a reading system that blocks remote resources draws it).
 * NULL when it cannot be read safely: it holds an escape (which could
 * spell any of these) or javascript:.  The caller frees the result.
 */
static char *css_clean(const char *s)
{
	if (strchr(s, '\\'))
		return NULL;
	char *low = g_ascii_strdown(s, -1);
	if (strstr(low, "javascript:") || strstr(low, "expression(")) {
		g_free(low);
		return NULL;
	}
	GString *o = g_string_new(NULL);
	size_t n = strlen(s);
	for (size_t i = 0; i < n; ) {
		if (!strncmp(low + i, "@import", 7)) {
			/* up to its semicolon (or the end) */
			const char *semi = strchr(low + i, ';');
			i = semi ? (size_t)(semi - low) + 1 : n;
			continue;
		}
		if (!strncmp(low + i, "url(", 4) && !url_inside(low + i + 4)) {
			const char *close = strchr(low + i, ')');
			g_string_append(o, "none");
			i = close ? (size_t)(close - low) + 1 : n;
			continue;
		}
		g_string_append_c(o, s[i]);
		i++;
	}
	g_free(low);
	return g_string_free(o, FALSE);
}

/* Whether an href value stays inside the picture: #id or a data: image. */
static bool href_inside(const char *v)
{
	while (v && g_ascii_isspace(*v))
		v++;
	if (!v)
		return true;
	if (v[0] == '#')
		return true;
	return !g_ascii_strncasecmp(v, "data:image/", 11) &&
	       g_ascii_strncasecmp(v, "data:image/svg", 14);
}

/* Whether an address is relative: a file beside the picture, not #id,
   not an absolute address (a scheme) or a network path (//). */
static bool is_relative(const char *v)
{
	while (v && g_ascii_isspace(*v))
		v++;
	if (!v || !*v || *v == '#' || (v[0] == '/' && v[1] == '/'))
		return false;
	if (g_ascii_isalpha(*v)) {
		const char *p = v + 1;
		while (g_ascii_isalnum(*p) || *p == '+' || *p == '-' || *p == '.')
			p++;
		if (*p == ':')
			return false;
	}
	return true;
}

static bool is_named(const xmlNode *n, const char *name)
{
	return !g_ascii_strcasecmp((const char *)n->name, name);
}

/* Whether element n goes as a whole. */
static bool drop_element(xmlNode *n)
{
	static const char *const gone[] = {
		"script", "handler", "listener", "foreignObject", "iframe",
		"embed", "object", "audio", "video",
		/* metadata, never drawn: RDF naming the author, the dates,
		   the tool (Inkscape's, LibreOffice's) */
		"metadata",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(gone); i++)
		if (is_named(n, gone[i]))
			return true;
	if (n->ns && n->ns->href && (strstr((const char *)n->ns->href, "XInclude") ||
				     !strcmp((const char *)n->ns->href,
					     "http://www.w3.org/1999/02/22-rdf-syntax-ns#")))
		return true;
	if (is_named(n, "style")) {
		/* its text without imports and remote url()s, or it goes */
		xmlChar *text = xmlNodeGetContent(n);
		char *clean = css_clean(text ? (const char *)text : "");
		xmlFree(text);
		if (!clean)
			return true;
		xmlNode *c;
		while ((c = n->children)) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
		xmlNodeAddContent(n, (const xmlChar *)clean);
		g_free(clean);
		return false;
	}
	/* an animation that sets a reference, or sets one to an address */
	if (is_named(n, "set") || is_named(n, "animate")) {
		xmlChar *a = xmlGetProp(n, (const xmlChar *)"attributeName");
		bool bad = a && (strstr((const char *)a, "href") || !g_ascii_strcasecmp((const char *)a, "style"));
		xmlFree(a);
		if (bad)
			return true;
	}
	return false;
}

/* Removes the attributes of element e that may run or fetch. */
static void clean_attrs(xmlNode *e, char **why)
{
	xmlAttr *next;
	for (xmlAttr *a = e->properties; a; a = next) {
		next = a->next;
		xmlChar *v = xmlNodeGetContent((xmlNode *)a);
		const char *name = (const char *)a->name;
		char *low = g_ascii_strdown(v ? (const char *)v : "", -1);
		g_strstrip(low);
		bool drop = !g_ascii_strncasecmp(name, "on", 2) ||
			    strstr(low, "javascript:") || strstr(low, "vbscript:") ||
			    ((!strcmp(name, "href") || !strcmp(name, "src")) &&
			     !href_inside((const char *)v));
		/* a file beside the picture that it draws: leaving it out
		   would change the picture */
		if (drop && !*why && !is_named(e, "a") &&
		    (!strcmp(name, "href") || !strcmp(name, "src")) && is_relative((const char *)v))
			*why = g_strdup_printf("draws '%s', a file outside it: an SVG figure must "
					       "hold what it draws (embed it as a data: address)",
					       (const char *)v);
		char *clean = NULL;
		if (!drop && (strstr(low, "url(") || strstr(low, "@import") ||
			      !strcmp(name, "style"))) {
			clean = css_clean(v ? (const char *)v : "");
			drop = !clean;
		}
		g_free(low);
		if (clean && strcmp(clean, (const char *)v))
			xmlSetNsProp(e, a->ns, a->name, (const xmlChar *)clean);
		g_free(clean);
		xmlFree(v);
		if (drop)
			xmlRemoveProp(a);
	}
}

/* Removes what may run or fetch from element e and below. */
static void clean_element(xmlNode *e, int depth, char **why)
{
	xmlNode *next;
	clean_attrs(e, why);
	for (xmlNode *c = e->children; c; c = next) {
		next = c->next;
		if (c->type == XML_PI_NODE || c->type == XML_ENTITY_REF_NODE ||
		    c->type == XML_XINCLUDE_START || c->type == XML_XINCLUDE_END ||
		    (c->type == XML_ELEMENT_NODE && (drop_element(c) || depth > 256))) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		} else if (c->type == XML_ELEMENT_NODE) {
			clean_element(c, depth + 1, why);
			/* a link left with no address is no link: its content
			   takes its place */
			if (is_named(c, "a") && !xmlHasProp(c, (const xmlChar *)"href") &&
			    !xmlHasNsProp(c, (const xmlChar *)"href",
					  (const xmlChar *)"http://www.w3.org/1999/xlink")) {
				xmlNode *k;
				while ((k = c->children)) {
					xmlUnlinkNode(k);
					xmlAddPrevSibling(c, k);
				}
				xmlUnlinkNode(c);
				xmlFreeNode(c);
			}
		}
	}
}

GBytes *gb_svg_clean(const unsigned char *data, size_t len, char **why)
{
	*why = NULL;
	if (len > G_MAXINT) {
		*why = g_strdup("is too large");
		return NULL;
	}
	static gsize init = 0;
	if (g_once_init_enter(&init)) {
		xmlInitParser();
		g_once_init_leave(&init, 1);
	}
	/* no network, no DTD loaded, no entity substituted; errors are ours
	   to report */
	xmlDoc *doc = xmlReadMemory((const char *)data, (int)len, NULL, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
				    XML_PARSE_NOCDATA);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		char *msg = g_strdup(e && e->message ? e->message : "");
		*why = g_strdup_printf("is not an SVG image: it is not well-formed XML%s%s",
				       msg[0] ? ": " : "", g_strchomp(msg));
		g_free(msg);
		return NULL;
	}
	GBytes *ret = NULL;
	xmlNode *root = xmlDocGetRootElement(doc);
	/* a DOCTYPE naming SVG's public DTD is dropped (it is never read);
	   one that declares anything is refused */
	xmlDtd *dtd = doc->intSubset;
	if (doc->extSubset || (dtd && (dtd->children || dtd->entities || dtd->elements ||
				       dtd->attributes || dtd->notations || dtd->pentities))) {
		*why = g_strdup("declares a DTD of its own: an SVG image may declare no "
				"entities (remove the [...] of its <!DOCTYPE>)");
		goto out;
	}
	if (dtd) {
		xmlUnlinkNode((xmlNode *)dtd);
		xmlFreeDtd(dtd);
		doc->intSubset = NULL;
	}
	if (!root || strcmp((const char *)root->name, "svg")) {
		*why = g_strdup("is not an SVG image: its root element is not <svg>");
		goto out;
	}
	/* the document's own processing instructions and comments before
	   the root go, as do those inside it */
	xmlNode *next;
	for (xmlNode *c = doc->children; c; c = next) {
		next = c->next;
		if (c->type == XML_PI_NODE) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
	}
	if (drop_element(root)) {
		*why = g_strdup("is not an SVG image: its root element is not <svg>");
		goto out;
	}
	clean_element(root, 0, why);
	if (*why)
		goto out;
	xmlChar *out = NULL;
	int n = 0;
	xmlDocDumpMemoryEnc(doc, &out, &n, "UTF-8");
	if (!out || n <= 0) {
		*why = g_strdup("cannot be written again");
		xmlFree(out);
		goto out;
	}
	ret = g_bytes_new(out, (gsize)n);
	xmlFree(out);
out:
	xmlFreeDoc(doc);
	return ret;
}
