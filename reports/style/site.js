// "kopieer link" beside every figure: copies the address of that figure (page#claim) to the clipboard.
// Without JavaScript the same link still leads to the figure, and the address bar shows it.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.copy-link") : null;
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  var url = window.location.href.split("#")[0] + link.getAttribute("href");
  navigator.clipboard.writeText(url).then(function () {
    var text = link.textContent;
    link.textContent = "link gekopieerd";
    history.replaceState(null, "", link.getAttribute("href"));
    setTimeout(function () { link.textContent = text; }, 2000);
  });
});

// Tables on a phone. Every cell learns its column's header (data-label), so that on a narrow screen
// report.css can show each row of a wide table as a card: the row's first cell as its heading, every other
// cell on its own line with the header beside it. Which tables become cards is decided here, once, from
// the table's shape; without JavaScript the tables stay tables (words still never break inside).
(function () {
  var NUMBER = /^[−+-]?\d[\d.,]*\s?%?$/; // 12, 4.264, −4,7, 39%
  var COUNT = /^(·|[−+-]?\d[\d.,]*)$/; // a count or "·" for none, as the overview's table writes them

  function text(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").trim();
  }

  // A long address, path or code name (a table's id) breaks after its slashes and underscores, like a
  // written address would, and nowhere else.
  function breakAddresses(cell) {
    var walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      if (!/\S{25,}/.test(node.data) || !/[/_]/.test(node.data)) return;
      var parts = node.data.split(/(\S{25,})/);
      var fragment = document.createDocumentFragment();
      parts.forEach(function (part, i) {
        if (i % 2 === 0 || !/[/_]/.test(part)) {
          if (part) fragment.appendChild(document.createTextNode(part));
          return;
        }
        part.split(/(?<=[/_])(?=[^/_])/).forEach(function (piece, j) {
          if (j > 0) fragment.appendChild(document.createElement("wbr"));
          fragment.appendChild(document.createTextNode(piece));
        });
      });
      node.parentNode.replaceChild(fragment, node);
    });
  }

  function prepare(table) {
    var rows = Array.prototype.slice.call(table.rows);
    var head = table.tHead ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    var labels = head ? Array.prototype.map.call(head.cells, text) : [];
    var body = rows.filter(function (row) { return !head || row.parentNode !== table.tHead; });
    var columns = Math.max.apply(null, rows.map(function (row) { return row.cells.length; }).concat([0]));
    var lastIsNumber = body.every(function (row) {
      var cell = row.cells[row.cells.length - 1];
      return !cell || NUMBER.test(text(cell));
    });
    var allCounts = body.every(function (row) {
      return Array.prototype.slice.call(row.cells, 1).every(function (cell) { return COUNT.test(text(cell)); });
    });
    rows.forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        var value = text(cell);
        if (NUMBER.test(value)) cell.classList.add("num");
        if (value === "" || value === "·" || value === "–") cell.classList.add("blank"); // nothing to say: no line in the card
        if (labels[i]) cell.setAttribute("data-label", labels[i]);
        breakAddresses(cell);
      });
    });
    // two columns of which the second is a number (reason | count) read well as a table on any screen
    if (columns >= 3 || (columns === 2 && !lastIsNumber)) {
      table.classList.add("cards");
      if (columns === 2) table.classList.add("cards-pairs");
      if (columns >= 3 && allCounts) table.classList.add("cards-counts");
      // a card is drawn with display: block, which takes away the browser's table semantics: say them
      // again, so that a screen reader still reads a table with its column headers
      table.setAttribute("role", "table");
      Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (group) {
        group.setAttribute("role", "rowgroup");
      });
      rows.forEach(function (row) {
        row.setAttribute("role", "row");
        Array.prototype.forEach.call(row.cells, function (cell) {
          var inHead = row.parentNode === table.tHead;
          cell.setAttribute("role", inHead ? "columnheader" : cell.tagName === "TH" ? "rowheader" : "cell");
        });
      });
      // the value in one box, so that a card lays out label and value side by side
      body.forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell) {
          var value = document.createElement("span");
          value.className = "cell-value";
          while (cell.firstChild) value.appendChild(cell.firstChild);
          cell.appendChild(value);
        });
      });
    }
  }

  // A table that scrolls sideways says so, while it does.
  function scrollHints() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var hint = box.previousElementSibling;
      if (hint && hint.classList.contains("scroll-hint")) hint.hidden = box.scrollWidth <= box.clientWidth + 1;
    });
  }

  function init() {
    document.querySelectorAll("main table").forEach(prepare);
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var before = box.previousElementSibling;
      if (!before || !before.classList.contains("scroll-hint")) {
        var hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.hidden = true;
        hint.textContent = "De tabel is breder dan het scherm: schuif hem opzij voor alle kolommen.";
        box.parentNode.insertBefore(hint, box);
      }
    });
    scrollHints();
    window.addEventListener("resize", scrollHints);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
