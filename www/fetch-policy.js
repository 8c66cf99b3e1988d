/**
 * The fetcher frame's Content-Security-Policy. A <meta> policy can never be
 * widened after the page loaded, so the decoder page (connect-src 'self')
 * cannot reach an issuer itself; instead, once the person approved a URL, it
 * opens fetch.html#origin=<that URL's origin> in a hidden frame. This
 * classic, parser-blocking script runs first in that frame and writes a
 * policy whose connect-src is that one origin, or 'none' when the fragment
 * names anything else.
 */
(() => {
  // The library's rule (js/fetch.js): https, or plain http only to this machine.
  const LOOPBACK_HOSTS = ['localhost', '127.0.0.1'];
  // What a CSP host-source can name: letters, digits, hyphens and dots. This
  // also keeps quotes and semicolons out of the policy written below. An IPv6
  // literal such as [::1] cannot be named in a CSP source, so it gets 'none'.
  const HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

  function approvedOrigin() {
    const value = new URLSearchParams(location.hash.slice(1)).get('origin');
    let url;
    try {
      url = new URL(value);
    } catch {
      return null;
    }
    if (url.origin !== value || !HOST.test(url.hostname)) return null;
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);
    return url.protocol === 'https:' || loopback ? url.origin : null;
  }

  const connect = approvedOrigin() ?? "'none'";
  document.write(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src ${connect}; script-src 'self'; base-uri 'none'; form-action 'none'">`);
})();
