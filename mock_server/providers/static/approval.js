// France Identité's waiting page: ask the server, one long poll at a time,
// whether the phone answered; once it has, go on (the form posts to /suite).
(function () {
  "use strict";
  var card = document.querySelector("[data-status-url]");
  var form = document.getElementById("approval-form");
  if (!card || !form || !window.fetch) return;
  var url = card.getAttribute("data-status-url") + "?wait=10";

  function later(ms) {
    return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
  }

  function poll() {
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) return "gone";  // the server will say why on the next page
        return response.json().then(function (body) { return body.status; });
      })
      .then(function (status) {
        if (status === "pending") return poll();
        form.submit();
      }, function () {
        // Network hiccup: try again a little later.
        return later(2000).then(poll);
      });
  }

  poll();
})();
