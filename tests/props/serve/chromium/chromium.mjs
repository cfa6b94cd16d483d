// chromium.mjs GSI BOOKDIR - gsi-book serve as an author sees it, in
// Debian's headless chromium driven by playwright-core (ENGINE_MODULES:
// tests/engine's pinned node modules; ENGINE_CHROMIUM: the browser).
// Prints what is wrong, one problem a line; nothing when all is well.
//
//  - the page shows every page's picture, loaded, and the EPUB's chapter;
//  - an edit saved to the file shows on the page in place (no reload: the
//    place read is kept): the changed page's picture is redrawn, the
//    chapter beside it shows the new words once the editions are written;
//  - an error shows in the panel (file:line:col and the message) and the
//    last good pages stay, loaded; mending it empties the panel;
//  - a path outside the book is refused (403 on the raw request; the
//    book's own files are never served), and the server listens on
//    127.0.0.1 only (a connection to this machine's other address fails).
import { createRequire } from 'node:module'
import { spawn } from 'node:child_process'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import { join } from 'node:path'

const [gsi, book] = process.argv.slice(2)
const require = createRequire(import.meta.url)
const { chromium } = require(join(process.env.ENGINE_MODULES, 'playwright-core'))
const problems = []
const problem = m => problems.push(m)
const sleep = ms => new Promise(r => setTimeout(r, ms))

const port = await new Promise(r => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)) })
})
const base = `http://127.0.0.1:${port}`
const server = spawn(gsi, ['serve', '-q', '--port', String(port), book], { stdio: 'ignore' })

async function status() {
    try { return await (await fetch(base + '/status')).json() } catch { return null }
}
// until(FN, WHAT): FN's first truthy answer, polled, or a problem after 60 s
async function until(fn, what) {
    const end = Date.now() + 60000
    while (Date.now() < end) {
        let v = null
        try { v = await fn() } catch { v = null }   /* a reload under way */
        if (v) return v
        await sleep(50)
    }
    problem(`${what}: not within 60 s`)
    return null
}
// raw(PATH): the status code of a request sent byte for byte as written
function raw(path) {
    return new Promise(r => {
        const c = net.connect(port, '127.0.0.1', () =>
            c.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`))
        let data = ''
        c.on('data', d => { data += d })
        c.on('end', () => r(+data.split(' ')[1]))
        c.on('error', () => r(0))
    })
}

let browser
try {
    const first = await until(async () => { const s = await status(); return s && s.build >= 1 && (s.editions ?? s.build) >= 1 && s }, 'the first build and its editions')
    browser = await chromium.launch({
        executablePath: process.env.ENGINE_CHROMIUM ?? '/usr/bin/chromium',
        args: ['--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1', '--disable-component-update', '--no-pings'],
    })
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.goto(base + '/')
    const loaded = () => page.evaluate(() => [...document.querySelectorAll('#pages img')].map(i => i.complete && i.naturalWidth > 0))
    const all = await until(async () => { const l = await loaded(); return l.length && l.every(x => x) && l }, 'every picture loaded')
    if (all && all.length !== first.pages) problem(`${all.length} pictures for ${first.pages} pages`)
    const frameText = () => page.evaluate(() => {
        const d = document.getElementById('xhtml').contentDocument
        return d && d.body ? d.body.textContent : ''
    })
    // the chapter to be edited, chosen as the author would
    await page.selectOption('#chapter', '/epub/EPUB/text/two.xhtml')
    if (!await until(async () => (await frameText()).includes('Two'), 'the EPUB chapter shown'))
        problem('the EPUB chapter beside the pages is empty')

    // an edit: in place, the changed picture redrawn, the chapter updated
    await page.evaluate(() => { window.scrollTo(0, 200); window.gsiMark = 'kept' })
    const chapter = join(book, 'two.md')
    const text = readFileSync(chapter, 'utf8')
    const shots = {}
    for (const img of await page.$$('#pages img')) shots[await img.getAttribute('id')] = await img.screenshot()
    writeFileSync(chapter, text + '\nA paragraph the browser must show, edited in chromium.\n')
    const st = await until(async () => { const s = await status(); return s && s.build > first.build && s }, 'the edit rebuilt')
    if (st && (!st.ok || !st.changed.length)) problem(`after the edit: ${JSON.stringify(st)}`)
    if (st && st.changed.length) {
        const id = 'p' + st.changed[0]
        const fresh = await until(() => page.evaluate(([id, b]) => {
            const i = document.getElementById(id)
            return i && i.src.endsWith('?b=' + b) && i.complete && i.naturalWidth > 0
        }, [id, st.build]), `page ${st.changed[0]}'s picture redrawn on the page`)
        if (fresh) {
            const after = await (await page.$('#' + id)).screenshot()
            if (shots[id] && after.equals(shots[id])) problem(`page ${st.changed[0]}'s picture looks as before the edit`)
        }
        if (await page.evaluate(() => window.gsiMark) !== 'kept') problem('the page reloaded for an edit instead of updating in place')
    }
    await until(async () => (await frameText()).includes('edited in chromium'), "the edit in the EPUB's chapter")

    // an error: the panel names it, the last good pages stay
    const pages = (await status()).pages
    writeFileSync(chapter, text + '\nA note[^nowhere] never defined.\n')
    const panel = await until(async () => {
        const t = await page.evaluate(() => document.getElementById('diagnostics')?.textContent ?? '')
        return t.includes('nowhere') && t
    }, 'the error in the panel')
    if (panel && !/two\.md:\d+:\d+: error: /.test(panel)) problem(`the panel says ${JSON.stringify(panel)}, without file:line:col: error:`)
    const kept = await until(async () => { const l = await loaded(); return l.length && l.every(x => x) && l }, 'the last good pages loaded after the error')
    if (kept && kept.length !== pages) problem(`after the error, ${kept.length} pictures for the last good ${pages} pages`)
    writeFileSync(chapter, text)
    await until(() => page.evaluate(() => !document.getElementById('diagnostics')), 'the panel gone once the error is mended')

    // nothing outside what is served
    for (const p of ['/../book.yaml', '/%2e%2e/two.md', '/pages/..%2fbook.yaml', '/epub/../two.md']) {
        const code = await raw(p)
        if (code !== 403) problem(`${p}: ${code}, not refused`)
    }
    const fromPage = await page.evaluate(async () => {
        const out = {}
        for (const p of ['/book.yaml', '/two.md', '/pages/../two.md', '/epub/two.md'])
            out[p] = (await fetch(p)).status
        return out
    })
    for (const [p, code] of Object.entries(fromPage))
        if (code === 200) problem(`${p} is served to the page`)
    // 127.0.0.1 only
    const other = Object.values(os.networkInterfaces()).flat().find(a => a && a.family === 'IPv4' && !a.internal)
    if (other) {
        const reached = await new Promise(r => {
            const c = net.connect(port, other.address, () => { c.destroy(); r(true) })
            c.on('error', () => r(false))
        })
        if (reached) problem(`the server answers on ${other.address}, not only 127.0.0.1`)
    }
} catch (e) {
    problem(`chromium.mjs: ${e.stack || e}`)
} finally {
    if (browser) await browser.close()
    server.kill('SIGTERM')
}
for (const m of problems) console.log(m)
