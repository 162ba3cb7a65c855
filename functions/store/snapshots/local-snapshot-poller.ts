import type { SnapshotPublisher } from './snapshot-publisher.js';

/** Options of {@link startLocalSnapshotPoller}. */
export interface LocalSnapshotPollerOptions {
  readonly publisher: SnapshotPublisher;
  /** The accounts to keep published (read at every round, so accounts seen later are included). */
  readonly accounts: () => Iterable<string>;
  /** Pause between two rounds, in milliseconds (default {@link LOCAL_POLL_INTERVAL_MS}). */
  readonly intervalMs?: number;
  /** Told when publishing an account failed (the next round tries again). */
  readonly onError?: (accountId: string, error: unknown) => void;
}

/** The local poller's default pause between rounds. */
export const LOCAL_POLL_INTERVAL_MS = 2_000;

/** A running poller. */
export interface LocalSnapshotPoller {
  /** Runs one round now (tests), resolving when it is done. */
  poll(): Promise<void>;
  /** Stops polling and waits for a round in progress. */
  stop(): Promise<void>;
}

/**
 * The local stand-in for the stream consumer that publishes snapshots in AWS: every `intervalMs` it
 * runs {@link SnapshotPublisher.publish} — the same code the Lambda runs — for each account, one round
 * at a time (a round costs one change-log Query per account, plus a publication when it moved).
 */
export function startLocalSnapshotPoller(options: LocalSnapshotPollerOptions): LocalSnapshotPoller {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const round = async () => {
    for (const accountId of [...options.accounts()]) {
      if (stopped) return;
      try {
        await options.publisher.publish(accountId);
      } catch (error) {
        options.onError?.(accountId, error);
      }
    }
  };
  const poll = () => {
    running = running.then(round);
    return running;
  };
  const timer = setInterval(() => void poll(), options.intervalMs ?? LOCAL_POLL_INTERVAL_MS);
  timer.unref();
  return {
    poll,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
