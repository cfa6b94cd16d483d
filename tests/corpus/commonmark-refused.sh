#!/bin/sh
# tests/corpus/commonmark-refused.sh - the CommonMark spec's examples: each
# is taken into a book, or refused with the diagnostics the list gives.
#
#   sh tests/corpus/commonmark-refused.sh GSI-BOOK
#
# Reads tests/corpus/commonmark-examples.json (every example of the
# CommonMark spec, and the GFM spec's table examples),
# tests/corpus/commonmark-refused.txt (the refused ones, the rule each
# breaks and gsi-book's diagnostics) and tests/corpus/books/commonmark-*/
# (the taken ones), all written by tests/corpus/convert/commonmark.sh, and
# checks that:
#   - every example is in exactly one of the books or in the list, and
#     each book's example file (example-NNN.md, gfm-example-NNN.md) is its
#     heading ('# Example N', '# GFM Example N'), a blank line and the
#     example as the spec gives it; the books hold no other Markdown;
#   - each refused example, built as a book of its own, makes
#     `gsi-book check` print exactly its listed diagnostics (and the count
#     of them) and exit with status 1, with nothing on stdout; and
#     `gsi-book all` the same, and that the editions were not written,
#     writing nothing;
#   - each book of taken examples checks with status 0 and no error: no
#     example in it is refused.
# Prints a line per problem and exits 1 if there is any, else prints a
# summary and exits 0.
set -eu
gsi=${1:?usage: commonmark-refused.sh GSI-BOOK}
case $gsi in /*) ;; *) gsi=$(pwd)/$gsi ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/commonmark-refused.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

LC_ALL=C.UTF-8 python3 - "$top" "$gsi" "$tmp" <<'EOF'
import glob, json, os, re, subprocess, sys

top, gsi, tmp = sys.argv[1:4]
corpus = os.path.join(top, "tests", "corpus")
env = dict(os.environ, LC_ALL="C", TZ="UTC")
problems = []

examples = json.load(open(os.path.join(corpus, "commonmark-examples.json"),
                          encoding="utf-8"))
def chapter(e):
    return "# %s\n\n%s" % (e["heading"], e["markdown"])
ids = [e["id"] for e in examples]

refused = {}
with open(os.path.join(corpus, "commonmark-refused.txt"), encoding="utf-8") as f:
    for line in f:
        if line.startswith("#"):
            continue
        n, rule, diag = line.rstrip("\n").split("\t")
        refused.setdefault(n, []).append(diag)

taken = {}
books = sorted(glob.glob(os.path.join(corpus, "books", "commonmark-*")))
for b in books:
    for p in sorted(glob.glob(os.path.join(b, "*.md"))):
        taken.setdefault(os.path.basename(p), []).append(p)
files = {e["file"]: e["id"] for e in examples}
for f, ps in sorted(taken.items()):
    if f not in files:
        problems.append("%s is no example's file" % os.path.relpath(ps[0], top))
    if len(ps) > 1:
        problems.append("%s is in %d books" % (f, len(ps)))
taken = {files[f]: ps[0] for f, ps in taken.items() if f in files}

for e in examples:
    n = e["id"]
    if n in taken and n in refused:
        problems.append("example %s is both in a book and in the refused list" % n)
    elif n not in taken and n not in refused:
        problems.append("example %s is in no book and not in the refused list" % n)
    elif n in taken:
        with open(taken[n], encoding="utf-8", newline="") as f:
            if f.read() != chapter(e):
                problems.append("%s is not the spec's example %s as it is"
                                % (os.path.relpath(taken[n], top), n))
for n in sorted(set(refused) - set(ids)):
    problems.append("example %s of the refused list is not in the specs" % n)

# each refused example, a book of its own
for e in examples:
    n = e["id"]
    if n not in refused:
        continue
    work = os.path.join(tmp, "ex" + n)
    book = os.path.join(work, "book")
    os.makedirs(book)
    with open(os.path.join(book, "book.yaml"), "w") as f:
        f.write("title: %s Spec, %s\nauthor: John MacFarlane\n"
                "lang: en\nparts:\n  - %s\n" % (e["spec"], e["heading"], e["file"]))
    with open(os.path.join(book, e["file"]), "w", encoding="utf-8", newline="\n") as f:
        f.write(chapter(e))
    errors = sum(1 for d in refused[n] if ": error: " in d)
    warnings = sum(1 for d in refused[n] if ": warning: " in d)
    summary = ("gsi-book: %d error%s, %d warning%s" %
               (errors, "" if errors == 1 else "s", warnings, "" if warnings == 1 else "s"))
    # check, and a build of both editions, which writes nothing (it
    # counts the errors only of the checks before typesetting: a
    # character no font draws is found while typesetting)
    for args, tail in ((["check", "book"], [summary]),
                       (["all", "-q", "-o", "out", "book"],
                        [summary] * ("cannot be drawn" not in refused[n][0]) +
                        ["gsi-book: the editions were not both written"])):
        try:
            p = subprocess.run([gsi] + args, cwd=work, env=env,
                               capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            problems.append("example %s: gsi-book %s did not end within 60 s" % (n, args[0]))
            continue
        # (-q keeps the warnings out of stderr; the summary counts them)
        want = [d for d in refused[n] if args[0] == "check" or ": warning: " not in d] + tail
        got = p.stderr.decode("utf-8", "replace").splitlines()
        if p.returncode != 1 or got != want or p.stdout or os.path.exists(os.path.join(work, "out")):
            problems.append("example %s: gsi-book %s: exit status %d (want 1); stderr:\n    %s\n  want:\n    %s%s%s"
                            % (n, args[0], p.returncode, "\n    ".join(got), "\n    ".join(want),
                               "\n  and stdout" if p.stdout else "",
                               "\n  and it wrote out/" if os.path.exists(os.path.join(work, "out")) else ""))

# each book of taken examples checks with no error
for b in books:
    p = subprocess.run([gsi, "check", b], env=env, capture_output=True, timeout=120)
    last = p.stdout.decode("utf-8", "replace").rstrip("\n").split("\n")[-1]
    if p.returncode != 0 or not last.startswith("0 errors,"):
        problems.append("%s: exit status %d, %s\n    %s"
                        % (os.path.relpath(b, top), p.returncode, last,
                           p.stderr.decode("utf-8", "replace").replace("\n", "\n    ")))

for x in problems:
    print(x)
if problems:
    sys.exit(1)
print("%d examples: %d in %d books, %d refused as listed"
      % (len(examples), len(taken), len(books), len(refused)))
EOF
