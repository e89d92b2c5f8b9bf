#!/usr/bin/env node
// `agent-platform-cdk8s`: the compiled CLI (src/cli/main.ts); in a checkout, `npm run build` first.
'use strict';
require('../lib/src/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
