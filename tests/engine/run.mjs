// tests/engine/run.mjs - the reading-engine test (run by tests/engine/run.sh,
// which says how to call it and installs its engines).
//
//   node tests/engine/run.mjs [--sizes phone,tablet] [--themes light,sepia,dark]
//        [--pages all|first] [--shots yes|no] OUTDIR FILE.epub...
//
// Opens each EPUB in foliate-js in headless chromium, at each size in each
// theme, pages through it (every page with --pages all, the default; the
// first page of each section with --pages first), checks every section
// (page.mjs) and the navigation, saves a screenshot of each page shown
// under OUTDIR/shots/NAME/, and prints "ok engine NAME" or "FAILED engine
// NAME: N problems" with the problems indented below (at most 40; all of
// them in OUTDIR/NAME.engine.txt).  Exits 0 when every book passed.
import { createServer } from 'node:http'
import { readFileSync, writeFileSync, mkdirSync, rmSync, mkdtempSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { join, resolve, basename, dirname, extname } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const modules = process.env.ENGINE_MODULES ?? resolve(here, '../../build/engine/node_modules')
const { chromium } = await import(join(modules, 'playwright-core/index.mjs'))

const sizes = { phone: { width: 390, height: 844 }, tablet: { width: 820, height: 1180 } }
const args = process.argv.slice(2)
const opt = { sizes: 'phone,tablet', themes: 'light,sepia,dark', pages: 'all', shots: 'yes' }
while (args[0]?.startsWith('--')) {
    const [k, v] = [args.shift().slice(2), args.shift()]
    if (!(k in opt) || v === undefined) usage()
    opt[k] = v
}
if (args.length < 2) usage()
function usage() {
    console.error('usage: node tests/engine/run.mjs [--sizes phone,tablet] [--themes light,sepia,dark] [--pages all|first] [--shots yes|no] OUTDIR FILE.epub...')
    process.exit(2)
}
const outdir = resolve(args.shift())
const files = args.map(f => resolve(f))
const useSizes = opt.sizes.split(',')
const useThemes = opt.themes.split(',')
if (useSizes.some(s => !sizes[s]) || useThemes.some(t => !['light', 'sepia', 'dark'].includes(t))
    || !['all', 'first'].includes(opt.pages) || !['yes', 'no'].includes(opt.shots)) usage()
mkdirSync(outdir, { recursive: true })
const tmp = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), 'gsi-book-engine.'))

// fonts FILE: { sha256: { file, chars } } of every font in the EPUB FILE,
// its characters as fontconfig reads the font's cmap (fc-query)
function fonts(file, i) {
    const out = {}
    const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n')
        .filter(n => /\.(otf|ttf|woff2?)$/i.test(n))
    for (const n of names) {
        const bytes = execFileSync('unzip', ['-p', file, n], { maxBuffer: 1 << 28 })
        const hash = createHash('sha256').update(bytes).digest('hex')
        const f = join(tmp, `font${i}${extname(n)}`)
        writeFileSync(f, bytes)
        const charset = execFileSync('fc-query', ['--format=%{charset}', f], { encoding: 'utf8' })
        const chars = []
        for (const r of charset.trim().split(/\s+/).filter(Boolean)) {
            const [a, b] = r.split('-').map(x => parseInt(x, 16))
            for (let c = a; c <= (b ?? a); c++) chars.push(c)
        }
        out[hash] = { file: n, chars }
    }
    return out
}

