// Active editing time: once a minute, while someone types, clicks or scrolls, tell the
// server this form is being worked on. An idle page sends nothing, so it does not count.
// The form works the same without this script; only saves are measured then. Each ping's
// answer says who else has the assessment open, shown above the form.
(function () {
  var input = document.querySelector('input[name="editingSession"]');
  if (!input || !window.fetch || !window.URLSearchParams) return;
  var token = input.form && input.form.querySelector('input[name="csrfToken"]');
  var active = false;
  ['input', 'keydown', 'click', 'scroll'].forEach(function (kind) {
    document.addEventListener(kind, function () { active = true; }, { passive: true });
  });
  setInterval(function () {
    if (!active || !token) return;
    active = false;
    var body = new URLSearchParams();
    body.set('csrfToken', token.value);
    fetch('/editing-sessions/' + encodeURIComponent(input.value) + '/ping', {
      method: 'POST', body: body, credentials: 'same-origin'
    }).then(function (response) {
      return response.status === 200 ? response.json() : null;
    }).then(function (presence) {
      // Who else is writing now: the server's sentence, as text (never markup).
      var shown = document.getElementById('others-editing');
      if (!presence || !shown) return;
      shown.textContent = presence.text;
      shown.className = presence.text ? 'govuk-inset-text' : '';
    }).catch(function () {});
  }, 60000);
})();
