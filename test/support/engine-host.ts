import { createInterface } from 'node:readline';
import { cedarEngine } from './cedar-world.js';
import type { DecisionEngine } from './decision-engine.js';
import { evaluatorEngine } from './decision-engine.js';
import { oracleEngine } from './oracle.js';

/**
 * Serves one decision engine over stdin/stdout, one JSON message a line, for `child-engine.ts`:
 * first `{"methods": [...]}`, then for each `{"id", "method", "args"}` a `{"id", "result"}` or
 * `{"id", "error"}`. Run as `node --no-turbo-inline-js-wasm-calls --import tsx engine-host.ts NAME`.
 */
const ENGINES: Readonly<Record<string, DecisionEngine>> = {
  evaluator: evaluatorEngine,
  oracle: oracleEngine,
  cedar: cedarEngine,
};

const name = process.argv[2] ?? '';
const engine = ENGINES[name];
if (!engine) {
  process.stderr.write(`unknown engine ${name}; one of ${Object.keys(ENGINES).join(', ')}\n`);
  process.exit(2);
}

const METHODS = ['decide', 'whoCan', 'effectivePermissions'] as const;
type Method = (typeof METHODS)[number];
const send = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

send({ methods: METHODS.filter((method) => engine[method] !== undefined) });
for await (const line of createInterface({ input: process.stdin })) {
  const { id, method, args } = JSON.parse(line) as { id: number; method: Method; args: unknown[] };
  try {
    const call = engine[method] as ((...values: unknown[]) => Promise<unknown>) | undefined;
    if (!call) throw new Error(`engine ${name} has no ${method}`);
    send({ id, result: await call.apply(engine, args) });
  } catch (error) {
    send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}
