// Progressive enhancement only: every page works without it. Adds "Copy" buttons to the install snippets and
// submits the search form when the prerelease box is toggled.
(function () {
  "use strict";
  document.querySelectorAll(".snippet").forEach(function (snippet) {
    var code = snippet.querySelector("pre");
    var label = snippet.querySelector(".label");
    if (!code || !label || !navigator.clipboard) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      });
    });
    label.appendChild(button);
  });
  document.querySelectorAll(".search input[name=prerelease]").forEach(function (box) {
    box.addEventListener("change", function () { box.form.submit(); });
  });
})();
