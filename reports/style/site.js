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
