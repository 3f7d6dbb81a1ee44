// Login page behaviour: swap the NIR field for the provisional identifier,
// and check fields before submit with the same rules and messages as the
// server (rules.js mirrors mock_server/rules; messages come from the page).
(function () {
  "use strict";
  var form = document.getElementById("login-form");
  if (!form) return;
  var rules = window.MonCompteRules;
  var messages = JSON.parse(form.dataset.messages);
  var toggle = document.getElementById("provisional");
  var nirGroup = document.getElementById("nir-group");
  var provisionalGroup = document.getElementById("provisional-group");

  function showProvisional(on) {
    nirGroup.hidden = on;
    provisionalGroup.hidden = !on;
  }

  function setError(name, code) {
    var input = document.getElementById(name);
    var error = document.getElementById(name + "-error");
    var text = code ? messages[name][code] : "";
    error.textContent = text;
    error.hidden = !text;
    input.setAttribute("aria-invalid", text ? "true" : "false");
    return !text;
  }

  toggle.addEventListener("change", function () {
    showProvisional(toggle.checked);
  });

  form.addEventListener("submit", function (event) {
    var identifierOk = toggle.checked
      ? setError("provisional_id", rules.checkProvisionalId(form.provisional_id.value))
      : setError("nir", rules.checkNir(form.nir.value));
    var passwordOk = setError("password", rules.checkPassword(form.password.value));
    if (!identifierOk || !passwordOk) {
      event.preventDefault();
      var invalid = form.querySelector('[aria-invalid="true"]');
      if (invalid) invalid.focus();
    }
  });
})();
