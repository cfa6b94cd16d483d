// tests/engine/page.mjs - the reading-engine test's side in the browser:
// opens an EPUB in foliate-js (its <foliate-view>, paginated) and checks
// each section as the engine lays it out.  tests/engine/run.mjs loads it
// (page.html) and calls window.engine's functions; each check returns a
// list of findings, strings that say what is wrong and where.
import '/foliate/view.js'

// The themes, as reading systems set them: the colours of the page and of
// its text on the root (forced, as night modes force them), and the marks
// that reading systems' own night and sepia modes put on the root, which a
// book's stylesheet may answer: Apple Books' __ibooks_internal_theme
// attribute, Readium's --USER__appearance and a data-theme attribute.
// The dark theme also runs with prefers-color-scheme: dark (run.mjs).
export const themes = {
    light: { bg: '#ffffff', fg: '#000000', ibooks: 'BKWhiteStyleTheme', readium: 'readium-default-on', data: 'day' },
    sepia: { bg: '#fbf0d9', fg: '#5b4636', ibooks: 'BKSepiaStyleTheme', readium: 'readium-sepia-on', data: 'sepia' },
    dark: { bg: '#000000', fg: '#fefefe', link: '#8ab4f8', ibooks: 'BKNightStyleTheme', readium: 'readium-night-on', data: 'night' },
}

// The reading system's colours of links come before the book's stylesheet
// (a book that colours its links wins); the page's and text's after it.
const themeCSS = t => [
    t.link ? `a:link, a:visited { color: ${t.link}; }` : '',
    `html, body { color: ${t.fg} !important; background: ${t.bg} !important; }`,
]

let view, book, theme, fontInfo = {}, shownRange = null
const OPS = 'http://www.idpf.org/2007/ops'
const docCache = new Map()
const hashes = new Map() // font URL -> SHA-256

// open URL THEME FONTS: open the EPUB at URL in a foliate-view filling the
// window; FONTS maps the SHA-256 of each font file of the EPUB to its
// characters (run.mjs reads them with fc-query).  Returns the sections.
async function open(url, themeName, fonts) {
    theme = themes[themeName]
    fontInfo = fonts
    view = document.createElement('foliate-view')
    view.style.cssText = 'display:block;width:100vw;height:100vh'
    document.body.style.cssText = `margin:0;background:${theme.bg}`
    document.body.append(view)
    await view.open(url)
    book = view.book
    view.renderer.setAttribute('flow', 'paginated')
    view.renderer.setAttribute('margin', '32px')
    view.renderer.setAttribute('gap', '5%')
    view.renderer.setAttribute('max-inline-size', '720px')
    view.renderer.addEventListener('load', e => markTheme(e.detail.doc))
    view.addEventListener('relocate', e => { shownRange = e.detail.range })
    view.renderer.setStyles(themeCSS(theme))
    return book.sections.map((s, i) => ({ index: i, id: s.id, linear: s.linear !== 'no' }))
}

// setTheme THEME RESIZED: show the page in THEME (after the window was
// resized, when RESIZED, once the engine laid the section out again)
async function setTheme(name, resized) {
    theme = themes[name]
    document.body.style.background = theme.bg
    if (resized) await new Promise(r => {
        const done = () => { view.removeEventListener('relocate', done); r() }
        view.addEventListener('relocate', done)
        setTimeout(done, 1000)
    })
    view.renderer.setStyles(themeCSS(theme))
    await settle()
    return where()
}

function markTheme(doc) {
    const root = doc.documentElement
    root.setAttribute('__ibooks_internal_theme', theme.ibooks)
    root.setAttribute('data-theme', theme.data)
    for (const t of Object.values(themes)) root.classList.remove(t.readium)
    root.classList.add(theme.readium)
    root.style.setProperty('--USER__appearance', theme.readium)
}

const current = () => view.renderer.getContents()[0]

