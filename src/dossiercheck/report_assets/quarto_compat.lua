-- What Quarto does with our .qmd files that pandoc alone does not, for the pandoc renderer:
--  * callouts (::: {.callout-note title="..."}) get their look: a titled box whose kind is also written
--    out, so colour is never the only signal;
--  * links between pages (index.qmd, 04_wonen.qmd#t4_...) point at the rendered pages (.html), as Quarto's
--    website projects do.
local kinds = { note = "Let op", tip = "Goed", warning = "Waarschuwing", important = "Belangrijk", caution = "Voorzichtig" }

function Div(el)
  for _, class in ipairs(el.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind then
      local title = el.attributes["title"] or kinds[kind] or kind
      el.attributes["title"] = nil
      local extra = {}
      for _, c in ipairs(el.classes) do
        if not c:match("^callout") then table.insert(extra, c) end
      end
      local classes = table.concat(extra, " ")
      local collapse = el.attributes["collapse"]
      if collapse == "true" or collapse == "false" then
        -- Quarto's collapsible callout: a <details> here, closed unless collapse="false"
        local open = collapse == "false" and " open" or ""
        local body = pandoc.Div(el.content, { class = "callout-body" })
        return {
          pandoc.RawBlock("html", '<details class="callout callout-' .. kind .. " " .. classes .. '"' .. open .. '><summary class="callout-header"><strong>'
            .. title:gsub("&", "&amp;"):gsub("<", "&lt;") .. "</strong></summary>"),
          body,
          pandoc.RawBlock("html", "</details>"),
        }
      end
      local header = pandoc.Div({ pandoc.Plain({ pandoc.Strong({ pandoc.Str(title) }) }) }, { class = "callout-header" })
      local body = pandoc.Div(el.content, { class = "callout-body" })
      return pandoc.Div({ header, body }, { class = "callout callout-" .. kind .. (classes ~= "" and (" " .. classes) or ""), role = "note" })
    end
  end
end

function Link(el)
  if not el.target:match("^%a[%w+.-]*:") then
    el.target = el.target:gsub("^([^#?]+)%.qmd", "%1.html")
  end
  return el
end
