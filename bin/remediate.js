#!/usr/bin/env node
// Node ≥ 22.1 can cache the compiled code of every module it loads (in the OS temp directory), which
// makes each later start-up cheaper; Node 20 has no such function, and then nothing changes.
// https://nodejs.org/api/module.html#moduleenablecompilecachecachedir
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/cli/main.js');
