"""parts.py GSI BOOKDIR - prints a problem when 'gsi-book serve' parses
again a part file an edit did not change, or keeps the parse of one it
changed, or when after the edits a page's picture differs from the one a
server just started on the same files draws.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["TOP"], "tests", "lib"))
from serveclient import free_port, get, status, wait  # noqa: E402

gsi, book = sys.argv[1:3]


def start():
    port = free_port()
    p = subprocess.Popen([gsi, "serve", "-q", "--port", str(port), book],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p, port, wait(port, 0)


def pictures(port, n):
    return [get(port, f"/pages/page-{i:03d}.png")[1] for i in range(1, n + 1)]


def write(name, text):
    with open(os.path.join(book, name), "w", encoding="utf-8") as f:
        f.write(text)


def read(name):
    with open(os.path.join(book, name), encoding="utf-8") as f:
        return f.read()


def parsed(st, what, want_parsed, want_kept):
    got = (st.get("parts_parsed"), st.get("parts_kept"))
    if got != (want_parsed, want_kept):
        print(f"{what}: parts parsed and kept {got}, not {(want_parsed, want_kept)}")
    if not st["ok"]:
        print(f"{what}: the rebuild failed: {st['errors']}")


two = read("two.md")
para = "A paragraph of words that fill the page, one after another. " * 12
p, port, st = start()
try:
    parsed(st, "the first build", 3, 0)
    b = st["build"]
    pages = st["pages"]
    write("two.md", two + "\n\n# A New Heading\n\n" + (para + "\n\n") * 6)
    st = wait(port, b)
    parsed(st, "two.md edited", 1, 2)
    if st["pages"] <= pages:
        print(f"the edit did not add pages: {pages} then {st['pages']}")
    b = st["build"]
    write("book.yaml", read("book.yaml").replace("Ten Pages", "Ten Pages Kept"))
    st = wait(port, b)
    parsed(st, "book.yaml's title edited", 0, 3)
    b = st["build"]
    write("book.yaml", read("book.yaml").replace("lang: en", "lang: en-GB"))
    st = wait(port, b)
    parsed(st, "book.yaml's language edited", 3, 0)
    b = st["build"]
    write("three.md", read("three.md").replace("\n\n", "\n\nThree's edit. ", 1))
    st = wait(port, b)
    parsed(st, "three.md edited", 1, 2)
    kept = pictures(port, st["pages"])
finally:
    p.terminate()
    p.wait(timeout=30)

p, port, st2 = start()
try:
    fresh = pictures(port, st2["pages"])
finally:
    p.terminate()
    p.wait(timeout=30)
if st2["pages"] != st["pages"]:
    print(f"{st['pages']} pages after the edits, {st2['pages']} from a new server")
differ = [i + 1 for i, (a, b) in enumerate(zip(kept, fresh)) if a != b]
if differ:
    print(f"pages {differ} differ from a new server's after the edits")