// goTo INDEX: show the first page of section INDEX
async function goTo(index) {
    await view.goTo(index)
    await settle()
    return where()
}

// next: turn the page; says where the engine is then
async function next() {
    await view.renderer.next()
    await settle()
    return where()
}

// where: the section and page on show, and whether the page is blank:
// nothing but white space in its range, no picture
function where() {
    const r = view.renderer
    const c = current()
    if (!c) return { index: -1, page: 0, pages: 0, atEnd: false, blank: false }
    let blank = false
    if (shownRange && shownRange.startContainer.ownerDocument === c.doc) {
        const f = shownRange.cloneContents()
        blank = !f.textContent.trim() && !f.querySelector('img, svg, image, video, hr, table')
    }
    return { index: c.index, page: r.page, pages: r.pages, atEnd: r.atEnd, blank }
}

async function settle() {
    const c = current()
    if (!c) return
    markTheme(c.doc)
    await c.doc.fonts.ready
    await Promise.all([...c.doc.images].map(img => img.decode().catch(() => {})))
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))
}

// --- what an element is, for the findings ----------------------------------

function describe(el) {
    let s = el.localName
    if (el.id) s += '#' + el.id
    const cls = el.getAttribute('class')
    if (cls) s += '.' + cls.trim().split(/\s+/).join('.')
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim()
    if (text) s += ` "${text.length > 40 ? text.slice(0, 40) + '…' : text}"`
    else if (el.localName === 'img') s += ` (${el.getAttribute('src')})`
    return s
}

// --- colours -------------------------------------------------------------------

let ctx
// rgba COLOUR: [r, g, b, a] (0-255, alpha 0-1) of any CSS colour
function rgba(colour) {
    ctx ??= new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true })
    ctx.clearRect(0, 0, 1, 1)
    ctx.fillStyle = '#000'
    ctx.fillStyle = colour
    const m = /^rgba?\(([^)]*)\)$/.exec(ctx.fillStyle)
    if (m) {
        const p = m[1].split(',').map(Number)
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]
    }
    const h = /^#([0-9a-f]{6})$/i.exec(ctx.fillStyle)
    if (h) return [0, 2, 4].map(i => parseInt(h[1].slice(i, i + 2), 16)).concat(1)
    // anything else: paint it and read the pixel
    ctx.fillRect(0, 0, 1, 1)
    const d = ctx.getImageData(0, 0, 1, 1).data
    return [d[0], d[1], d[2], d[3] / 255]
}

const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1)

// WCAG 2 relative luminance and contrast ratio
function luminance([r, g, b]) {
    const f = c => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
}
export function contrast(a, b) {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x)
    return (l1 + 0.05) / (l2 + 0.05)
}

// background EL: the opaque colour behind EL's text: the theme's page
// colour with every background colour of EL and its ancestors laid over it
function background(el, win) {
    const chain = []
    for (let e = el; e; e = e.parentElement) chain.unshift(e)
    let bg = rgba(theme.bg)
    for (const e of chain) {
        const c = rgba(win.getComputedStyle(e).backgroundColor)
        if (c[3] > 0) bg = over(c, bg)
    }
    return bg
}

// --- fonts ---------------------------------------------------------------------

const generic = new Set(['serif', 'sans-serif', 'monospace', 'cursive', 'fantasy',
    'system-ui', 'ui-serif', 'ui-sans-serif', 'ui-monospace', 'ui-rounded', 'math', 'emoji', 'fangsong'])

