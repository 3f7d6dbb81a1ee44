// Browser-side mirror of mock_server/rules/{nir,provisional,password}.py:
// the same checks, in the same order, returning the same codes (keys of the
// messages in mock_server/texts.py). The Python modules are the reference;
// tests/test_rules.py runs this file under node over the bad-input catalogue
// (fixtures/bad_inputs.py) and edge values and checks both agree. Change both
// together. Plain script, no build step: exposes window.MonCompteRules.
(function (root) {
  "use strict";

  // nir.py
  const NIR_LENGTH = 13;
  const SEPARATORS = /[ \t\u00a0\u202f.]/g;
  const DIGITS_ONLY = /^[0-9]*$/;
  const SEX_DIGITS = "12";
  const TEMPORARY_NIA_DIGITS = "78";
  const MONTH_START = 3, MONTH_END = 5;
  const DEPARTMENT_START = 5, DEPARTMENT_END = 7;
  const CORSICA_DEPARTMENTS = ["2A", "2B"];
  // 01-95 (20 included), 97, 98, 99, 2A, 2B; 00 and 96 do not exist.
  const KNOWN_DEPARTMENTS = new Set(["97", "98", "99"].concat(CORSICA_DEPARTMENTS));
  for (let n = 1; n <= 95; n++) KNOWN_DEPARTMENTS.add(String(n).padStart(2, "0"));

  function normalizeNir(raw) {
    return String(raw).replace(SEPARATORS, "").toUpperCase();
  }

  function checkNir(raw) {
    const nir = normalizeNir(raw);
    if (!nir) return "required";
    const department = nir.slice(DEPARTMENT_START, DEPARTMENT_END);
    const rest = CORSICA_DEPARTMENTS.includes(department)
      ? nir.slice(0, DEPARTMENT_START) + nir.slice(DEPARTMENT_END)
      : nir;
    if (!DIGITS_ONLY.test(rest)) return "invalid_characters";
    if (nir.length < NIR_LENGTH) return "too_short";
    if (nir.length > NIR_LENGTH) return "too_long";
    if (TEMPORARY_NIA_DIGITS.includes(nir[0])) return "temporary_nia";
    if (!SEX_DIGITS.includes(nir[0])) return "bad_sex";
    const month = Number(nir.slice(MONTH_START, MONTH_END));
    if (!(month >= 1 && month <= 12)) return "bad_month";
    if (!KNOWN_DEPARTMENTS.has(department)) return "bad_department";
    return null;
  }

  // provisional.py
  const PROVISIONAL_PATTERN = /^P[0-9]{9}$/;

  function normalizeProvisionalId(raw) {
    return String(raw).replace(SEPARATORS, "").toUpperCase();
  }

  function checkProvisionalId(raw) {
    const value = normalizeProvisionalId(raw);
    if (!value) return "required";
    if (!PROVISIONAL_PATTERN.test(value)) return "bad_format";
    return null;
  }

  // password.py
  const PASSWORD_MIN = 8;
  const PASSWORD_MAX = 64;
  // \p{L} is exactly Python's str.isalpha() (categories Lu, Ll, Lt, Lm, Lo).
  const LETTER = /\p{L}/u;
  const DIGIT = /[0-9]/;

  function checkPassword(pw) {
    pw = String(pw);
    // Python counts code points, not UTF-16 units: an emoji is one character.
    const length = Array.from(pw).length;
    if (!length) return "required";
    if (length < PASSWORD_MIN) return "too_short";
    if (length > PASSWORD_MAX) return "too_long";
    if (!LETTER.test(pw)) return "no_letter";
    if (!DIGIT.test(pw)) return "no_digit";
    return null;
  }

  root.MonCompteRules = { normalizeNir, checkNir, checkProvisionalId, checkPassword };
})(window);
