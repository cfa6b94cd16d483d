"""normalize.py FILE [--xhtml]: the HTML of a part, as one line to compare
gsi-book's EPUB with pandoc's HTML: the <section> and <h1> tags, ids,
classes and epub/aria attributes, <dfn> and the print edition's page
breaks dropped, white space collapsed
and taken from around tags."""
import re
import sys
html = open(sys.argv[1], encoding='utf-8').read()
if '--xhtml' in sys.argv:
    html = html[html.index('<section'):html.rindex('</section>')]
html = re.sub(r'</?(section|dfn)\b[^>]*>', '', html)
html = re.sub(r'<span epub:type="pagebreak"[^>]*/>', '', html)
html = re.sub(r'<(h1)\b[^>]*>', r'<\1>', html)
html = re.sub(r'\s+', ' ', html)
html = re.sub(r' ?(<[^>]+>) ?', r'\1', html)
print(html.strip())
