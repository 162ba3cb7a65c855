import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { DecisionEngine } from './decision-engine.js';

/** A decision engine served by a child process; `close` ends the process. */
export interface ChildEngine extends DecisionEngine {
  close(): Promise<void>;
}

const HOST = fileURLToPath(new URL('./engine-host.ts', import.meta.url));

/**
 * V8 flags of the child. V8 (Node 20 and still Node 22.23) aborts in its deoptimizer when TurboFan
 * inlines JS→wasm calls into Cedar's bindings (reproducible outside vitest); this flag keeps those
 * calls out of line.
 */
export const CEDAR_SAFE_NODE_FLAGS = ['--no-turbo-inline-js-wasm-calls'] as const;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * Starts `engine-host.ts` for the named engine (`cedar`, `oracle` or `evaluator`) in a Node child
 * process with {@link CEDAR_SAFE_NODE_FLAGS}, and returns the same engine interface over its
 * stdin/stdout. Rejects when the child fails before it is ready.
 */
export async function startChildEngine(name: string): Promise<ChildEngine> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [...CEDAR_SAFE_NODE_FLAGS, '--import', 'tsx', HOST, name],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let methods: readonly string[] | undefined;
  let ready: Pending | undefined;
  const failAll = (error: Error) => {
    ready?.reject(error);
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  child.on('exit', (code, signal) => {
    failAll(new Error(`engine ${name} exited (${code ?? signal}): ${stderr}`));
  });
  child.on('error', failAll);
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as { id?: number; result?: unknown; error?: string; methods?: string[] };
    if (message.methods) {
      methods = message.methods;
      ready?.resolve(undefined);
      return;
    }
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting || message.id === undefined) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(`engine ${name}: ${message.error}`));
    else waiting.resolve(message.result);
  });
  await new Promise((resolve, reject) => {
    ready = { resolve, reject };
  });
  const call = (method: string, args: unknown[]) =>
    new Promise<never>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.stdin.write(`${JSON.stringify({ id, method, args })}\n`);
    });
  const has = (method: string) => methods?.includes(method) ?? false;
  return {
    name,
    decide: (world, requests) => call('decide', [world, requests]),
    ...(has('whoCan') ? { whoCan: (world, check) => call('whoCan', [world, check]) } : {}),
    ...(has('effectivePermissions')
      ? {
          effectivePermissions: (world, principal, scope) =>
            call('effectivePermissions', [world, principal, scope]),
        }
      : {}),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
}
