"""partkeys.py GSI BOOKDIR - writes a book of four chapters into BOOKDIR,
serves it (its parts set on two threads), edits it, and prints a problem
when /status's parts_keyed and parts_same are not what the edits left
(the parts whose pages are made of the same as the build before's), or
when a part of the same key set other pages (parts_same_differ).
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["TOP"], "tests", "lib"))
from serveclient import free_port, get, wait  # noqa: E402

gsi, book = sys.argv[1:3]
para = "A paragraph of words that fill the page, one after another. " * 12


def write(name, text):
    with open(os.path.join(book, name), "w", encoding="utf-8") as f:
        f.write(text)


def yaml(parts):
    write("book.yaml", "title: Four Parts\nauthor: Test Text\nlang: en\n"
          "date: 2024-06-01\nparts:\n" + "".join(f"  - file: {p}\n" for p in parts))


write("a.md", "# Alpha\n\n" + para + "\n\nSee [the target](#the-target).\n")
write("b.md", "# Beta\n\n" + para + "\n")
write("c.md", "# Gamma\n\n" + para + "\n\n## The Target\n\n" + para + "\n")
write("d.md", "# Delta\n\n" + para + "\n")
write("n.md", "# New\n\n" + para + "\n")
yaml(["a.md", "b.md", "c.md", "d.md"])

port = free_port()
env = dict(os.environ, GSI_BOOK_THREADS="2")
p = subprocess.Popen([gsi, "serve", "-q", "--port", str(port), book], env=env,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    st = wait(port, 0)

    def expect(what, keyed, same):
        got = (st.get("parts_keyed"), st.get("parts_same"))
        if not st.get("ok"):
            print(f"{what}: the build failed: {str(st.get('errors'))[:300]}")
        if got != (keyed, same):
            print(f"{what}: parts keyed and the same {got}, not {(keyed, same)}")
        # a part of the same key set what it set before
        if st.get("parts_same_differ") != 0:
            print(f"{what}: {st.get('parts_same_differ')} parts of the same key set "
                  "other pages than the build before")

    expect("the first build", 4, 0)
    steps = [
        ("d.md's text edited", lambda: write("d.md", "# Delta\n\nEdited. " + para + "\n"), 4, 3),
        # the pages after b move: a's link prints another page; c and d
        # are as they were
        ("b.md grown by pages", lambda: write("b.md", "# Beta\n\n" + (para + "\n\n") * 12), 4, 2),
        # every chapter after the new one has another number, and a's
        # target moved
        ("a chapter put after a.md", lambda: yaml(["a.md", "n.md", "b.md", "c.md", "d.md"]), 5, 0),
        ("b.md's heading edited", lambda: write("b.md", "# Beta Renamed\n\n" + (para + "\n\n") * 12), 5, 4),
    ]
    for what, edit, keyed, same in steps:
        b = st["build"]
        edit()
        st = wait(port, b)
        expect(what, keyed, same)
    kept = [get(port, f"/pages/page-{i:03d}.png")[1] for i in range(1, st["pages"] + 1)]
finally:
    p.terminate()
    p.wait(timeout=30)

# what the server kept across the rebuilds (the workers' fonts, contexts
# and shaped words) changes nothing: every page as a new server's
port = free_port()
p = subprocess.Popen([gsi, "serve", "-q", "--port", str(port), book], env=env,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    st2 = wait(port, 0)
    fresh = [get(port, f"/pages/page-{i:03d}.png")[1] for i in range(1, st2["pages"] + 1)]
finally:
    p.terminate()
    p.wait(timeout=30)
if len(kept) != len(fresh):
    print(f"{len(kept)} pages after the edits, {len(fresh)} from a new server")
differ = [i + 1 for i, (a, b) in enumerate(zip(kept, fresh)) if a != b]
if differ:
    print(f"pages {differ} differ from a new server's after the edits")
