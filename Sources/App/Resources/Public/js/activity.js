// Active editing time: once a minute, while someone types, clicks or scrolls, tell the
// server this form is being worked on. An idle page sends nothing, so it does not count.
// The form works the same without this script; only saves are measured then. Each ping
// names the field typed in since the last one, so others see which part this person is
// editing now, and its answer says who else has the assessment open, shown above the form
// and beside each part.
(function () {
  var input = document.querySelector('input[name="editingSession"]');
  if (!input || !window.fetch || !window.URLSearchParams) return;
  var token = input.form && input.form.querySelector('input[name="csrfToken"]');
  var active = false;
  var field = '';
  ['input', 'keydown', 'click', 'scroll'].forEach(function (kind) {
    document.addEventListener(kind, function () { active = true; }, { passive: true });
  });
  document.addEventListener('input', function (event) {
    if (event.target && event.target.name) field = event.target.name;
  }, { passive: true });
  setInterval(function () {
    if (!active || !token) return;
    active = false;
    var body = new URLSearchParams();
    body.set('csrfToken', token.value);
    body.set('field', field);
    field = '';
    fetch('/editing-sessions/' + encodeURIComponent(input.value) + '/ping', {
      method: 'POST', body: body, credentials: 'same-origin'
    }).then(function (response) {
      return response.status === 200 ? response.json() : null;
    }).then(function (presence) {
      // Who else is writing now: the server's sentences, as text (never markup).
      if (!presence) return;
      show('others-editing', presence.text);
      Object.keys(presence.parts || {}).forEach(function (part) {
        show('others-editing-' + part, presence.parts[part]);
      });
    }).catch(function () {});
  }, 60000);

  function show(id, text) {
    var shown = document.getElementById(id);
    if (!shown) return;
    shown.textContent = text;
    shown.className = text ? 'govuk-inset-text' : '';
  }
})();
