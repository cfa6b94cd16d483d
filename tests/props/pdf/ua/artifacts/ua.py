"""ua.py QDF STRIPPED [KIND]: reads the content streams of QDF (qpdf --qdf)
and prints, one a line, every painting operator that lies outside both
structure content (a marked-content sequence with an /MCID) and an
artifact (/Artifact BMC or BDC), as PDF/UA-1 forbids (ISO 14289-1, 7.1),
and every artifact without a property list naming its /Type (Pagination,
Layout, Page; ISO 32000-1, 14.8.2.2.2), or that draws no text but is
typed Pagination (a rule is Layout); then writes STRIPPED: QDF with every
artifact's sequence taken out (with KIND, e.g. /Header, only those whose
property list holds it), for fix-qdf, to show what was marked."""
import re
import sys

TOKEN = re.compile(rb"""
    \((?:\\.|[^\\)])*\)         # a literal string (cairo escapes parentheses)
  | <<|>>
  | <[0-9A-Fa-f\s]*>            # a hex string
  | \[|\]
  | /[^\s/\[\]()<>{}%]*         # a name
  | %[^\r\n]*                   # a comment
  | [^\s/\[\]()<>{}%]+          # a number or an operator
""", re.S | re.X)
PAINT = {b"Tj", b"TJ", b"'", b'"', b"Do", b"sh", b"EI",
         b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s"}
OPERATOR = re.compile(rb"[A-Za-z'\"*]+$")
NOT_OPERATOR = {b"true", b"false", b"null"}


TEXT = {b"Tj", b"TJ", b"'", b'"'}
TYPES = (b"/Pagination", b"/Layout", b"/Page")


def check(page, data, problems, want=None):
    """The problems of one page's content; returns it without artifacts
    (of kind, if given)."""
    props = b""         # the outermost artifact's property list
    texts = False       # it shows text
    stack = []          # per open sequence: 'mcid', 'artifact' or 'other'
    operands = []
    out = bytearray()
    cut_from = None     # where the artifact being cut began
    seq_start = 0       # where the operands of this operator began
    for m in TOKEN.finditer(data):
        tok = m.group(0)
        if tok.startswith(b"%"):
            continue
        if not operands:
            seq_start = m.start()
        if not (OPERATOR.match(tok) and tok not in NOT_OPERATOR):
            operands.append(tok)
            continue
        if tok in (b"BDC", b"BMC"):
            kind = "other"
            if operands and operands[0] == b"/Artifact":
                kind = "artifact"
            elif b"/MCID" in operands:
                kind = "mcid"
            if not stack and kind == "artifact":
                props = b" ".join(operands[1:]) if tok == b"BDC" else b""
                texts = False
                if want is None or want in props:
                    cut_from = seq_start
                t = [x for x in TYPES if b"/Type " + x + b" " in props + b" "]
                if tok == b"BMC" or not t:
                    problems.append("page %d: an artifact has no /Type: %s"
                                    % (page, (b"/Artifact " + props + b" " + tok).decode("latin-1")))
            stack.append(kind)
        elif tok == b"EMC":
            if not stack:
                problems.append("page %d: an EMC closes nothing" % page)
            else:
                if stack.pop() == "artifact" and not stack and not texts and b"/Pagination" in props:
                    problems.append("page %d: an artifact draws no text but is %s"
                                    % (page, props.decode("latin-1")))
                if not stack and cut_from is not None:
                    out += b" "
                    cut_from = None
                    operands = []
                    continue
        if tok in TEXT and stack and stack[0] == "artifact":
            texts = True
        if tok in PAINT and (not stack or stack[0] == "other"):
            problems.append("page %d: '%s' paints outside structure and "
                            "artifacts" % (page, tok.decode("latin-1")))
        if cut_from is None:
            out += data[seq_start:m.end()] + b"\n"
        operands = []
    if stack:
        problems.append("page %d: marked content does not end" % page)
    return bytes(out)


def main():
    qdf = open(sys.argv[1], "rb").read()
    problems = []
    pages = 0
    result = bytearray()
    at = 0
    marker = re.compile(rb"%% Contents for page (\d+)\n.*?stream\n(.*?)endstream", re.S)
    for m in marker.finditer(qdf):
        pages += 1
        stripped = check(int(m.group(1)), m.group(2), problems,
                         sys.argv[3].encode() if len(sys.argv) > 3 else None)
        result += qdf[at:m.start(2)] + stripped + b"\n"
        at = m.end(2)
    result += qdf[at:]
    if not pages:
        problems.append("no content streams found")
    for p in problems:
        print(p)
    open(sys.argv[2], "wb").write(result)


main()
