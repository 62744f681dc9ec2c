// CommonJS consumer of the packed tarball: every subpath through require() (the .cjs builds).
'use strict';
const { runChecks } = require('./checks.cjs');

runChecks('cjs require', require).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
