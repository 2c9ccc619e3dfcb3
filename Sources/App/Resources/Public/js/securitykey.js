// Security keys (WebAuthn): a form marked data-security-key="add" or "sign-in" holds its
// submission until the browser has the key's answer, puts the answer in the form's hidden
// fields (base64url) and sends it; if there is none (no key support, cancelled, too slow),
// `failure` names why and the server's page says what to do. The server checks everything:
// the challenge, the site and the signature. Without this script the form is sent with no
// answer, and the page says that security keys need JavaScript.
(function () {
  function bytes(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var raw = atob(base64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function text(buffer) {
    var view = new Uint8Array(buffer), raw = '';
    for (var i = 0; i < view.length; i++) raw += String.fromCharCode(view[i]);
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function keys(list) {
    return (list || '').split(' ').filter(Boolean).map(function (id) { return { type: 'public-key', id: bytes(id) }; });
  }
  function ask(data) {
    if (data.securityKey === 'add') {
      return navigator.credentials.create({ publicKey: {
        challenge: bytes(data.challenge), rp: { id: data.rpId, name: 'eCAF' },
        user: { id: bytes(data.userId), name: data.userName, displayName: data.userDisplayName },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }], excludeCredentials: keys(data.keys),
        attestation: 'none', timeout: 120000,
        authenticatorSelection: { residentKey: 'discouraged', userVerification: 'discouraged' }
      } });
    }
    return navigator.credentials.get({ publicKey: {
      challenge: bytes(data.challenge), rpId: data.rpId, allowCredentials: keys(data.keys),
      userVerification: 'discouraged', timeout: 120000
    } });
  }
  function enhance() {
    document.querySelectorAll('form[data-security-key]').forEach(function (form) {
      function set(name, value) { if (form.elements[name]) form.elements[name].value = value; }
      var asking = false;
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (asking) return;
        asking = true;
        var answer;
        try {
          answer = window.PublicKeyCredential && navigator.credentials
            ? ask(form.dataset) : Promise.reject({ name: 'unsupported' });
        } catch (error) {
          answer = Promise.reject(error);
        }
        answer.then(function (credential) {
          var response = credential.response;
          set('credentialId', text(credential.rawId));
          set('clientDataJSON', text(response.clientDataJSON));
          if (response.attestationObject) set('attestationObject', text(response.attestationObject));
          if (response.authenticatorData) set('authenticatorData', text(response.authenticatorData));
          if (response.signature) set('signature', text(response.signature));
        }, function (error) {
          set('failure', String((error && error.name) || 'error').slice(0, 40));
        }).then(function () { form.submit(); });
      });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', enhance); else enhance();
})();
