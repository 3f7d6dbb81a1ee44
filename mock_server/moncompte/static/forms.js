// Forms of Mon Compte: "J'ai un identifiant provisoire" swaps the NIR field for
// the provisional identifier, and fields with a data-rule are checked before
// submit with the same rules and messages as the server (rules.js mirrors
// mock_server/rules; the messages come from the page).
(function () {
  "use strict";
  var rules = window.MonCompteRules;
  var checks = {
    nir: rules.checkNir,
    provisional_id: rules.checkProvisionalId,
    password: rules.checkPassword,
  };

  function setError(input, messages, code) {
    var error = document.getElementById(input.id + "-error");
    var text = code ? messages[input.dataset.rule][code] : "";
    error.textContent = text;
    error.hidden = !text;
    input.setAttribute("aria-invalid", text ? "true" : "false");
    return !text;
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-messages]"), function (form) {
    var messages = JSON.parse(form.dataset.messages);
    var toggle = form.querySelector('[data-toggle="provisional"]');
    if (toggle) {
      toggle.addEventListener("change", function () {
        document.getElementById("nir-group").hidden = toggle.checked;
        document.getElementById("provisional-group").hidden = !toggle.checked;
      });
    }
    form.addEventListener("submit", function (event) {
      var ok = true;
      Array.prototype.forEach.call(form.querySelectorAll("[data-rule]"), function (input) {
        if (input.closest("[hidden]")) return; // the identifier field not in use
        ok = setError(input, messages, checks[input.dataset.rule](input.value)) && ok;
      });
      if (!ok) {
        event.preventDefault();
        var invalid = form.querySelector('[aria-invalid="true"]');
        if (invalid) invalid.focus();
      }
    });
  });

  // A form goes once: a double click on its button must not send it twice
  // (two codes, two logins). Registered last, so it sees the checks' verdict.
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "true";
    });
  });
  // Back from the next page (back/forward cache), the form may go again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sent]"), function (form) {
      delete form.dataset.sent;
    });
  });
})();