const unquote = s => s.trim().replace(/^(["'])(.*)\1$/, '$2')

// faces DOC: the document's @font-face rules, { family: [face] }, each
// face with its weight range, style, FontFace status and characters
async function faces(doc) {
    const out = {}
    const rules = []
    const walk = list => {
        for (const r of list) {
            if (r.constructor.name === 'CSSFontFaceRule') rules.push(r)
            else if (r.cssRules) walk(r.cssRules)
        }
    }
    for (const sheet of doc.styleSheets) {
        try { walk(sheet.cssRules) } catch (e) { /* not readable */ }
    }
    for (const r of rules) {
        const family = unquote(r.style.getPropertyValue('font-family'))
        const src = r.style.getPropertyValue('src')
        const url = /url\(\s*["']?([^"')]+)["']?\s*\)/.exec(src)?.[1]
        const w = (r.style.getPropertyValue('font-weight') || '400').trim()
        const weights = w.split(/\s+/).map(x => x === 'normal' ? 400 : x === 'bold' ? 700 : Number(x))
        const style = (r.style.getPropertyValue('font-style') || 'normal').trim().split(/\s+/)[0]
        let chars = null, hash = null
        if (url) {
            try {
                const abs = new URL(url, r.parentStyleSheet.href ?? doc.baseURI).href
                hash = hashes.get(abs)
                if (!hash) {
                    const buf = await (await fetch(abs)).arrayBuffer()
                    hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', buf))]
                        .map(b => b.toString(16).padStart(2, '0')).join('')
                    hashes.set(abs, hash)
                }
                const info = fontInfo[hash]
                if (info) chars = new Set(info.chars)
            } catch (e) { /* reported below: no characters */ }
        }
        const key = family.toLowerCase()
        ;(out[key] ??= []).push({ family, weights: [weights[0], weights.at(-1)], style, chars,
            file: hash && fontInfo[hash]?.file || url })
    }
    return out
}

// match FACES WEIGHT STYLE: the face CSS font matching picks (CSS Fonts 4,
// 5.2: style first, then weight)
function match(list, weight, style) {
    const italic = style !== 'normal'
    const order = italic ? ['italic', 'oblique', 'normal'] : ['normal', 'oblique', 'italic']
    let set = []
    for (const s of order) {
        set = list.filter(f => f.style === s)
        if (set.length) break
    }
    const exact = set.find(f => f.weights[0] <= weight && weight <= f.weights[1])
    if (exact) return exact
    const below = set.filter(f => f.weights[1] < weight).sort((a, b) => b.weights[1] - a.weights[1])
    const above = set.filter(f => f.weights[0] > weight).sort((a, b) => a.weights[0] - b.weights[0])
    if (weight >= 400 && weight <= 500) {
        const upTo500 = above.filter(f => f.weights[0] <= 500)
        return upTo500[0] ?? below[0] ?? above[0]
    }
    return weight < 400 ? (below[0] ?? above[0]) : (above[0] ?? below[0])
}

const ignorable = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}]/u

function transform(text, how, lang) {
    if (how === 'uppercase') return text.toLocaleUpperCase(lang || undefined)
    if (how === 'lowercase') return text.toLocaleLowerCase(lang || undefined)
    if (how === 'capitalize') return text + text.toLocaleUpperCase(lang || undefined)
    return text
}

// --- the checks of one section ------------------------------------------------

// hanging CS: whether spaces hang at the ends of lines of this white-space
const hanging = cs => cs.whiteSpace === 'pre-wrap' || cs.whiteSpace === 'break-spaces'
    || (cs.whiteSpaceCollapse === 'preserve' && cs.textWrapMode !== 'nowrap')

// words EL: the rectangles of the words (runs of non-spaces) of EL's own
// text nodes
function words(el) {
    const out = []
    const range = el.ownerDocument.createRange()
    for (const t of el.childNodes) {
        if (t.nodeType !== 3) continue
        for (const m of t.data.matchAll(/\S+/g)) {
            range.setStart(t, m.index)
            range.setEnd(t, m.index + m[0].length)
            out.push(...range.getClientRects())
        }
    }
    return out
}

// check: the findings in the section on show
async function check() {
    const { doc, index } = current()
    const win = doc.defaultView
    const found = []
    const add = s => { if (!found.includes(s)) found.push(s) }
    // the same defect in many texts: said once, with how many and the
    // first three
    const many = new Map()
    const addMany = (s, el) => {
        if (!many.has(s)) many.set(s, [])
        many.get(s).push(describe(el))
    }
    const body = doc.body
    if (!body) return [`section ${index}: no body`]

    // 1. nothing wider than the page: every element's box inside its
    // column, no content wider than the element holding it
    const html = doc.documentElement
    const hs = win.getComputedStyle(html)
    const colWidth = parseFloat(hs.columnWidth)
    const gap = parseFloat(hs.columnGap) || 0
    const padLeft = parseFloat(hs.paddingLeft) || 0
    const used = (html.clientWidth - padLeft - (parseFloat(hs.paddingRight) || 0))
    // the used column width: as many columns of at least column-width as fit
    const n = Math.max(1, Math.floor((used + gap) / (colWidth + gap)))
    const W = (used - (n - 1) * gap) / n
    const hrect = html.getBoundingClientRect()
    const wide = new Map()
    for (const el of body.querySelectorAll('*')) {
        const cs = win.getComputedStyle(el)
        if (cs.display === 'none' || cs.display === 'contents') continue
        let excess = 0, how = ''
        const more = (x, h) => { if (x > excess) { excess = x; how = h } }
        // the width of the element's box as laid out (its offsetWidth and
        // rectangle span the columns when the box is broken across them)
        const px = p => parseFloat(cs[p]) || 0
        const boxWidth = px('width') + (cs.boxSizing === 'border-box' ? 0
            : px('paddingLeft') + px('paddingRight') + px('borderLeftWidth') + px('borderRightWidth'))
        if (!cs.display.startsWith('inline') || cs.display === 'inline-block' || cs.display === 'inline-table') {
            if (boxWidth > W + 1) more(boxWidth - W, 'its box')
            // content wider than the box: a scroll container's hidden
            // content, or what runs out of a box that is not broken across
            // columns (a broken box's scroll width spans the columns)
            const scroller = cs.overflowX !== 'visible'
            const rects = el.getClientRects()
            const whole = rects.length === 1 && rects[0].width <= boxWidth + 1
            if ((scroller || (whole && !hanging(cs))) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
                more(el.scrollWidth - el.clientWidth, 'its content')
        }
        // where its rectangles are: inside a column (the spaces that hang
        // at the end of a line of pre-wrap text run out of the column
        // unseen: there, the words are measured instead)
        const rects = hanging(cs) ? words(el) : el.getClientRects()
        for (const r of rects) {
            // a box broken across columns: its rectangle spans them
            if (!r.width || (!cs.display.startsWith('inline') && r.width > boxWidth + 1)) continue
            const x = r.left - hrect.left - padLeft
            const col = Math.floor((x + 0.5) / (W + gap))
            const right = col * (W + gap) + W
            if (x + r.width > right + 1) more(x + r.width - right, 'its right edge')
            if (x < col * (W + gap) - 1) more(col * (W + gap) - x, 'its left edge')
        }
        if (excess > 0) wide.set(el, { excess, how })
    }
    // Said once, of the outermost box that runs out; content that runs out
    // of a box because a box inside it does is said of that box.
    for (const [el, { how }] of wide) {
        if (how !== 'its content') continue
        for (const [d, w] of wide) if (d !== el && w.how !== 'its content' && el.contains(d)) { wide.delete(el); break }
    }
    for (const [el, { excess, how }] of wide) {
        let inner = false
        for (let p = el.parentElement; p && !inner; p = p.parentElement) inner = wide.has(p)
        if (!inner) add(`overflow: ${describe(el)}: ${how} runs ${Math.round(excess)} px out of the ${Math.round(W)} px column`)
    }

    // 2. every image loaded
    for (const img of doc.images) {
        if (!img.complete || !img.naturalWidth) add(`image not loaded: ${describe(img)}`)
    }
    for (const im of doc.querySelectorAll('image')) {
        const href = im.getAttribute('href') ?? im.getAttributeNS('http://www.w3.org/1999/xlink', 'href')
        const ok = await new Promise(r => {
            const i = new Image()
            i.onload = () => r(i.naturalWidth > 0)
            i.onerror = () => r(false)
            i.src = new URL(href, doc.baseURI).href
        })
        if (!ok) add(`SVG image not loaded: ${href}`)
    }

    // 3. every link inside the book resolves to its target
    const section = book.sections[index]
    for (const a of doc.querySelectorAll('a[href]')) {
        const raw = a.getAttribute('href')
        const href = section.resolveHref?.(raw) ?? raw
        if (book.isExternal(href)) continue
        const note = (a.getAttributeNS(OPS, 'type') ?? '').split(/\s+/).includes('noteref')
            || a.getAttribute('role') === 'doc-noteref'
        const why = await unresolved(href, note)
        if (why) add(`${note ? 'note reference' : 'link'} ${raw} (${describe(a)}): ${why}`)
    }

    // a date is never broken across lines ("February / 2023")
    for (const t of doc.querySelectorAll('time')) {
        const tops = new Set([...t.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)))
        if (tops.size > 1) add(`date broken across lines: ${describe(t)}`)
    }

    // 4.-6. text: contrast, faces, glyphs
    const fam = await faces(doc)
    const usedFaces = new Set()
    const walker = doc.createTreeWalker(body, NodeFilter.SHOW_TEXT)
    const styleOf = new Map()
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        const el = t.parentElement
        if (!t.data.trim() || !el) continue
        let st = styleOf.get(el)
        if (!st) {
            const cs = win.getComputedStyle(el)
            st = { cs, visible: cs.visibility !== 'hidden' && el.getClientRects().length > 0 }
            styleOf.set(el, st)
        }
        if (!st.visible) continue
        const { cs } = st
        // contrast of the text against what is behind it
        if (!st.contrastDone) {
            st.contrastDone = true
            const bg = background(el, win)
            const fg = over(rgba(cs.color), bg)
            const ratio = contrast(fg, bg)
            if (ratio < 4.5)
                addMany(`contrast ${ratio.toFixed(2)}:1 < 4.5:1: ${cs.color} on ${'rgb(' + bg.slice(0, 3).join(', ') + ')'}`, el)
        }
        // the face each character is drawn in
        const families = cs.fontFamily.split(',').map(unquote)
        const weight = Number(cs.fontWeight) || 400
        const style = cs.fontStyle.startsWith('oblique') ? 'oblique' : cs.fontStyle
        const lang = el.closest('[lang]')?.getAttribute('lang')
        const text = transform(t.data, cs.textTransform, lang)
        for (const ch of text) {
            if (ignorable.test(ch)) continue
            const cp = ch.codePointAt(0)
            let face = null
            for (const f of families) {
                const list = fam[f.toLowerCase()]
                if (!list || generic.has(f.toLowerCase())) break
                const m = match(list, weight, style)
                if (m?.chars?.has(cp)) { face = m; break }
            }
            const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0')
            if (!face) {
                const k = `${cs.fontFamily} ${weight} ${style}`
                st.missing ??= new Map()
                if (!st.missing.has(k)) st.missing.set(k, new Set())
                st.missing.get(k).add(`"${ch}" ${hex}`)
                continue
            }
            usedFaces.add(face)
            const synthBold = weight >= 600 && face.weights[1] < 600 && cs.fontSynthesisWeight !== 'none'
            const synthItalic = style !== 'normal' && face.style === 'normal' && cs.fontSynthesisStyle !== 'none'
            if (synthBold || synthItalic)
                if (!st.synth) {
                    st.synth = true
                    addMany(`synthesised ${[synthBold && 'bold', synthItalic && 'italic'].filter(Boolean).join(' and ')}: ${face.family} has no ${weight} ${style} face`, el)
                }
        }
    }

    for (const [el, st] of styleOf)
        for (const [k, chars] of st.missing ?? [])
            add(`glyph from no embedded face: ${[...chars].join(', ')} in ${k} (${describe(el)})`)

    for (const [s, els] of many)
        add(`${s}: ${els.length > 3 ? `${els.length} texts, the first ${els.slice(0, 3).join(', ')}` : els.join(', ')}`)

    // 7. the embedded faces the text is set in loaded
    const status = new Map()
    for (const ff of doc.fonts) status.set(`${unquote(ff.family).toLowerCase()}|${ff.style}|${ff.weight}`, ff.status)
    for (const f of usedFaces) {
        const key = `${f.family.toLowerCase()}|${f.style}|${f.weights[0] === f.weights[1] ? f.weights[0] : f.weights.join(' ')}`
        const s = status.get(key)
        if (s !== 'loaded') add(`font not loaded (${s ?? 'no FontFace'}): ${f.family} ${f.weights.join('-')} ${f.style} (${f.file})`)
    }
    for (const ff of doc.fonts)
        if (ff.status === 'error') add(`font failed to load: ${ff.family} ${ff.weight} ${ff.style}`)
    return found
}

