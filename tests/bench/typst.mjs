// tests/bench/typst.mjs - make bench's Typst 0.14: compiles a book to PDF
// with typst.ts's node compiler (npm @myriaddreamin/typst-ts-node-compiler
// 0.7.0, pinned by tests/bench/typst/package-lock.json and installed into
// build/typst by tests/bench/bench.sh), with the book's fonts only.
//
//   node tests/bench/typst.mjs MODULES OUT.pdf BODY.typ FONTDIR
//
// The document is tests/bench/typst/book.typ (the design) followed by
// BODY.typ (build/genbook --typst).  Exit 1, with Typst's diagnostics,
// when it does not compile.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [modules, out, body, fonts] = process.argv.slice(2);
if (!fonts) {
	console.error('usage: node typst.mjs MODULES OUT.pdf BODY.typ FONTDIR');
	process.exit(2);
}
const require = createRequire(join(resolve(modules), 'x.js'));
const { NodeCompiler } = require('@myriaddreamin/typst-ts-node-compiler');
const here = dirname(fileURLToPath(import.meta.url));
const source = readFileSync(join(here, 'typst', 'book.typ'), 'utf8') + '\n' +
	readFileSync(body, 'utf8');
const compiler = NodeCompiler.create({ workspace: dirname(body), fontArgs: [{ fontPaths: [fonts] }] });
const result = compiler.compile({ mainFileContent: source });
const doc = result.result;
if (!doc || result.hasError()) {
	console.error('typst: the book does not compile:');
	result.printDiagnostics();
	process.exit(1);
}
const pdf = compiler.pdf(doc, { creationTimestamp: 1700000000 });
writeFileSync(out + '.tmp', pdf);
renameSync(out + '.tmp', out);
