#!/usr/bin/env node
/*
 * Run by npm after every install that changes node_modules of this repository (the `dependencies` script; npm
 * never runs it for an installed package, where cdk8s-cli is absent and this does nothing). The cdk8s CLI asks
 * npm for a newer version of itself on every run and, without network, prints a stack trace and "A new version
 * undefined". Its only switch is the CDK8S_CHECK_UPGRADE variable, which cdk8s.yaml cannot set, so
 * node_modules/.bin/cdk8s becomes a launcher that defaults the variable to false and then runs the real CLI.
 * `CDK8S_CHECK_UPGRADE=true` turns it back on.
 */
'use strict';
const { existsSync, rmSync, writeFileSync, chmodSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const cli = join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const launcher = join(root, 'node_modules', '.bin', 'cdk8s');
if (existsSync(cli)) {
  rmSync(launcher, { force: true });
  writeFileSync(
    launcher,
    [
      '#!/usr/bin/env node',
      '// Written by scripts/quiet-cdk8s-cli.cjs: no upgrade check (and no stack trace offline) unless asked for.',
      "process.env.CDK8S_CHECK_UPGRADE ??= 'false';",
      "const cli = require.resolve('../cdk8s-cli/bin/cdk8s');",
      // yargs reports the version of the package.json nearest to the main module: make that the CLI's, not this repository's.
      'module.filename = cli;',
      'require(cli);',
      '',
    ].join('\n'),
  );
  chmodSync(launcher, 0o755);
}
