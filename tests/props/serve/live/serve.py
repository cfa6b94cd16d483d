"""serve.py GSI BOOKDIR TMPDIR - drives 'gsi-book serve' as a browser
would (no browser yet): prints what is wrong, one problem a line.

Starts the server on a free port, edits a chapter (in place, by rename, a
burst of saves), follows GET /status until the build number rises, breaks
the source and mends it, waits for the editions written in the
background (/book.pdf, /book.epub, the EPUB's chapter), sends requests with a wrong Host and paths
outside what is served, checks from /proc/net/tcp that it listens on
127.0.0.1 only, and stops it with SIGTERM (and a second one with SIGINT):
exit status 0 and its temporary folder gone.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

gsi, book, tmp = sys.argv[1:4]
problems = []


def problem(msg):
    problems.append(msg)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, path, host=None, method="GET"):
    """(status, body) of one raw HTTP request: the path as it is sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        head = f"{method} {path} HTTP/1.1\r\n"
        if host is not False:
            head += f"Host: {host or f'127.0.0.1:{port}'}\r\n"
        s.sendall((head + "Connection: close\r\n\r\n").encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def request_type(port, path):
    """(status, Content-Type, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    ctype = re.search(rb"(?im)^Content-Type: *([^;\r]*)", head)
    return int(head.split()[1]), ctype.group(1).decode() if ctype else "", body


def status(port):
    code, body = request(port, "/status")
    return json.loads(body) if code == 200 else None


def wait_build(port, above, what):
    """The status once its build number is above `above`."""
    end = time.time() + 60
    while time.time() < end:
        st = status(port)
        if st and st["build"] > above:
            return st
        time.sleep(0.05)
    problem(f"{what}: /status shows no new build after 60 s")
    return status(port)


def wait_editions(port, build, what):
    """The status once the editions of build `build` are written."""
    end = time.time() + 60
    while time.time() < end:
        st = status(port)
        if st and st.get("editions", 0) >= build:
            return st
        time.sleep(0.05)
    problem(f"{what}: /status shows no editions of build {build} after 60 s")
    return status(port)


def start(port, *options, env=None):
    p = subprocess.Popen([gsi, "serve", *options, "--port", str(port), book], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if f"http://127.0.0.1:{port}/" not in line:
        problem(f"serve printed {line!r}, not its address")
    return p


def stop(p, sig, name):
    p.send_signal(sig)
    try:
        rc = p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        problem(f"serve did not stop on {name}")
        return
    if rc != 0:
        problem(f"serve exited {rc} on {name}: {p.stderr.read()!r}")
    else:
        err = p.stderr.read()
        if err:
            problem(f"serve wrote to its standard error: {err[:300]!r}")
    if os.listdir(tmp):
        problem(f"serve left {os.listdir(tmp)} in its temporary folder after {name}")


port = free_port()
p = start(port)
try:
    st = status(port)
    if not st or st["build"] != 1 or not st["ok"] or st["pages"] < 1 or st["errors"]:
        problem(f"first status: {st}")
    pages = st["pages"] if st else 0
    code, png = request(port, "/pages/page-001.png", host="localhost")
    if code != 200 or not png.startswith(b"\x89PNG"):
        problem(f"/pages/page-001.png (Host localhost): {code}")
    code, html = request(port, "/")
    if code != 200 or html.count(b"<img") != pages:
        problem(f"/: {code}, {html.count(b'<img')} pictures for {pages} pages")

    def pictures(n):
        return [request(port, f"/pages/page-{i:03d}.png")[1] for i in range(1, n + 1)]

    before = pictures(pages)

    # an edit written in place
    chapter = os.path.join(book, "two.md")
    with open(chapter, encoding="utf-8") as f:
        text = f.read()
    with open(chapter, "w", encoding="utf-8") as f:
        f.write(text + "\nA paragraph added while serving.\n")
    st2 = wait_build(port, 1, "an edit in place")
    if st2 and (not st2["ok"] or st2["pages_changed"] < 1 or not st2["ms"] > 0):
        problem(f"after an edit in place: {st2}")
    after = pictures(st2["pages"])
    differ = [i + 1 for i in range(max(len(before), len(after)))
              if i >= len(before) or i >= len(after) or before[i] != after[i]]
    if not differ or not set(differ) <= set(st2["changed"]) or \
            len(st2["changed"]) != st2["pages_changed"]:
        problem(f"after an edit, pictures {differ} differ; /status: {st2}")

    # the editions, written in the background: the EPUB's chapter, its
    # XHTML with the book's CSS, edit included, and the PDF
    wait_editions(port, st2["build"], "an edit in place")
    code, pdf = request(port, "/book.pdf")
    if code != 200 or not pdf.startswith(b"%PDF-"):
        problem(f"/book.pdf after an edit: {code}")
    code, epub = request(port, "/book.epub")
    if code != 200 or not epub.startswith(b"PK"):
        problem(f"/book.epub after an edit: {code}")
    code, html = request(port, "/")
    if b"/epub/EPUB/text/two.xhtml" not in html or b"<iframe" not in html:
        problem("the page offers no EPUB chapter beside the pages")
    code, ctype, xhtml = request_type(port, "/epub/EPUB/text/two.xhtml")
    if code != 200 or ctype != "application/xhtml+xml":
        problem(f"/epub/EPUB/text/two.xhtml: {code} {ctype}")
    elif b"A paragraph added while serving." not in xhtml:
        problem("the EPUB's chapter lacks the edit")
    css = re.findall(rb'<link[^>]*href="([^"]+\.css)"', xhtml)
    if not css:
        problem("the EPUB's chapter links no stylesheet")
    for href in css:
        target = os.path.normpath(os.path.join("/epub/EPUB/text", href.decode()))
        code, ctype, _ = request_type(port, target)
        if code != 200 or ctype != "text/css":
            problem(f"the chapter's stylesheet {target}: {code} {ctype}")

    # a save by rename, as editors do
    b = st2["build"]
    with open(chapter + ".tmp", "w", encoding="utf-8") as f:
        f.write(text + "\nAnother paragraph, saved by rename.\n")
    os.rename(chapter + ".tmp", chapter)
    st3 = wait_build(port, b, "a save by rename")
    if st3 and not st3["ok"]:
        problem(f"after a save by rename: {st3}")

    # a burst of saves, one straight after the other: one rebuild (tried
    # twice, so that a machine too busy to write 8 files within the 30 ms
    # of the debounce does not fail it)
    for attempt in range(2):
        b = status(port)["build"]
        for i in range(8):
            with open(chapter, "w", encoding="utf-8") as f:
                f.write(text + f"\nSave {i} of burst {attempt}.\n")
        wait_build(port, b, "a burst of saves")
        time.sleep(1.5)
        st4 = status(port)
        if st4["build"] - b == 1:
            break
    else:
        problem(f"a burst of 8 saves made {st4['build'] - b} rebuilds, not 1")

    # an error: its file:line:col, the last good pages stay
    b = st4["build"]
    with open(chapter, "w", encoding="utf-8") as f:
        f.write(text + "\nA note[^nowhere] never defined.\n")
    st5 = wait_build(port, b, "an error")
    errs = [e for e in st5["errors"] if e.get("severity") == "error"]
    if st5["ok"] or not errs:
        problem(f"an undefined note: {st5}")
    elif not (errs[0].get("file", "").endswith("two.md") and errs[0].get("line", 0) > 1
              and errs[0].get("col") == 7 and "nowhere" in errs[0]["message"]):
        problem(f"the error's place: {errs[0]}")
    if st5["pages"] != st4["pages"]:
        problem(f"after an error the pages went from {st4['pages']} to {st5['pages']}")
    code, png = request(port, "/pages/page-001.png")
    if code != 200 or not png.startswith(b"\x89PNG"):
        problem(f"after an error, the last good page 1: {code}")
    code, html = request(port, "/")
    if b'id="diagnostics"' not in html or b"nowhere" not in html:
        problem("after an error, the page has no diagnostics panel naming it")
    if html.count(b"<img") != st4["pages"]:
        problem("after an error, the page lost the last good pages")
    with open(chapter, "w", encoding="utf-8") as f:
        f.write(text)
    st6 = wait_build(port, st5["build"], "the error mended")
    if not st6["ok"] or st6["errors"]:
        problem(f"the error mended: {st6}")

    # only requests to 127.0.0.1 or localhost
    for host in ("evil.example", "127.0.0.1.evil.example", f"evil.example:{port}",
                 "localhost.evil.example", False):
        code, _ = request(port, "/status", host=host)
        if code not in (403, 421):
            problem(f"Host {host or '(none)'}: {code}, not refused")
    # nothing outside what is served
    for path in ("/../book.yaml", "/%2e%2e/book.yaml", "/pages/../../two.md",
                 "/pages/..%2fbook.yaml", "/pages/%2e%2e/%2e%2e/etc/passwd",
                 "/pages/page-001.png/../../../book.yaml", "/epub/../two.md",
                 "/epub/EPUB/../../book.yaml", "/epub/%2e%2e/two.md"):
        code, body = request(port, path)
        if code != 403:
            problem(f"{path}: {code}, not refused")
    for path in ("/book.yaml", "/two.md", "/pages/page-999.png", "/pages/book.yaml",
                 "/epub/two.md", "/epub/book.yaml", "/epub/", "/epub/EPUB/text/nope.xhtml"):
        code, body = request(port, path)
        if code == 200:
            problem(f"{path} is served")

    # it listens on 127.0.0.1 only
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            f = row.split()
            addr, hexport = f[1].rsplit(":", 1)
            if f[3] == "0A" and int(hexport, 16) == port:
                listening.append(addr)
    if listening != ["0100007F"]:
        problem(f"listening on {listening} (want 127.0.0.1 only: 0100007F)")
finally:
    stop(p, signal.SIGTERM, "SIGTERM")

p = start(port)
if status(port)["build"] != 1:
    problem("a second server: no first build")
stop(p, signal.SIGINT, "SIGINT")

# --strict: a warning (no date of modification) fails the build
env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
p = start(port, "--strict", env=env)
st = status(port)
if st["ok"] or not any(e["severity"] == "warning" for e in st["errors"]):
    problem(f"--strict with a warning: {st}")
stop(p, signal.SIGTERM, "SIGTERM (--strict)")

for msg in problems:
    print(msg)
