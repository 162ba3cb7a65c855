/**
 * One instance's writers of one account, one at a time (DESIGN §4 "concurrent writers converge"):
 * every write re-plans from the account's latest version, so two writers of the same instance that
 * run side by side only collide on that version and retry. Queued, each plans against the state the
 * previous one committed and commits at the first attempt; writers on other instances still meet
 * the optimistic version check and `writeAccount`'s jittered retry.
 */
export class AccountWriteQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `write` once every write of `accountId` queued before it has settled; answers what it answers. */
  run<T>(accountId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(accountId) ?? Promise.resolve();
    const result = previous.then(write);
    const tail = result.then(settled, settled);
    this.tails.set(accountId, tail);
    void tail.then(() => {
      if (this.tails.get(accountId) === tail) this.tails.delete(accountId);
    });
    return result;
  }

  /** How many accounts have writes queued or running (0 when idle). */
  get busyAccounts(): number {
    return this.tails.size;
  }
}

function settled(): void {}

const queues = new WeakMap<object, AccountWriteQueue>();

/** The write queue of one instance, identified by an object it holds once (its policy cache). */
export function writeQueueOf(instance: object): AccountWriteQueue {
  let queue = queues.get(instance);
  if (!queue) {
    queue = new AccountWriteQueue();
    queues.set(instance, queue);
  }
  return queue;
}
