import { defineConfig } from 'vitest/config';
import ProcessesFirstSequencer from './test/support/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Budgets with room for a loaded machine. Measured (2 cores): at a load average of 7 the slowest test on the
    // default budget took 27.5 s; with two CPU hogs and a load average of 15-17 every CLI-driving test slowed
    // 3-10×, the slowest on the default budget to 62.6 s (e2e-verify). 240 s is more than 3× that; the tests
    // that need more (the aws CLI ones, the soak, the own-stack loop) say so themselves. A hook starts at most a
    // few CLI processes (a second of CPU each on a quiet machine).
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most tests wait on child processes and loopback sockets: more workers than cores keeps both cores busy.
    maxWorkers: 3,
    minWorkers: 1,
    sequence: { sequencer: ProcessesFirstSequencer },
    // The suites run as an engineer's shell does: with a default region exported that is not the stack's (the
    // scenarios live in me-central-1), so that the region rule (a region written in the chain wins) is held.
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    },
  },
});