// the server: foliate-js, this directory's page, and the books
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.epub': 'application/epub+zip' }
const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
    let file = null
    if (path.startsWith('/foliate/')) file = join(modules, 'foliate-js', path.slice(9))
    else if (path === '/engine/page.html' || path === '/engine/page.mjs') file = join(here, basename(path))
    else if (/^\/book\/\d+\.epub$/.test(path)) file = files[parseInt(path.slice(6))]
    if (!file || file.includes('/../')) { res.writeHead(404); res.end(); return }
    try {
        const body = readFileSync(file)
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
        res.end(body)
    } catch (e) { res.writeHead(404); res.end() }
})
await new Promise(r => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${server.address().port}`

const browser = await chromium.launch({
    executablePath: process.env.ENGINE_CHROMIUM ?? '/usr/bin/chromium',
    // nothing leaves the machine (the page needs only 127.0.0.1)
    args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1', '--disable-component-update', '--no-pings'],
})

// ev PAGE FN ARG: PAGE's FN(ARG), or an error after ENGINE_TIMEOUT
// seconds (default 120): an engine that hangs fails its book, never the
// whole test
const timeout = (parseFloat(process.env.ENGINE_TIMEOUT ?? '120') || 120) * 1000
function ev(page, fn, arg) {
    let timer
    return Promise.race([
        page.evaluate(fn, arg).finally(() => clearTimeout(timer)),
        new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`the engine did not answer within ${timeout / 1000} s`)), timeout)
        }),
    ])
}

// test I: the findings of the book files[I], as the lines to print
async function test(i) {
    const file = files[i]
    const name = basename(file).replace(/\.epub$/, '')
    const start = Date.now()
    const findings = new Map() // text -> [where]
    const note = (text, at) => {
        if (!findings.has(text)) findings.set(text, [])
        const w = findings.get(text)
        if (!w.includes(at)) w.push(at)
    }
    const shots = join(outdir, 'shots', name)
    rmSync(shots, { recursive: true, force: true })
    mkdirSync(shots, { recursive: true })
    let fontInfo
    try { fontInfo = fonts(file, i) } catch (e) { note(`cannot read the EPUB's fonts: ${e.message}`, 'fonts') }
    let nShots = 0, navSays = ''
    let combo = `${useSizes[0]} ${useThemes[0]}`
    // One page a book: the sizes and themes change in place, as a reader
    // turns a tablet or switches the night mode.
    const context = await browser.newContext({ viewport: sizes[useSizes[0]], deviceScaleFactor: 1 })
    const page = await context.newPage()
    page.setDefaultTimeout(120000)
    page.on('pageerror', e => note(`the engine failed: ${e.message}`, combo))
    let shown = null
    const show = async (size, theme) => {
        // a section the engine loads gets the theme on show
        if (shown === `${size} ${theme}`) return ev(page, () => window.engine.where())
        shown = combo = `${size} ${theme}`
        await page.emulateMedia({ colorScheme: theme === 'dark' ? 'dark' : 'light' })
        const vp = page.viewportSize()
        const resized = vp.width !== sizes[size].width || vp.height !== sizes[size].height
        if (resized) await page.setViewportSize(sizes[size])
        return ev(page, ([t, r]) => window.engine.setTheme(t, r), [theme, resized])
    }
    try {
        await page.goto(`${base}/engine/page.html`)
        await page.waitForFunction(() => window.engineReady)
        const sections = await ev(page, ([u, t, f]) => window.engine.open(u, t, f),
            [`${base}/book/${i}.epub`, useThemes[0], fontInfo ?? {}])
        const nav = await ev(page, () => window.engine.checkNavigation())
        for (const f of nav.found) note(f, 'navigation')
        navSays = `, ${nav.toc} contents entries, ${nav.pages} page-list entries`
        // visit POS SIZE THEME: check the section on show (once for each
        // size and theme) and keep a picture of the page
        const checked = new Set()
        const visit = async (pos, size, theme) => {
            const id = sections[pos.index]?.id ?? pos.index
            const key = `${pos.index} ${size} ${theme}`
            if (!checked.has(key)) {
                checked.add(key)
                for (const f of await ev(page, () => window.engine.check()))
                    note(f, `${size} ${theme} ${id}`)
            }
            const shot = `${size}-${theme}-${String(pos.index).padStart(3, '0')}-${String(pos.page).padStart(3, '0')}.png`
            if (opt.shots === 'yes') await page.screenshot({ path: join(shots, shot) })
            nShots++
        }
        const linear = sections.filter(s => s.linear)
        if (opt.pages === 'all') {
            // every page, turned one by one, at each size in each theme
            for (const size of useSizes) for (const theme of useThemes) {
                await show(size, theme)
                if (!linear.length) break
                let pos = await ev(page, n => window.engine.goTo(n), linear[0].index)
                for (let turns = 0; turns < 5000; turns++) {
                    await visit(pos, size, theme)
                    if (pos.blank)
                        note(`blank page: page ${pos.page} of ${pos.pages - 2} of ${sections[pos.index]?.id}`, `${size} ${theme}`)
                    if (pos.atEnd) break
                    const nextPos = await ev(page, () => window.engine.next())
                    if (nextPos.index === pos.index && nextPos.page === pos.page) {
                        note(`the engine cannot turn the page after page ${pos.page} of ${sections[pos.index]?.id}`, combo)
                        break
                    }
                    pos = nextPos
                }
            }
        }
        // each section not reached by turning pages (all of them with
        // --pages first; the non-linear ones), its first page at each
        // size in each theme
        for (const s of sections) {
            if (opt.pages === 'all' && s.linear && linear.length) continue
            let pos = await ev(page, n => window.engine.goTo(n), s.index)
            for (const size of useSizes) for (const theme of useThemes) {
                pos = await show(size, theme)
                await visit(pos, size, theme)
            }
        }
    } catch (e) {
        note(`the test could not run: ${process.env.ENGINE_DEBUG ? e.stack : e.message.split('\n')[0]}`, combo)
    }
    await context.close()
    const lines = []
    for (const [text, where] of findings) {
        const w = where.length > 3 ? `${where.slice(0, 3).join('; ')}; … ${where.length - 3} more` : where.join('; ')
        lines.push(`${text} [${w}]`)
    }
    writeFileSync(join(outdir, `${name}.engine.txt`), lines.join('\n') + (lines.length ? '\n' : ''))
    const secs = ((Date.now() - start) / 1000).toFixed(0)
    const out = []
    if (!lines.length) out.push(`ok engine ${name}`)
    else {
        out.push(`FAILED engine ${name}: ${lines.length} problems`)
        for (const l of lines.slice(0, 40)) out.push('    ' + l)
        if (lines.length > 40) out.push(`    ... ${lines.length - 40} more in ${join(outdir, name + '.engine.txt')}`)
    }
    out.push(`    time: engine ${name} ${secs} s, ${nShots} pages shown (${useSizes.join(', ')}; ${useThemes.join(', ')})${navSays}`)
    return { ok: !lines.length, out }
}

// Two books at a time (ENGINE_JOBS), printed in order.
const jobs = Math.max(1, parseInt(process.env.ENGINE_JOBS ?? '2') || 1)
const results = new Array(files.length)
let nextBook = 0, printed = 0, failedBooks = 0
const flush = () => {
    while (printed < files.length && results[printed]) {
        const r = results[printed++]
        if (!r.ok) failedBooks++
        for (const l of r.out) console.log(l)
    }
}
await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, async () => {
    while (nextBook < files.length) {
        const i = nextBook++
        results[i] = await test(i)
        flush()
    }
}))
await browser.close()
server.close()
rmSync(tmp, { recursive: true, force: true })
process.exit(failedBooks ? 1 : 0)