// unresolved HREF: why HREF (a path inside the book, with its fragment)
// does not lead anywhere, or null when it does
async function unresolved(href, note = false) {
    const r = book.resolveHref(href)
    if (!r || r.index == null || r.index < 0) return 'no such document in the spine'
    if (!href.includes('#')) return note ? 'a note reference to a whole document' : null
    let doc = docCache.get(r.index)
    if (!doc) {
        doc = await book.sections[r.index].createDocument()
        docCache.set(r.index, doc)
    }
    const target = r.anchor(doc)
    if (!target) return `no element #${href.split('#')[1]} in ${book.sections[r.index].id}`
    // a note reference pops its note up (foliate's footnotes.js, Kobo,
    // Apple Books) when the note is marked as one
    if (note && target.nodeType === 1) {
        const types = (target.getAttributeNS(OPS, 'type') ?? '').split(/\s+/)
        const role = target.getAttribute('role') ?? ''
        if (!types.some(t => ['footnote', 'endnote', 'rearnote', 'note'].includes(t))
            && !['doc-footnote', 'doc-endnote'].includes(role))
            return `its target ${target.localName}#${target.id} is not marked as a note (epub:type footnote or endnote): no reading system pops it up`
    }
    return null
}

// navigation: every contents entry and page-list entry resolves; the
// page-list is there when the nav document has one
async function checkNavigation() {
    const found = []
    const entries = (list, out = []) => {
        for (const i of list ?? []) { out.push(i); entries(i.subitems, out) }
        return out
    }
    const toc = entries(book.toc)
    if (!toc.length) found.push('the contents are empty')
    for (const i of toc) {
        const why = i.href ? await unresolved(i.href) : 'no href'
        if (why) found.push(`contents entry "${i.label}" (${i.href}): ${why}`)
    }
    let navHasPages = false
    if (book.resources?.navPath) {
        const text = await book.loadText(book.resources.navPath)
        const nav = new DOMParser().parseFromString(text, 'application/xhtml+xml')
        navHasPages = [...nav.getElementsByTagName('nav')].some(n =>
            (n.getAttributeNS(OPS, 'type') ?? '').split(/\s+/).includes('page-list'))
    }
    const pages = entries(book.pageList)
    if (navHasPages && !pages.length) found.push('the nav has a page-list, the engine finds no pages')
    for (const i of pages) {
        const why = i.href ? await unresolved(i.href) : 'no href'
        if (why) found.push(`page-list entry "${i.label}" (${i.href}): ${why}`)
    }
    return { found, toc: toc.length, pages: pages.length }
}

window.engine = { open, goTo, next, setTheme, check, checkNavigation, where }
window.engineReady = true
