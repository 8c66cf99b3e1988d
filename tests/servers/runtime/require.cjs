// The runtime matrix through Node's require() of the ES module package.
const { report } = require('./report.mjs');

report({
  root: require('@jwtguard/jwtguard'),
  worker: require('@jwtguard/jwtguard/worker'),
  hono: require('@jwtguard/jwtguard/hono'),
  express: require('@jwtguard/jwtguard/express'),
  fastify: require('@jwtguard/jwtguard/fastify'),
  display: require('@jwtguard/jwtguard/display'),
}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
