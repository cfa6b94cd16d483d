#!/bin/sh
# tests/validate.sh - check written EPUB files with the offline validators.
#
#   sh tests/validate.sh epubcheck OUTDIR FILE.epub...
#   sh tests/validate.sh ace OUTDIR FILE.epub...
#
# Prints one line per FILE, in order: "ok TOOL NAME", or "FAILED TOOL NAME:
# WHY" followed by the findings indented by 4 spaces (at most 40 of them),
# where NAME is FILE's base name without ".epub".  The full reports stay in
# OUTDIR.  Exit status: 0 when every file passed, 1 when one did not (or a
# validator could not run), 2 on bad usage.
#
# epubcheck  EPUBCheck 4.2.6, Debian's package epubcheck.  Passes when a
#            file has 0 fatal errors, 0 errors and 0 warnings (usage and
#            info messages are fine; they are in the report).  Writes
#            OUTDIR/NAME.epubcheck.json (EPUBCheck's own JSON report) and
#            OUTDIR/NAME.epubcheck.txt (every message, usage ones too).
#            All files are checked in one JVM: EPUBCheck's start-up (its
#            schemas and Saxon) takes about 4 s, each further book 0.1-0.4 s,
#            so one warm JVM beats two cold ones running side by side.
# ace        DAISY Ace 1.4.6 (npm @daisy/ace-cli, pinned by
#            tests/ace/package-lock.json) driving Debian's chromium.
#            Installed into build/ace on first use (ACE_DIR overrides).
#            Passes when Ace's outcome is "pass" (no violation) and no
#            accessibility metadata is missing or empty, except the optional
#            evaluator details in $ace_optional_meta.  Writes the report
#            into OUTDIR/NAME/ (report.json, report.html) and Ace's console
#            output into OUTDIR/NAME.ace.txt.  Runs two files at a time.
#
# Works offline, as root, with no standard input; needs node (both tools'
# JSON is read with node), java for epubcheck, chromium for ace:
# 'bash .ci/deps test' installs them.
set -u

me=tests/validate.sh
top=$(cd "$(dirname "$0")/.." && pwd)

# Ace lists every property of its accessibility-metadata table that a book
# lacks.  These three are optional and their absence is not a failure:
# EPUB Accessibility 1.1 requires dcterms:conformsTo of a conforming book,
# and only recommends naming who evaluated it (a11y:certifiedBy, with the
# evaluator's credential and report, "zero or more" in its vocabulary).
# gsi-book writes a11y:certifiedBy only when book.yaml names a certifier
# ('accessibility: certified-by'): its own checks certify nothing, and a
# name it made up would be a false claim.
ace_optional_meta='a11y:certifiedBy a11y:certifierCredential a11y:certifierReport'

usage() {
	echo "usage: sh $me epubcheck|ace OUTDIR FILE.epub..." >&2
	exit 2
}
[ $# -ge 3 ] || usage
tool=$1
case $tool in epubcheck|ace) ;; *) usage ;; esac
outdir=$2
shift 2

# name FILE: the name of FILE's reports, its base name without ".epub".
name() {
	set -- "${1##*/}"
	printf '%s\n' "${1%.epub}"
}

