// GOV.UK's password input: a "Show" button beside each password field lets a person check
// what they typed (ASVS V2.1.12). Without this script the button stays hidden and the field
// is an ordinary password field. The field is masked again before its form is sent, so a
// browser never keeps it as plain text.
(function () {
  if (window.ecafPasswordInputs) return;
  window.ecafPasswordInputs = true;
  function enhance() {
    document.querySelectorAll('.govuk-js-password-input-toggle').forEach(function (button) {
      var input = document.getElementById(button.getAttribute('aria-controls'));
      if (!input) return;
      var status = document.createElement('div');
      status.className = 'govuk-visually-hidden';
      status.setAttribute('aria-live', 'polite');
      button.parentNode.appendChild(status);
      function show(visible) {
        input.type = visible ? 'text' : 'password';
        button.textContent = visible ? 'Hide' : 'Show';
        button.setAttribute('aria-label', visible ? 'Hide password' : 'Show password');
        status.textContent = visible ? 'Your password is visible' : 'Your password is hidden';
      }
      button.addEventListener('click', function () { show(input.type === 'password'); });
      if (input.form) input.form.addEventListener('submit', function () { if (input.type !== 'password') show(false); });
      window.addEventListener('pageshow', function () { if (input.type !== 'password') show(false); });
      button.hidden = false;
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', enhance); else enhance();
})();

// The strength meter under a new password (ASVS V2.1.8): as the person types, it says in
// words whether the password policy allows the password and how strong it is. The policy's
// numbers and lists come in the meter's data attributes (CredentialLinkPage.strengthMeter),
// and it counts as PasswordPolicy does (code points of the NFC form), so that the two agree;
// the server checks the password anyway. Without the holder's own words (a reset link still
// waiting for its code) it says that check is still to come. It speaks (aria-live) only when
// its verdict changes, not at every key.
(function () {
  function verdict(password, rules) {
    var composed = password.normalize('NFC');
    var characters = Array.from(composed);
    var lower = composed.toLowerCase();
    if (characters.length < rules.minimum) return 'not allowed yet: use at least ' + rules.minimum + ' characters';
    if (new TextEncoder().encode(password).length > rules.maxBytes) return 'not allowed: use a shorter password';
    if (rules.common.indexOf(lower) >= 0 || new Set(characters).size === 1) return 'not allowed: it is too common';
    if (rules.personal && rules.personal.some(function (word) { return lower.indexOf(word) >= 0; })) {
      return 'not allowed: it has your name or e-mail address in it';
    }
    var allowed = characters.length >= rules.strong ? 'strong' : 'good (a longer one is stronger)';
    return rules.personal ? allowed : allowed + '; it must not hold your name or e-mail address';
  }
  function enhance() {
    var meter = document.getElementById('newPassword-strength');
    var input = document.getElementById('newPassword');
    if (!meter || !input) return;
    var rules = {
      minimum: +meter.dataset.minimum, strong: +meter.dataset.strong, maxBytes: +meter.dataset.maxBytes,
      common: JSON.parse(meter.dataset.common),
      personal: meter.dataset.personal === undefined ? null : JSON.parse(meter.dataset.personal)
    };
    function say() {
      var said = 'Password strength: ' + (input.value ? verdict(input.value, rules) : 'nothing typed yet');
      if (meter.textContent !== said) meter.textContent = said;
    }
    input.addEventListener('input', say);
    say();
    meter.hidden = false;
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', enhance); else enhance();
})();
