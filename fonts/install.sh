#!/bin/sh
# fonts/install.sh - copy the book's fonts (listed in fonts/MANIFEST) out of
# their installed Debian packages into fonts/, verifying each against its
# sha256, and copy each package's copyright file next to them.
#
# Usage (from the repository top): sh fonts/install.sh
#   V=1              report what is copied/checked
#   FONTS_MANIFEST=F read F instead of fonts/MANIFEST (for testing)
#
# Idempotent: files are only rewritten when they differ, so make stays
# incremental. Silent on success unless V=1. Ends by touching fonts/.stamp.
set -eu

me=fonts/install.sh
dir=$(dirname "$0")                     # the fonts/ directory
manifest=${FONTS_MANIFEST:-$dir/MANIFEST}
V=${V:-0}
tab=$(printf '\t')
seen=' '                                # packages whose copyright is done

say() { if [ "$V" = 1 ]; then echo "$me: $*"; fi; }
die() { echo "$me: error: $*" >&2; exit 1; }

# find_in_pkg PACKAGE BASENAME: print the path of BASENAME in the installed
# PACKAGE, or nothing if the package or the file is missing.
find_in_pkg() {
	dpkg -L "$1" 2>/dev/null |
	awk -v f="$2" '{ n = split($0, p, "/"); if (p[n] == f) { print; exit } }'
}

# update SRC DST: copy SRC to DST only if DST is absent or different.
update() {
	if cmp -s "$1" "$2"; then
		say "up to date: $2"
	else
		cp "$1" "$2.tmp" && mv -f "$2.tmp" "$2"
		say "copied $1 -> $2"
	fi
}

[ -r "$manifest" ] || die "manifest '$manifest' not found"

while IFS="$tab" read -r family style file pkg sum licence; do
	case $family in ''|'#'*) continue ;; esac
	[ -n "$licence" ] || die "$manifest: malformed line for '$family'"

	src=$(find_in_pkg "$pkg" "$file")
	if [ -z "$src" ] || [ ! -f "$src" ]; then
		die "font '$file' not found: install the Debian package '$pkg' (or run 'make book')"
	fi
	update "$src" "$dir/$file"

	# Verify the copy against the manifest; never leave a bad font behind.
	actual=$(sha256sum < "$dir/$file")
	actual=${actual%% *}
	if [ "$actual" != "$sum" ]; then
		rm -f "$dir/$file"
		die "sha256 mismatch for '$dir/$file' ($family $style, from '$src'):
  expected $sum
  actual   $actual
  (removed the copy; update fonts/MANIFEST if package '$pkg' changed on purpose)"
	fi
	say "verified $dir/$file"

	# Licence: the package's copyright file, once per package.
	case $seen in *" $pkg "*) continue ;; esac
	seen="$seen$pkg "
	copyright=/usr/share/doc/$pkg/copyright
	[ -f "$copyright" ] ||
		die "'$copyright' not found: install the Debian package '$pkg' (or run 'make book')"
	update "$copyright" "$dir/$pkg.copyright"
done < "$manifest"

touch "$dir/.stamp"
