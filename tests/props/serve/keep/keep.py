"""keep.py GSI BOOKDIR LIMIT_KB - prints a problem when 'gsi-book serve'
reads LIMIT_KB or more on a rebuild after the third (what /proc/PID/io
counts as read: rchar; each rebuild measured once the child writing the
last build's editions is reaped, whose reads Linux then adds), or when, after edits that bring new words, an
error and its mending, a page's picture differs from the one a server
just started on the same files draws.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ["TOP"], "tests", "lib"))
from serveclient import free_port, get, status, wait  # noqa: E402

gsi, book = sys.argv[1:3]
limit = int(sys.argv[3])


def editions_done(port, st):
    """Waits until the child writing the editions of build st (when it
    succeeded) is done and reaped: Linux adds a reaped child's reads to
    its parent's rchar, which would count them as the next rebuild's."""
    end = time.time() + 60
    while st["ok"] and st.get("editions", 0) < st["build"] and time.time() < end:
        time.sleep(0.02)
        st = status(port)
    return st


def start():
    port = free_port()
    p = subprocess.Popen([gsi, "serve", "-q", "--port", str(port), book],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p, port, wait(port, 0)


def pictures(port, n):
    return [get(port, f"/pages/page-{i:03d}.png")[1] for i in range(1, n + 1)]


def read_bytes(pid):
    with open(f"/proc/{pid}/io") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("rchar:"))


chapter = os.path.join(book, "two.md")
with open(chapter, encoding="utf-8") as f:
    text = f.read()
edits = [text.replace("\n\n", f"\n\nNewfangled{k} quixotry{k} ", 1) for k in range(6)]
edits.insert(3, text + "\nA note[^nowhere] never defined.\n")

p, port, st = start()
try:
    reads = []
    for k, new in enumerate(edits):
        st = editions_done(port, st)
        b = st["build"]
        r0 = read_bytes(p.pid)
        with open(chapter, "w", encoding="utf-8") as f:
            f.write(new)
        st = wait(port, b)
        reads.append(read_bytes(p.pid) - r0)
        if k == 3 and st["ok"]:
            print(f"the error did not fail the rebuild: {st}")
        time.sleep(0.2)
    if not st["ok"]:
        print(f"the last rebuild failed: {st}")
    kept = pictures(port, st["pages"])
    late = reads[4:]
    if max(late) >= limit * 1024:
        print(f"rebuilds read {[r // 1024 for r in reads]} KB (after the fourth: "
              f"under {limit} KB each)")
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
