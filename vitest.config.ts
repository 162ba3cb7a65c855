import { defineConfig } from 'vitest/config';

/**
 * Test projects: `unit` (pure domain), `console` (the web console's pure modules), `differential`
 * (evaluator vs oracle and Cedar), `integration` (DynamoDB Local, started once per run), `infra`
 * (CDK assertions), `e2e` (HTTP against the local server; the console in headless Chromium) and
 * `scale` (a group of 100,000 members; run last, alone). `infra` and `e2e` have no tests until the stack and the server exist.
 */
/**
 * The suite's environment: request log lines (INFO) and EMF metrics off, so in-process servers do not
 * flood the output; errors still print. Tests that check the logs set their own level.
 */
const quiet = { LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' };

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          env: quiet,
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'console',
          include: ['console/test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'differential',
          env: quiet,
          include: ['test/differential/**/*.test.ts'],
          testTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'integration',
          env: quiet,
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/dynamodb-local-global-setup.ts'],
          // The files share one DynamoDB Local: with the whole suite running on 2 cores, the
          // invite cleanup over thousands of invites (about 18 s alone) took over 60 s.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'infra',
          env: quiet,
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          // beforeAll hooks synthesize the stack (esbuild bundles every function): slow on a busy machine.
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          env: quiet,
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/dynamodb-local-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Tests at DynamoDB's limits (a group of 100,000 members): they load DynamoDB Local for minutes,
        // so they run after every other project, on their own DynamoDB Local, never beside timed tests.
        test: {
          name: 'scale',
          env: quiet,
          include: ['test/scale/**/*.test.ts'],
          globalSetup: ['test/support/dynamodb-local-global-setup.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
