// Certificate-bound tokens (RFC 8705) on Express 5 and 4, Connect, Fastify 5
// and node:http, each serving HTTPS on 127.0.0.1 itself: the mTLS table
// (tests/frameworks/mtls-cases.mjs), the certificate read from the TLS
// connection.
import { mtlsSuite } from '../frameworks/mtls-cases.mjs';
import { FRAMEWORKS, startApp } from './apps.mjs';

for (const name of FRAMEWORKS) {
  mtlsSuite(name, ({ options, settings, tls }) => startApp(name, options, settings, { tls }));
}
