/** A clock that reads the system time plus an offset the local server can advance (`POST /local/clock`). */
export interface OffsetClock {
  now(): number;
  advance(seconds: number): number;
}

/** Creates a clock starting at the system time with no offset. */
export function createOffsetClock(system: () => number = Date.now): OffsetClock {
  let offsetMs = 0;
  return {
    now: () => system() + offsetMs,
    advance: (seconds) => {
      offsetMs += seconds * 1000;
      return system() + offsetMs;
    },
  };
}
