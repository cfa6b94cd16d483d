-- tests/bench/latex.lua - pandoc filter of the LaTeX comparison
-- (tests/bench/latex.py): makes pandoc's LaTeX of a part set the same text
-- as gsi-book does, so that the two are compared on the same words.
--
--   * "Table: caption" after a pipe table is the table's caption (gsi-book
--     reads it so; pandoc's commonmark_x has no table_captions);
--   * a table too wide for the measure gets column widths (pandoc would set
--     it at its natural width, past the margin): columns of short cells
--     keep their width, the others share the rest by their longest cell;
--   * words in capitals (GSI, BRICS) are small capitals, as gsi-book's
--     text.abbreviations: small-caps sets them;
--   * the paragraphs before a part's first heading (its standfirst) go
--     after that heading, in the \gsistandfirst style, since gsi-book sets
--     them on the part's opening page, not on a page of their own;
--   * a part's running head (\gsiparthead, from the metadata field
--     gsi-short-title, else the heading) is set after its first heading;
--   * an SVG or GIF picture is left out (LaTeX cannot include one), with a
--     warning.

local stringify = pandoc.utils.stringify

-- the measure in characters of the body face (about 2 characters an em:
-- 320 pt at 10.5 pt is 30 em): a table whose rows are longer wraps
local measure_chars = 64

local function widen(tbl)
  local ncols = #tbl.colspecs
  local longest = {}
  for i = 1, ncols do longest[i] = 0 end
  local function scan(rows)
    for _, row in ipairs(rows) do
      for i, cell in ipairs(row.cells) do
        if i <= ncols then
          local n = utf8.len(stringify(cell.contents)) or 0
          if n > longest[i] then longest[i] = n end
        end
      end
    end
  end
  scan(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do scan(body.body) end
  scan(tbl.foot.rows)
  local total = 0
  for i = 1, ncols do total = total + longest[i] + 3 end
  if total <= measure_chars then return nil end
  -- short columns (at most 15 characters) keep their natural share
  local fixed, rest = 0, 0
  for i = 1, ncols do
    if longest[i] <= 15 then fixed = fixed + (longest[i] + 3) / measure_chars
    else rest = rest + longest[i] end
  end
  if rest == 0 then return nil end
  local left = 1 - fixed
  for i = 1, ncols do
    local w
    if longest[i] <= 15 then w = (longest[i] + 3) / measure_chars
    else w = left * longest[i] / rest end
    tbl.colspecs[i] = { tbl.colspecs[i][1], w }
  end
  return tbl
end

local function is_caption(block)
  if block.t ~= "Para" or #block.content < 2 then return false end
  local first = block.content[1]
  return first.t == "Str" and first.text == "Table:"
end

local function capitals(el)
  -- two letters or more, every letter a capital: GSI, BRICS, AI, UN
  local s = el.text
  local head, word, tail = s:match("^(%p*)(%u%u[%u%d]*)(%p*)$")
  if word then
    local out = pandoc.List()
    if head ~= "" then out:insert(pandoc.Str(head)) end
    out:insert(pandoc.SmallCaps({ pandoc.Str(word:lower()) }))
    if tail ~= "" then out:insert(pandoc.Str(tail)) end
    return out
  end
  return nil
end

-- LaTeX takes PNG, JPEG and PDF pictures only: another (SVG, GIF) is left
-- out, its alternative text set in italic in its place, with a warning
local function svg(img)
  local ext = img.src:lower():match("%.(%w+)$") or ""
  if ext ~= "png" and ext ~= "jpg" and ext ~= "jpeg" and ext ~= "pdf" then
    io.stderr:write("latex.lua: warning: " .. img.src .. " left out of the LaTeX books (LaTeX takes PNG, JPEG, PDF)\n")
    return pandoc.Emph(img.caption)
  end
  return nil
end

function Pandoc(doc)
  local blocks = doc.blocks
  local out = pandoc.List()
  -- tables: caption and widths
  local i = 1
  while i <= #blocks do
    local b = blocks[i]
    if b.t == "Table" then
      if i < #blocks and is_caption(blocks[i + 1]) then
        local inl = pandoc.List(blocks[i + 1].content)
        inl:remove(1)
        if #inl > 0 and inl[1].t == "Space" then inl:remove(1) end
        b.caption = { long = { pandoc.Plain(inl) } }
        i = i + 1
      end
      widen(b)
    end
    out:insert(b)
    i = i + 1
  end
  -- the standfirst after the first heading, the running head after it
  local first
  for k, b in ipairs(out) do
    if b.t == "Header" then first = k break end
  end
  if first then
    local head = out[first]
    local short = doc.meta["gsi-short-title"]
    short = short and stringify(short) or stringify(head.content)
    local moved = pandoc.List()
    for k = 1, first - 1 do moved:insert(out[k]) end
    local res = pandoc.List({ head,
      pandoc.RawBlock("latex", "\\gsiparthead{" .. short:gsub("[\\{}#$%%&_^~]", "") .. "}") })
    if #moved > 0 then
      res:insert(pandoc.RawBlock("latex", "\\begin{gsistandfirst}"))
      res:extend(moved)
      res:insert(pandoc.RawBlock("latex", "\\end{gsistandfirst}"))
    end
    for k = first + 1, #out do res:insert(out[k]) end
    out = res
  end
  doc.blocks = out
  return doc:walk({ Str = capitals, Image = svg })
end
