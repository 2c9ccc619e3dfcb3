// Active editing time: once a minute, while someone types, clicks or scrolls, tell the
// server this form is being worked on. An idle page sends nothing, so it does not count.
// The form works the same without this script; only saves are measured then.
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
    });
  }, 60000);
})();
