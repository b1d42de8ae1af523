// Every console page: ask before a form marked data-confirm is sent (no inline handlers, for CSP).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var question = event.target.dataset ? event.target.dataset.confirm : undefined;
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
}());
