// FranceConnect's pages: the consent box of a private service, and forms sent once.
// As FranceConnect's own scripts (dsfr.consent.js, prevent-double-submit.js).
(function () {
  "use strict";
  var SUBMIT = 'button[type="submit"]';

  // "J'accède à mon service" stays off until the consent box is ticked.
  var consent = document.getElementById("consent");
  function followConsent() {
    if (!consent) return;
    var button = consent.form.querySelector(SUBMIT);
    button.disabled = !consent.checked;
    button.setAttribute("aria-disabled", consent.checked ? "false" : "true");
    if (consent.checked) {
      document.getElementById("consent-error").hidden = true;
      consent.removeAttribute("aria-invalid");
    }
  }
  if (consent) {
    consent.addEventListener("change", followConsent);
    followConsent();
  }

  // A form goes once: a double click on a provider or on "J'accède à mon service"
  // sends one request. Every form of the page counts: one choice at a time.
  var forms = document.querySelectorAll("form[data-prevent-double-submit]");
  function setButtons(disabled) {
    Array.prototype.forEach.call(forms, function (form) {
      Array.prototype.forEach.call(form.querySelectorAll(SUBMIT), function (button) {
        button.disabled = disabled;
        button.setAttribute("aria-disabled", disabled ? "true" : "false");
      });
    });
  }
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      var sent = Array.prototype.some.call(forms, function (other) { return other.dataset.submitted === "true"; });
      if (sent) {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "true";
      // Once the browser has read the form: a provider's button carries its choice,
      // and a disabled button is left out of what is sent.
      setTimeout(function () { setButtons(true); }, 0);
    });
  });
  // Back from the next page (back/forward cache): the forms may go again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(forms, function (form) { delete form.dataset.submitted; });
    setButtons(false);
    followConsent();
  });
})();
