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
