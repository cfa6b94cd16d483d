"""memory.py GSI BOOKDIR REBUILDS FROM LIMIT_KB - prints a problem when
'gsi-book serve' grows: it starts the server, appends a paragraph to the
first chapter REBUILDS times, each time waiting for the new build and its
editions (written in the background), reads the server's VmRSS from
/proc after each, and complains when the mean growth a rebuild from rebuild
FROM to the last, the two largest steps left out, is LIMIT_KB or more.
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["TOP"], "tests", "lib"))
from serveclient import free_port, status, wait_for as wait  # noqa: E402

gsi, book = sys.argv[1:3]
rebuilds, start, limit = (int(a) for a in sys.argv[3:6])


def editions(st):
    """The build whose editions are written (a server without them in the
    background writes them with the build)."""
    return st.get("editions", st["build"])


def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))


port = free_port()
p = subprocess.Popen([gsi, "serve", "-q", "--port", str(port), book],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait(port, lambda st: st["build"] >= 1 and editions(st) >= 1, "the first build")
    chapter = os.path.join(book, sorted(f for f in os.listdir(book) if f.endswith(".md"))[0])
    sizes = []
    for k in range(rebuilds):
        b = status(port)["build"]
        with open(chapter, "a", encoding="utf-8") as f:
            f.write(f"\nA paragraph added by rebuild {k}.\n")
        st = wait(port, lambda st: st["build"] > b and editions(st) > b, f"rebuild {k}")
        if not st["ok"]:
            print(f"rebuild {k} failed: {st}")
        sizes.append(rss(p.pid))
finally:
    p.terminate()
    p.wait(timeout=30)
# the growth a rebuild, from rebuild FROM on, without the two largest
# steps: a thread's new malloc arena or a heap grown in one go is a step
# of a megabyte or two once, a leak a step at (nearly) every rebuild
steps = sorted(sizes[i + 1] - sizes[i] for i in range(start - 1, rebuilds - 1))[:-2]
per = sum(steps) / len(steps)
if per >= limit:
    print(f"serve grew {per:.0f} KB a rebuild from rebuild {start} to {rebuilds} "
          f"(the two largest steps left out; resident KB: {sizes}); the limit is {limit}")
