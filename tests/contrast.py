#!/usr/bin/env python3
"""tests/contrast.py CSS... - WCAG contrast of every colour an e-book's
stylesheet sets, in every reading mode (issue 23).

A reading system shows a book on a page of its own colour: white, sepia
(#fbf0d9) or, in its night mode, black.  The stylesheet may set a
colour for the light pages and override it for the dark ones, under
`@media (prefers-color-scheme: dark)` and for the reading systems' own
night modes (Apple Books: `:root[__ibooks_internal_theme*="Night"]`;
Readium, Thorium: `:root[style*="readium-night-on"]`).  For each
selector that sets `color`, this finds the colour that applies in each
mode (the mode's override, else the light one) and its contrast with
the mode's page: text needs 4.5:1 (WCAG 1.4.3), a border 3:1 (1.4.11).
`inherit`, `currentColor` and the like take the reading system's own
text colour, which is its own to make legible.

Prints one line a problem (and nothing when there is none); exit 1 when
any, 2 when a stylesheet cannot be read or sets a colour this cannot
read.
"""
import re
import sys

WHITE, SEPIA, BLACK = (255, 255, 255), (0xfb, 0xf0, 0xd9), (0, 0, 0)
PAGES = {"white": WHITE, "sepia": SEPIA, "black": BLACK}

NAMED = {"black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0),
         "gray": (128, 128, 128), "grey": (128, 128, 128),
         "silver": (192, 192, 192), "maroon": (128, 0, 0),
         "navy": (0, 0, 128), "blue": (0, 0, 255), "green": (0, 128, 0)}
# values that are the reading system's (or the parent's) colour, not ours
THEIRS = {"inherit", "initial", "unset", "revert", "currentcolor",
          "transparent", "canvastext"}

# the night modes: a prefix of the selector (the root's attribute) or a
# media query, each on a black page
NIGHT_ROOTS = {
    "apple-night": re.compile(r':root\[__ibooks_internal_theme\*="Night"\]\s*'),
    "readium-night": re.compile(r':root\[style\*="readium-night-on"\]\s*'),
}
DARK_MEDIA = re.compile(r"prefers-color-scheme\s*:\s*dark")


def luminance(rgb):
    def lin(c):
        c = c / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def parse_colour(v):
    """An (r, g, b), None for the reading system's colour, or raises."""
    v = v.strip().lower()
    v = re.sub(r"\s*!important$", "", v)
    if v in THEIRS:
        return None
    m = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", v)
    if m:
        h = m.group(1)
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    m = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)", v)
    if m:
        if m.group(4) is not None and float(m.group(4)) < 1:
            raise ValueError("a colour with transparency: " + v)
        return tuple(int(m.group(i)) for i in (1, 2, 3))
    if v in NAMED:
        return NAMED[v]
    raise ValueError("a colour this cannot read: " + v)


def border_colour(v):
    """The colour of a border shorthand's value, None when it has none."""
    for word in re.findall(r"#[0-9a-fA-F]+|rgba?\([^)]*\)|[A-Za-z-]+", v):
        w = word.lower()
        if w.startswith("#") or w.startswith("rgb") or w in NAMED or w in THEIRS:
            return word
    return None


def rules(css):
    """(media, selector, [(property, value)]) for every rule, media being
    the condition of the @media it is in ('' when none)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = []

    def walk(text, media):
        i = 0
        while True:
            j = text.find("{", i)
            if j < 0:
                return
            head = text[i:j].strip()
            # the block's end, nesting counted
            depth, k = 1, j + 1
            while depth and k < len(text):
                depth += {"{": 1, "}": -1}.get(text[k], 0)
                k += 1
            body = text[j + 1:k - 1]
            # a statement at-rule (@charset, @import) before the head
            head = re.sub(r"^(@(charset|import|namespace)[^;]*;\s*)+", "", head)
            if head.startswith("@media"):
                walk(body, head[len("@media"):].strip())
            elif not head.startswith("@"):
                decls = []
                for d in body.split(";"):
                    if ":" in d:
                        p, v = d.split(":", 1)
                        decls.append((p.strip().lower(), v.strip()))
                for sel in head.split(","):
                    out.append((media, " ".join(sel.split()), decls))
            i = k

    walk(css, "")
    return out


def main(paths):
    problems = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                css = f.read()
        except OSError as e:
            print(f"{path}: {e.strerror}")
            return 2
        # mode -> selector -> property -> value; 'light' is the base
        modes = {"light": {}, "dark": {}}
        for m in NIGHT_ROOTS:
            modes[m] = {}
        for media, sel, decls in rules(css):
            if media and not DARK_MEDIA.search(media):
                continue   # print, a width...: not a reading mode
            mode, base = ("dark" if media else "light"), sel
            for name, root in NIGHT_ROOTS.items():
                if root.match(sel):
                    mode, base = name, root.sub("", sel, count=1) or ":root"
            for p, v in decls:
                if p == "color":
                    modes[mode].setdefault(base, {})["color"] = v
                elif p.startswith("border") and p.endswith("color") or p in (
                        "border", "border-top", "border-bottom",
                        "border-left", "border-right"):
                    c = v if p.endswith("color") else border_colour(v)
                    if c is not None:
                        modes[mode].setdefault(base, {})["border"] = c
        checks = [("light", "white"), ("light", "sepia")]
        checks += [(m, "black") for m in modes if m != "light"]
        for mode, page in checks:
            sels = set(modes["light"]) | set(modes[mode])
            for sel in sorted(sels):
                for what, need in (("color", 4.5), ("border", 3.0)):
                    v = modes[mode].get(sel, {}).get(what)
                    if v is None:
                        v = modes["light"].get(sel, {}).get(what)
                    if v is None:
                        continue
                    try:
                        rgb = parse_colour(v)
                    except ValueError as e:
                        print(f"{path}: {sel}: {e}")
                        return 2
                    if rgb is None:
                        continue
                    r = contrast(rgb, PAGES[page])
                    if r < need:
                        problems.append(
                            f"{path}: {mode} mode on {page}: '{sel}' "
                            f"{'color' if what == 'color' else 'border colour'} "
                            f"{v} has contrast {r:.2f}:1 (needs {need}:1)")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: contrast.py CSS...", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
