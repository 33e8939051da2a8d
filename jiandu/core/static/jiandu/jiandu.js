// Small behaviours of the UI shell, loaded on every page.
(function () {
  "use strict";
  // A search form sends every filter, chosen or not: drop the empty ones so that the address pushed to the
  // history reads like the one a person would type (?q=马官 rather than ?q=马官&kind=&level=).
  document.addEventListener("htmx:configRequest", function (event) {
    var formData = event.detail.formData;
    if (event.detail.verb !== "get" || !formData) {
      return;
    }
    Array.from(formData.entries()).forEach(function (entry) {
      if (entry[1] === "") {
        formData.delete(entry[0]);
      }
    });
  });
})();
