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
  // A form marked data-busy="…" may take seconds (a ledger of 100,000 rows): once sent, its button says so
  // and a second click does not send it again. The button is disabled only after the browser has taken
  // its name and value into the request.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.busy || event.defaultPrevented) {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("[type=submit]");
    window.setTimeout(function () {
      form.querySelectorAll("[type=submit]").forEach(function (each) {
        each.disabled = true;
      });
      if (button) {
        button.dataset.label = button.innerHTML;
        var spinner = document.createElement("span");
        spinner.className = "spinner-border spinner-border-sm me-1";
        spinner.setAttribute("aria-hidden", "true");
        button.replaceChildren(spinner, document.createTextNode(form.dataset.busy));
      }
    }, 0);
  });
  // Back to a page the browser kept (history): its forms can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[type=submit]").forEach(function (each) {
        each.disabled = false;
        if (each.dataset.label) {
          each.innerHTML = each.dataset.label;
        }
      });
    });
  });
})();
