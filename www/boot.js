/**
 * Loads the page's code, which needs the package's WebAssembly build. When
 * that fails (the page opened from a file, or before `make build`), says so
 * instead of leaving a page that silently does nothing.
 */
const status = document.getElementById('load-status');

import('./app.js').then(
  () => status.remove(),
  (error) => {
    status.textContent = `The verifier could not load (${error.message}). Serve the repository root over HTTP after make build and open /www/; see the README.`;
    status.classList.add('load-failed');
  },
);
