-- Give Quarto-style callouts (::: {.callout-note title="..."}) their look when pandoc renders
-- without Quarto: a titled box whose kind is also written out, so colour is never the only signal.
local kinds = { note = "Let op", tip = "Goed", warning = "Waarschuwing", important = "Belangrijk", caution = "Voorzichtig" }

function Div(el)
  for _, class in ipairs(el.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind then
      local title = el.attributes["title"] or kinds[kind] or kind
      el.attributes["title"] = nil
      local header = pandoc.Div({ pandoc.Plain({ pandoc.Strong({ pandoc.Str(title) }) }) }, { class = "callout-header" })
      local body = pandoc.Div(el.content, { class = "callout-body" })
      return pandoc.Div({ header, body }, { class = "callout callout-" .. kind, role = "note" })
    end
  end
end
