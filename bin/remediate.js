#!/usr/bin/env node
// Node ≥ 22.1 can cache the compiled code of every module it loads (in the OS temp directory), which
// makes each later start-up cheaper; Node 20 has no such function, and then nothing changes.
// https://nodejs.org/api/module.html#moduleenablecompilecachecachedir
import module from 'node:module';

module.enableCompileCache?.();
// The bundle `npm run build` makes (scripts/bundle.mjs): the CLI in a few ES modules, each command and each AWS
// service's SDK classes a lazy chunk, instead of ~370 modules of dist/ and the SDK's clients whole.
await import('../dist/bundle/main.js');
