import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most tests wait on child processes and loopback sockets: more workers than cores keeps both cores busy.
    maxWorkers: 3,
    minWorkers: 1,
    // The suites run as an engineer's shell does: with a default region exported that is not the stack's (the
    // scenarios live in me-central-1), so that the region rule (a region written in the chain wins) is held.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' },
  },
});
