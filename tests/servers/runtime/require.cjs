// The runtime matrix through Node's require() of the ES module package.
const { report } = require('./report.mjs');

report({
  root: require('jwtguard'),
  worker: require('jwtguard/worker'),
  hono: require('jwtguard/hono'),
  express: require('jwtguard/express'),
  fastify: require('jwtguard/fastify'),
  display: require('jwtguard/display'),
}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
