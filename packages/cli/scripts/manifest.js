// Writes oclif.manifest.json (command ids, flags, help) from the built
// commands, so that start-up reads one JSON file instead of importing every
// command module to learn their names and flags: `cvnet predict` then loads
// only predict.js and what it imports. Runs after tsc (npm run build:ts);
// a manifest left behind by an older build is caught by test/cli/manifest.test.ts.
// Same steps as `oclif manifest` from the oclif dev package, with
// @oclif/core's own Plugin API so no extra dependency is needed.
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
await plugin.load();
const target = join(root, 'oclif.manifest.json');
const temp = `${target}.${process.pid}.tmp`;
await writeFile(temp, `${JSON.stringify(plugin.manifest, null, 2)}\n`);
await rename(temp, target);
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);
