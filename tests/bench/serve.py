"""serve.py GSI BOOKDIR [EDITS] - gsi-book serve's update time, as make
bench reports it (tests/bench/bench.sh).

Starts 'gsi-book serve' on BOOKDIR (a copy: it is edited) on a free port,
waits for its first build, then makes EDITS (10) one-paragraph edits to
the chapter in the middle of the book, one after the other, each written
in place as an editor saves: a word added to a paragraph in the middle of
the chapter.  Each edit is timed from just before the write to the moment
GET /status shows the new build (whose changed pages' pictures the server
draws before it says so); the picture of the first changed page is then
fetched to check that it is there (not timed).  Prints one line:

  median MS worst MS server MS cpu MS pages N changed C phases R/L/C/D

(the median and worst of the edits, the medians of what the server says
the rebuild took, in wall and CPU time, the page count, the median count
of changed pages, the medians of the server's phases: reading the book,
laying it out, comparing the pages, drawing the changed ones), or
"failed: WHY" and exits 1.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

gsi, book = sys.argv[1:3]
edits = int(sys.argv[3]) if len(sys.argv) > 3 else 10


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  "Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(1 << 16):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def status(port):
    code, body = get(port, "/status")
    return json.loads(body) if code == 200 else None


def fail(why):
    log.seek(0)
    said = log.read().decode(errors="replace").strip().splitlines()
    print(f"failed: {why}" + (f" (it said: {said[-1]})" if said else ""))
    sys.exit(1)


chapters = sorted(f for f in os.listdir(book) if f.endswith(".md"))
if not chapters:
    fail(f"no chapters in {book}")
chapter = os.path.join(book, chapters[len(chapters) // 2])
with open(chapter, encoding="utf-8") as f:
    text = f.read()
paras = text.split("\n\n")
# the prose paragraph nearest the middle of the chapter
mid = len(paras) // 2
pick = min((i for i, p in enumerate(paras)
            if p and p[0].isalpha() and len(p) > 200),
           key=lambda i: abs(i - mid), default=None)
if pick is None:
    fail(f"no paragraph to edit in {chapter}")

port = free_port()
log = tempfile.TemporaryFile()
p = subprocess.Popen([gsi, "serve", "-q", "--port", str(port), book],
                     stdout=subprocess.DEVNULL, stderr=log)
try:
    st = None
    end = time.time() + 300
    while time.time() < end:
        try:
            st = status(port)
        except OSError:
            st = None
        if st and st["build"] >= 1:
            break
        time.sleep(0.05)
    if not st or not st["ok"]:
        fail(f"no first build: {st}")
    time.sleep(0.5)
    walls, server, cpu, changed, phases = [], [], [], [], []
    for k in range(edits):
        b = st["build"]
        words = paras[pick].split(" ")
        words.insert(len(words) // 2, f"edited{k}")
        new = paras[:pick] + [" ".join(words)] + paras[pick + 1:]
        t0 = time.monotonic()
        with open(chapter, "w", encoding="utf-8") as f:
            f.write("\n\n".join(new))
        while True:
            st = status(port)
            if st["build"] > b:
                break
            if time.monotonic() - t0 > 120:
                fail(f"edit {k}: no new build after 120 s")
            time.sleep(0.001)
        walls.append((time.monotonic() - t0) * 1000)
        if not st["ok"] or not st["pages_changed"]:
            fail(f"edit {k}: {st}")
        server.append(st["ms"])
        cpu.append(st.get("cpu_ms", 0))
        ph = st.get("phases", {})
        phases.append([ph.get(k, 0) for k in ("read", "layout", "compare", "draw")])
        changed.append(st["pages_changed"])
        code, png = get(port, f"/pages/page-{st['changed'][0]:03d}.png")
        if code != 200 or not png.startswith(b"\x89PNG"):
            fail(f"edit {k}: the changed page's picture: {code}")
        time.sleep(0.3)
finally:
    p.terminate()
    p.wait(timeout=30)
print(f"median {statistics.median(walls):.0f} worst {max(walls):.0f} "
      f"server {statistics.median(server):.0f} cpu {statistics.median(cpu):.0f} "
      f"pages {st['pages']} "
      f"changed {statistics.median(changed):.0f} phases "
      + "/".join(f"{statistics.median(p[i] for p in phases):.0f}" for i in range(4)))
