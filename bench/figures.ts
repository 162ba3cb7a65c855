import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** One measured figure of `bench/results/latest.json` (DESIGN §12). */
export interface Figure {
  value: number;
  unit: string;
  reference?: number;
  ratio?: number;
  note?: string;
}

/** The target of each figure (issue 7), for the printed pass/fail column. */
export const TARGETS: Readonly<
  Record<string, { readonly describe: string; readonly met: (f: Figure) => boolean }>
> = {
  check_http_p50_ms: { describe: 'ratio ≤ 1.3', met: (f) => (f.ratio ?? Infinity) <= 1.3 },
  check_http_p99_ms: { describe: 'ratio ≤ 1.3', met: (f) => (f.ratio ?? Infinity) <= 1.3 },
  check_batch100_http_p50_ms: { describe: 'ratio ≤ 2', met: (f) => (f.ratio ?? Infinity) <= 2 },
  ddb_calls_per_batch_warm: { describe: '≤ 1', met: (f) => f.value <= 1 },
  ddb_calls_per_batch_cold: { describe: 'bounded', met: (f) => Number.isFinite(f.value) },
  eval_decisions_per_s: { describe: 'ratio ≥ 100', met: (f) => (f.ratio ?? 0) >= 100 },
  eval_vs_casbin_ratio: { describe: '≥ 100', met: (f) => f.value >= 100 },
  eval_agreement: { describe: '1.0', met: (f) => f.value === 1 },
  snapshot_heap_mb: { describe: '≤ 100', met: (f) => f.value <= 100 },
  migration_apply_s: { describe: 'ratio ≤ 1.5', met: (f) => (f.ratio ?? Infinity) <= 1.5 },
  migration_reapply_writes: { describe: '0', met: (f) => f.value === 0 },
  migration_messy_items_per_group: { describe: 'reported', met: () => true },
  migration_messy_apply_s: { describe: 'reported', met: () => true },
  migration_messy_reapply_s: { describe: 'ratio ≤ 2 (one read)', met: (f) => (f.ratio ?? Infinity) <= 2 },
  migration_messy_verify_s: { describe: '≤ 300 (minutes)', met: (f) => f.value <= 300 },
  migration_messy_verify_heap_mb: { describe: 'reported', met: () => true },
  bundle_authorize_kb: { describe: '≤ 400', met: (f) => f.value <= 400 },
  bundle_management_kb: { describe: 'reported', met: () => true },
  cold_import_ms: { describe: 'ratio ≤ 3', met: (f) => (f.ratio ?? Infinity) <= 3 },
  cold_first_check_ratio: { describe: 'ratio ≤ 20', met: (f) => (f.ratio ?? Infinity) <= 20 },
  cold_first_check_10x_ms: {
    describe: 'ratio ≤ 0.5 (of the timeout)',
    met: (f) => (f.ratio ?? Infinity) <= 0.5,
  },
  check_after_write_ratio: { describe: 'ratio ≤ 1.5', met: (f) => (f.ratio ?? Infinity) <= 1.5 },
  write_throughput_ratio: { describe: 'ratio ≥ 0.7', met: (f) => (f.ratio ?? 0) >= 0.7 },
  parallel_writers_ratio: { describe: 'ratio ≤ 2', met: (f) => (f.ratio ?? Infinity) <= 2 },
  parallel_writers_spread_ratio: { describe: 'ratio ≤ 2', met: (f) => (f.ratio ?? Infinity) <= 2 },
  partition_reads_per_cold_start: { describe: '0', met: (f) => f.value === 0 },
  snapshot_heap_10x_mb: { describe: 'reported', met: () => true },
  ...changeAfterSnapshotTargets(''),
  ...changeAfterSnapshotTargets('_10x'),
};

/** The targets of the figures of a change after the snapshot (`replay-bench.ts`), for one account. */
function changeAfterSnapshotTargets(
  suffix: string,
): Record<string, { readonly describe: string; readonly met: (f: Figure) => boolean }> {
  const smallShare = { describe: 'ratio ≤ 0.01', met: (f: Figure) => (f.ratio ?? Infinity) <= 0.01 };
  const reported = { describe: 'reported', met: () => true };
  return {
    [`check_after_write_policy_only_ms${suffix}`]: reported,
    [`check_after_write_policy_only_kb${suffix}`]: smallShare,
    [`check_after_write_full_items_ms${suffix}`]: reported,
    [`cold_check_one_change_ms${suffix}`]: reported,
    [`cold_check_one_change_kb${suffix}`]: smallShare,
    [`cold_check_one_change_full_ms${suffix}`]: reported,
  };
}

/** Rounds to two decimals. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The `p`-th percentile (0–100) of `samples`, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/**
 * Prints every figure beside its reference, ratio and target, and writes `bench/results/latest.json`.
 * With `only` (a partial run, e.g. `BENCH_ONLY=scale`), the figures of the file's previous run are
 * kept and those measured now replace theirs.
 */
export function report(figures: Record<string, Figure>, only?: string): void {
  const rows = Object.entries(figures).map(([name, figure]) => ({
    name,
    value: figure.value,
    unit: figure.unit,
    reference: figure.reference ?? '',
    ratio: figure.ratio ?? '',
    target: TARGETS[name]?.describe ?? '',
    met: TARGETS[name] ? (TARGETS[name].met(figure) ? 'yes' : 'NO') : '',
  }));
  console.table(rows);
  const machine = `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  const file = new URL('./results/latest.json', import.meta.url);
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const previous = only && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).figures ?? {}) : {};
  const document = {
    generatedAt: new Date().toISOString(),
    machine,
    ...(only ? { partial: only } : {}),
    figures: { ...previous, ...figures },
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
}
