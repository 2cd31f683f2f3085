// Coach pages: small progressive enhancements. No inline scripts (strict CSP).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // "Copy link" buttons: data-copy names the input whose value is copied.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) return;
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || "Copied";
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
    } else {
      input.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected to copy by hand */ }
    }
  });

  // Buttons with data-confirm ask first; runs before htmx sees the submit.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = submitter && submitter.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // After htmx swaps content in, move focus where a keyboard user needs it: the first error, else
  // the result the swap brought (marked data-focus-after-swap, or data-autofocus on what replaced
  // the clicked control, e.g. "Undo" after a removal), never the page body. A listener
  // here, because hx-on is inline script, which the CSP blocks. The event fires on the new content:
  // for an outerHTML swap, event.detail.target is the old element, already out of the page.
  var AFTER_SWAP = "[data-focus-after-swap], [data-autofocus]";
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.target;
    if (!root || !root.querySelector) return;
    var spot = root.querySelector("[aria-invalid='true'], .alert-error");
    if (!spot) spot = root.matches(AFTER_SWAP) ? root : root.querySelector(AFTER_SWAP);
    if (!spot) return;
    if (!spot.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(spot.tagName)) spot.setAttribute("tabindex", "-1");
    spot.focus();
  });

  // Upload progress: a form with data-upload-progress="<box id>" shows its upload in the box's
  // <progress>. htmx sends the form with XMLHttpRequest and reports xhr.upload's progress (and
  // the answer's download, with the same event: the bar only moves forward). Without
  // JavaScript the form posts as usual and the box stays hidden.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target;
    if (!form || !form.matches || !form.matches("form[data-upload-progress]")) return;
    var box = document.getElementById(form.getAttribute("data-upload-progress"));
    var detail = event.detail || {};
    if (!box || !detail.lengthComputable || !detail.total) return;
    var bar = box.querySelector("progress");
    var text = box.querySelector("[role='status']");
    var percent = Math.floor((100 * detail.loaded) / detail.total);
    if (percent < bar.value) return;
    bar.value = percent;
    box.hidden = false;
    if (text) text.textContent = percent < 100 ? "Uploading… " + percent + " %" : "Uploaded: checking the file…";
  });
})();
