/**
 * One benchmark figure: a small module in bench/figures named after the figure, exporting `figure`. The
 * harness (run.ts) runs each in a child process of its own, several times, and takes medians.
 */
export interface FigureResult {
  /** Skillproof's figure, in the figure's unit (null: not measured). */
  skillproof: number | null;
  /** The reference implementation's figure, same unit (null: there is none). */
  reference: number | null;
  /** Whether both produced identical output (proofValues, tokens), when that applies. */
  identical: boolean | null;
  /** Anything else worth printing (latency percentiles, error counts). */
  details?: Record<string, number | string | boolean>;
}

export type Side = 'skillproof' | 'reference';

export interface Figure {
  name: string;
  unit: string;
  /**
   * Whether there is a reference implementation to measure (in a child process of its own). Without one, a
   * figure may still return a `reference` it measured itself in the same child (a baseline on the same server).
   */
  hasReference: boolean;
  /** A time (lower is better): the ratio is then reference ÷ Skillproof, how many times faster Skillproof is. */
  lowerIsBetter?: boolean;
  /**
   * Measures one side (the other's figure stays null); `identical` is checked by the Skillproof side.
   * Quick mode: tiny durations, for the harness's own test.
   */
  measure(options: { quick: boolean; side: Side }): Promise<FigureResult>;
}

/** Operations per second of `operation`, after a warm-up, over about `seconds`. */
export async function perSecond(operation: () => unknown, seconds: number): Promise<number> {
  const warmUntil = performance.now() + Math.min(1000, seconds * 300);
  while (performance.now() < warmUntil) await operation();
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 10; i++) await operation();
    count += 10;
  }
  return count / ((performance.now() - start) / 1000);
}

export const secondsFor = (quick: boolean) => (quick ? 0.2 : 3);
