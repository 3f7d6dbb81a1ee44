// Allure 3's configuration for `make report`: reports/allure-results (written by
// allure-pytest during `make e2e` / `make test`) → reports/allure/index.html.
export default {
  name: "Mon Compte — scénarios",
  output: "./reports/allure",
  // Each `make report` adds its run here, so the report shows each scenario's history
  // (keep this file between CI runs to keep the history there too).
  historyPath: "./reports/allure-history.jsonl",
  historyLimit: 20,
  plugins: {
    awesome: {
      options: {
        reportName: "Mon Compte — scénarios",
        reportLanguage: "fr",
        // The help page's sections (feature), then the suites (story): set by e2e/plugin/allure_report.py.
        groupBy: ["feature", "story"],
        // One self-contained file: it opens from a CI artifact or a file share, no server needed.
        singleFile: true,
      },
    },
  },
  // Failures sorted by kind, first match wins (a pattern matches anywhere in the text).
  categories: [
    { name: "Scénarios instables (échec, puis réussite à la tentative tracée)",
      matchers: { statuses: ["failed"], message: /flaky scenario/ } },
    { name: "Simulateur injoignable ou en erreur",
      matchers: { statuses: ["failed", "broken"], trace: /ConnectError|ControlError|ConnectionRefused/ } },
    { name: "Délai dépassé (page ou élément trop lent)",
      matchers: { statuses: ["failed", "broken"], message: /Timeout|timed out/ } },
    { name: "Vérification non satisfaite (la page ne montre pas ce qui est attendu)",
      matchers: { statuses: ["failed"], message: /AssertionError/ } },
    { name: "Erreur du harnais ou du test", matchers: { statuses: ["broken"] } },
  ],
};
