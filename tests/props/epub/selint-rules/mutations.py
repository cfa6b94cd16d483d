"""Each rule of tests/selint.py, broken once in a copy of an EPUB: the
rule's code, the entry changed, the text replaced and its replacement."""
import subprocess
import sys
import zipfile

I = 'EPUB/text/inline.xhtml'
CSS = 'EPUB/css/book.css'
OPF = 'EPUB/package.opf'
MUTATIONS = [
    ('t-001', I, 'water is\nH', 'water\u00a0 is\nH'),
    ('t-008', I, 'ones, it', 'ones,, it'),
    ('t-012', I, 'ten.<a epub', 'ten. <a epub'),
    ('t-014', I, 'break—like', 'break——like'),
    ('t-037', I, '“curly”', '“curly ”'),
    ('t-038', I, 'ellipsis…</p>', 'ellipsis “</p>'),
    ('t-041', I, 'ones, it', 'ones , it'),
    ('t-055', I, 'ones, it', 'ones´, it'),
    ('t-058', I, 'ones, it', 'ones\u00ad, it'),
    ('t-026', 'EPUB/text/cover.xhtml', '."/>', '"/>'),
    ('s-004', I, '<h2 id="a-checklist">', '<p><img src="x.png"/></p><h2 id="a-checklist">'),
    ('s-008', I, 'ellipsis…</p>', 'ellipsis…<br/></p>'),
    ('s-010', I, '<h2 id="a-checklist">', '<p></p><h2 id="a-checklist">'),
    ('s-014', I, '<h2 id="a-checklist">', '<p>x</p><br/><h2 id="a-checklist">'),
    ('s-021', I, '<title>Marks Within the Line</title>', '<title> </title>'),
    ('s-031', I, 'epub:type="chapter"', 'epub:type="chapter chapter"'),
    ('s-033', I, 'lang="en" xml:lang="en"', 'lang="de" xml:lang="de"'),
    ('s-042', I, '<h2 id="a-checklist">', '<table><tr><td>x</td></tr></table><h2 id="a-checklist">'),
    ('s-062', 'EPUB/text/dl.xhtml', '<dl', '<dl epub:type="glossary"><dt>x</dt><dd>y</dd></dl><dl'),
    ('s-074', I, '<h2 id="a-checklist">', '<table><thead><tr><th></th></tr></thead><tbody><tr><td>x</td></tr></tbody></table><h2 id="a-checklist">'),
    ('s-075', I, '</section>\n</body>', '</section>\n<p>x</p></body>'),
    ('s-079', I, '<h2 id="a-checklist">', '<p> </p><h2 id="a-checklist">'),
    ('s-097', I, 'ellipsis…</p>', 'ellipsis…<a>x</a></p>'),
    ('s-108', I, '<h2 id="a-checklist">', '<table><thead><tr><td>x</td></tr></thead><tbody><tr><td>x</td></tr></tbody></table><h2 id="a-checklist">'),
    ('x-007', I, 'id="a-checklist"', 'id="1-checklist"'),
    ('x-009', I, 'id="a-checklist"', 'id="a-checklist-07"'),
    ('x-016', I, '<h1 id="marks">', '<h1 id="marks" xml:lang="En">'),
    ('x-017', I, 'id="a-checklist"', 'id="book-title"'),
    ('c-003', CSS, 'h1, h2,', '[xml|lang] h1, h2,'),
    ('c-022', CSS, 'font-size: 0.9em;', 'font-size: 0.9rem;'),
    ('c-023', CSS, 'font-size: 0.9em;', 'font-size: 9pt;'),
    ('c-024', CSS, 'line-height: 1.2;', 'line-height: 1.2em;'),
    ('c-025', CSS, 'max-height: 100%;', 'height: 100%;'),
    ('m-012', OPF, '<dc:title id="title">', '<dc:title id="title">"'),
    ('m-013', OPF, 'textual</meta>', "text'ual</meta>"),
    ('m-014', OPF, '<dc:language>en', '<dc:description>a -- b</dc:description>\n<dc:language>en'),
    ('m-018', OPF, 'textual</meta>', 'textual&apos;</meta>'),
    ('m-022', OPF, '<dc:language>', '<dc:publisher></dc:publisher><dc:language>'),
    ('m-028', OPF, '<meta property="schema:accessMode">visual</meta>', ''),
    ('m-029', OPF, '<meta property="schema:accessibilityFeature">alternativeText</meta>', ''),
    ('m-045', 'EPUB/nav.xhtml', '>Marks Within the Line<', '>Marks<'),
    ('f-007', OPF, '<itemref idref="part-inline"/>', ''),
    ('f-008', OPF, 'href="text/inline.xhtml"', 'href="text/in%20line.xhtml"', 'EPUB/text/in line.xhtml'),
]


def main(selint, epub, out):
    src = zipfile.ZipFile(epub)
    names = src.namelist()
    bad = 0
    for code, entry, old, new, *rename in [(None, None, None, None)] + MUTATIONS:
        path = f'{out}/{code or "unchanged"}.epub'
        with zipfile.ZipFile(path, 'w') as z:
            for n in names:
                data = src.read(n)
                if n == entry:
                    text = data.decode('utf-8')
                    if old not in text:
                        print(f'{code}: "{old}" is not in {entry}: the mutation needs updating')
                        bad = 1
                    data = text.replace(old, new, 1).encode('utf-8')
                # (f-008: the part's document renamed as the OPF says)
                z.writestr(rename[0] if rename and n == I else n, data)
        r = subprocess.run([sys.executable, selint, path], capture_output=True, text=True)
        codes = {line.split()[1] for line in r.stdout.splitlines() if len(line.split()) > 1}
        if code is None and r.returncode != 0:
            print(f'the unchanged EPUB fails: {r.stdout.strip()[:300]}')
            bad = 1
        elif code and code not in codes:
            print(f'{code} ({entry}: "{old}" made "{new}") not reported; selint said: {r.stdout.strip()[:200]}{r.stderr.strip()[-200:]}')
            bad = 1
        elif code and r.returncode == 0:
            print(f'{code}: reported, but selint exits 0')
            bad = 1
    return bad


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
