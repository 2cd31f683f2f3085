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

  // After htmx swaps content in, move focus to the first error so keyboard users land on it.
  // The event fires on the swapped-in content (detail.target is the old element after an outerHTML swap).
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.target;
    var error = root && root.querySelector && root.querySelector("[aria-invalid='true'], .alert-error");
    if (error) {
      if (!error.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA)$/.test(error.tagName)) error.setAttribute("tabindex", "-1");
      error.focus();
    } else {
      // What replaced the clicked control (e.g. "Undo" after a removal) takes the focus it lost.
      var next = root && root.querySelector && root.querySelector("[data-autofocus]");
      if (next) next.focus();
    }
  });
})();