# Two files of the same name would share their reports; a name must also
# be usable as a directory of OUTDIR (ace's reports go to OUTDIR/NAME).
seen=/
for f; do
	n=$(name "$f")
	case $n in ''|.|..) echo "$me: '$f': no name for its reports" >&2; exit 2 ;; esac
	case $seen in */"$n"/*) echo "$me: two files named '$n'" >&2; exit 2 ;; esac
	seen=$seen$n/
done

mkdir -p "$outdir" || exit 2
outdir=$(cd "$outdir" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gsi-book-validate.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# fail_all WHY FILE...: the validator cannot run: every FILE fails with WHY.
fail_all() {
	why=$1
	shift
	for f; do echo "FAILED $tool $(name "$f"): $why"; done
	exit 1
}

command -v node > /dev/null 2>&1 ||
	fail_all "node is not installed (run 'bash .ci/deps test')" "$@"

# --- EPUBCheck ---------------------------------------------------------------

# Reads ARGV: JSON report, EPUBCheck's exit status, its console output, the
# text report to write, NAME.  Writes the text report, prints the result
# lines and exits 0 if the file passed.
# shellcheck disable=SC2016 # JavaScript, not shell
epubcheck_js='
const fs = require("fs");
const [json, rc, con, txt, name] = process.argv.slice(1);
const indent = (s) => "    " + s;
let console_out = "";
try { console_out = fs.readFileSync(con, "utf8").trim(); } catch (e) {}
let r;
try { r = JSON.parse(fs.readFileSync(json, "utf8")); } catch (e) {
	fs.writeFileSync(txt, console_out + "\n");
	console.log(`FAILED epubcheck ${name}: EPUBCheck wrote no report (exit status ${rc})`);
	console_out.split("\n").slice(-20).forEach((l) => console.log(indent(l)));
	process.exit(1);
}
const where = (m) => {
	const ls = m.locations || [];
	if (!ls.length) return "";
	const l = ls[0];
	let s = l.path || "";
	if (l.line > 0) s += `(${l.line}${l.column > 0 ? "," + l.column : ""})`;
	const more = ls.length - 1 + (m.additionalLocations || 0);
	return s + (more > 0 ? ` (and ${more} more)` : "") + ": ";
};
const line = (m) => `${m.severity}(${m.ID}): ${where(m)}${m.message}`;
const rank = ["FATAL", "ERROR", "WARNING"];
const severity = (m) => (rank.indexOf(m.severity) + 4) % 4;
const messages = (r.messages || []).sort((a, b) => severity(a) - severity(b));
const report = [];
for (const m of messages) {
	report.push(line(m));
	if (m.suggestion) report.push(indent(m.suggestion));
}
report.push("", console_out);
fs.writeFileSync(txt, report.join("\n") + "\n");
const c = r.checker || {};
const bad = messages.filter((m) => /^(FATAL|ERROR|WARNING)$/.test(m.severity));
const counts = [c.nFatal, c.nError, c.nWarning].map((n) => n || 0);
if (rc === "0" && bad.length === 0 && counts.every((n) => n === 0)) {
	console.log(`ok epubcheck ${name}`);
	process.exit(0);
}
if (!bad.length) {
	// e.g. "File not found": said on the console only
	console.log(`FAILED epubcheck ${name}: EPUBCheck exit status ${rc}`);
	console_out.split("\n").filter((l) => l.trim()).slice(0, 20)
		.forEach((l) => console.log(indent(l)));
	process.exit(1);
}
let why = `${counts[0]} fatal, ${counts[1]} errors, ${counts[2]} warnings`;
if (rc !== "0" && rc !== "1") why += ` (exit status ${rc})`;
console.log(`FAILED epubcheck ${name}: ${why}`);
bad.slice(0, 40).forEach((m) => console.log(indent(line(m))));
if (bad.length > 40) console.log(indent(`... ${bad.length - 40} more in ${txt}`));
process.exit(1);
'

run_epubcheck() {
	jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
	[ -f "$jar" ] ||
		fail_all "EPUBCheck is not installed ($jar: run 'bash .ci/deps test')" "$@"
	command -v java > /dev/null 2>&1 ||
		fail_all "java is not installed (run 'bash .ci/deps test')" "$@"

	# The batch runner, run from source by java (its compiler, module
	# jdk.compiler, is part of Debian's openjdk-17-jre-headless).  Its
	# arguments are quadruples: EPUB, JSON report, console output, file
	# for the exit status.  EpubChecker.run() is the command line's own
	# entry point, minus its System.exit().
	cat > "$tmp/EpubcheckBatch.java" <<'EOF'
import java.io.*;
import java.nio.file.*;

public class EpubcheckBatch {
	public static void main(String[] a) throws Exception {
		PrintStream out = System.out, err = System.err;
		for (int i = 0; i + 3 < a.length; i += 4) {
			int rc;
			try (PrintStream log = new PrintStream(new FileOutputStream(a[i + 2]), true, "UTF-8")) {
				System.setOut(log);
				System.setErr(log);
				try {
					rc = new com.adobe.epubcheck.tool.EpubChecker().run(
						new String[] { a[i], "-u", "-j", a[i + 1] });
				} catch (Throwable e) {
					e.printStackTrace();
					rc = 99;
				} finally {
					System.setOut(out);
					System.setErr(err);
				}
			}
			Files.write(Paths.get(a[i + 3]), (rc + "\n").getBytes("UTF-8"));
		}
	}
}
EOF
	# "$@" becomes the runner's quadruples (the loop's list is expanded
	# before the loop runs).
	nfiles=$#
	i=0
	for f; do
		i=$((i + 1))
		n=$(name "$f")
		rm -f "$outdir/$n.epubcheck.json" "$outdir/$n.epubcheck.txt"
		set -- "$@" "$f" "$outdir/$n.epubcheck.json" "$tmp/$i.out" "$tmp/$i.rc"
	done
	shift "$nfiles"
	# -Xss1024k: the jar's Debian-Java-Parameters (deeply nested XML).
	java -Xss1024k -cp "$jar" "$tmp/EpubcheckBatch.java" "$@" \
		< /dev/null > "$tmp/batch.out" 2>&1

	status=0
	while [ $# -ge 4 ]; do
		# Not done by the batch (it failed to compile, or the JVM died):
		# run EPUBCheck's own command line on this file, and keep what the
		# batch said in OUTDIR/epubcheck-batch.txt.
		if [ ! -s "$4" ]; then
			java -Xss1024k -jar "$jar" "$1" -u -j "$2" < /dev/null > "$3" 2>&1
			echo $? > "$4"
			cp "$tmp/batch.out" "$outdir/epubcheck-batch.txt"
		fi
		node -e "$epubcheck_js" -- "$2" "$(cat "$4")" "$3" \
			"$outdir/$(name "$1").epubcheck.txt" "$(name "$1")" || status=1
		shift 4
	done
	exit $status
}

# --- Ace -----------------------------------------------------------------------

# Reads ARGV: report.json, Ace's exit status, its console output, NAME, the
# optional metadata.  Prints the result lines and exits 0 if the file passed.
# shellcheck disable=SC2016 # JavaScript, not shell
ace_js='
const fs = require("fs");
const [json, rc, con, name, optional] = process.argv.slice(1);
const indent = (s) => "    " + s;
const plain = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");
let r;
try { r = JSON.parse(fs.readFileSync(json, "utf8")); } catch (e) {
	console.log(`FAILED ace ${name}: Ace wrote no report (exit status ${rc})`);
	let out = "";
	try { out = plain(fs.readFileSync(con, "utf8")).trim(); } catch (e) {}
	out.split("\n").slice(-20).forEach((l) => console.log(indent(l)));
	process.exit(1);
}
// Violations: the assertions whose outcome is "fail" and that name a test,
// found at any depth (the report nests them per document).
const fails = [];
const walk = (list, doc) => {
	for (const a of list || []) {
		const subject = a["earl:testSubject"];
		const d = subject && subject.url ? subject.url : doc;
		const res = a["earl:result"] || {};
		if (a["earl:test"] && res["earl:outcome"] === "fail") fails.push([a, d]);
		walk(a.assertions, d);
	}
};
walk(r.assertions, "");
// "[impact] rule: what the test checks (document: where)", then the first
// line of what was found, when it says more.
const violation = ([a, doc]) => {
	const t = a["earl:test"], res = a["earl:result"];
	const ptr = res["earl:pointer"] && res["earl:pointer"].css;
	const at = doc + (ptr && ptr.length ? ": " + [...new Set(ptr)].join(", ") : "");
	const found = (res["dct:description"] || "").split("\n")[0].trim();
	return `[${t["earl:impact"]}] ${t["dct:title"]}: ${t["dct:description"]}` +
		(at ? ` (${at})` : "") +
		(found && found !== t["dct:description"] ? "\n" + indent(found) : "");
};
const meta = r["a11y-metadata"] || {};
const skip = new Set(optional.split(" "));
const missing = (meta.missing || []).filter((p) => !skip.has(p))
	.concat((meta.empty || []).map((p) => p + " (empty)"));
const outcome = (r["earl:result"] || {})["earl:outcome"];
if ((rc === "0") && outcome === "pass" && !fails.length && !missing.length) {
	console.log(`ok ace ${name}`);
	process.exit(0);
}
const why = [];
if (fails.length) why.push(`${fails.length} violations`);
if (missing.length) why.push(`${missing.length} metadata missing`);
if (outcome !== "pass" && !fails.length) why.push(`outcome ${outcome}`);
if (rc !== "0" && rc !== "2") why.push(`exit status ${rc}`);
console.log(`FAILED ace ${name}: ${why.join(", ")}`);
const lines = fails.map(violation).concat(missing.map((p) => `missing metadata: ${p}`));
lines.slice(0, 40).forEach((l) => console.log(l.split("\n").map(indent).join("\n")));
if (lines.length > 40) console.log(indent(`... ${lines.length - 40} more in ${json}`));
process.exit(1);
'

run_ace() {
	# Ace 1.4.6 wants Node.js 20 or later.
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
	[ "${major:-0}" -ge 20 ] 2>/dev/null ||
		fail_all "Ace 1.4.6 needs Node.js 20 or later, node is $(node --version 2>&1)" "$@"

	acedir=${ACE_DIR:-$top/build/ace}
	ace=$acedir/node_modules/.bin/ace-cli
	lock=$top/tests/ace/package-lock.json
	# Installed when the lockfile it came from is the current one.
	if [ ! -x "$ace" ] || ! cmp -s "$lock" "$acedir/.installed"; then
		command -v npm > /dev/null 2>&1 ||
			fail_all "npm is not installed (run 'bash .ci/deps test')" "$@"
		echo "installing DAISY Ace from tests/ace into ${acedir#"$top"/} (npm ci)"
		if ! { rm -rf "$acedir" && mkdir -p "$acedir" &&
		       cp "$top/tests/ace/package.json" "$lock" "$acedir/"; }; then
			fail_all "cannot create $acedir" "$@"
		fi
		# No install scripts: the only one is puppeteer's, which would
		# download a browser; Debian's chromium is used instead.
		if ! (cd "$acedir" && PUPPETEER_SKIP_DOWNLOAD=true \
		      npm ci --ignore-scripts --no-audit --no-fund) \
		      < /dev/null > "$tmp/npm.out" 2>&1; then
			sed 's/^/    /' "$tmp/npm.out" | tail -n 20
			fail_all "npm ci failed in $acedir" "$@"
		fi
		cp "$lock" "$acedir/.installed"
	fi

	browser=${PUPPETEER_EXECUTABLE_PATH:-$(command -v chromium)}
	if [ -z "$browser" ] || [ ! -x "$browser" ]; then
		fail_all "chromium is not installed (run 'bash .ci/deps test')" "$@"
	fi
	# Ace's puppeteer starts the browser headless with --no-sandbox (so it
	# runs as root) and aborts every http(s) request of the pages.  The
	# browser still resolves Google's hosts on start (accounts, updates,
	# extensions); this wrapper makes every host name unresolvable, so
	# nothing leaves the machine.
	cat > "$tmp/chromium" <<EOF
#!/bin/sh
exec '$browser' '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost' \\
	--disable-component-update --no-pings "\$@"
EOF
	chmod +x "$tmp/chromium"
	# Ace's settings and logs, the browser's profile and crash database go
	# to $tmp, not to the user's home or /tmp.
	mkdir -p "$tmp/home/tmp"
	export TMPDIR="$tmp/home/tmp"
	export PUPPETEER_EXECUTABLE_PATH="$tmp/chromium" PUPPETEER_SKIP_DOWNLOAD=true
	export XDG_CONFIG_HOME="$tmp/home/config" XDG_CACHE_HOME="$tmp/home/cache" \
	       XDG_DATA_HOME="$tmp/home/data" XDG_STATE_HOME="$tmp/home/state"

	# Two files at a time, each in the background; results in order after.
	i=0
	for f; do
		i=$((i + 1))
		n=$(name "$f")
		rm -rf "${outdir:?}/${n:?}" "$outdir/$n.ace.txt"
		{
			"$ace" -f -E -o "$outdir/$n" "$f" < /dev/null > "$outdir/$n.ace.txt" 2>&1
			echo $? > "$tmp/$i.rc"
		} &
		[ $((i % 2)) = 0 ] && wait
	done
	wait

	status=0
	i=0
	for f; do
		i=$((i + 1))
		n=$(name "$f")
		node -e "$ace_js" -- "$outdir/$n/report.json" "$(cat "$tmp/$i.rc" 2>/dev/null)" \
			"$outdir/$n.ace.txt" "$n" "$ace_optional_meta" || status=1
	done
	exit $status
}

"run_$tool" "$@"
