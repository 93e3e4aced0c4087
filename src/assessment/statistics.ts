/**
 * Classical item statistics, to keep an item bank honest: facility (share right), discrimination (the
 * point-biserial correlation of the item with the rest of the test), option choice shares and time. Flags
 * mark items that look leaked (facility jumping up, answers far faster than the item's norm) or broken
 * (negative discrimination). They inform the issuer; they never fail a learner.
 */
export interface Response {
  attemptId: string;
  itemId: string;
  right: boolean;
  chosen: string[];
  seconds: number;
  /** The attempt's total score as a fraction (0..1), for discrimination. */
  attemptScore: number;
  /** Items in that attempt, to remove this item from the total. */
  attemptItems: number;
  at: Date;
}

export type ItemFlag = 'negative-discrimination' | 'facility-jump' | 'fast-answers' | 'too-few-responses';

export interface ItemStatistics {
  itemId: string;
  responses: number;
  facility: number;
  discrimination: number | null;
  optionShares: Record<string, number>;
  meanSeconds: number;
  flags: ItemFlag[];
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

/** Point-biserial correlation of right/wrong with the rest-of-test score (the item itself removed). */
export function pointBiserial(responses: Pick<Response, 'right' | 'attemptScore' | 'attemptItems'>[]): number | null {
  const rest = responses.map(
    (r) => (r.attemptScore * r.attemptItems - (r.right ? 1 : 0)) / Math.max(1, r.attemptItems - 1),
  );
  const right = responses.map((r) => (r.right ? 1 : 0));
  const mx = mean(right);
  const my = mean(rest);
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < responses.length; i++) {
    cov += (right[i]! - mx) * (rest[i]! - my);
    vx += (right[i]! - mx) ** 2;
    vy += (rest[i]! - my) ** 2;
  }
  if (vx === 0 || vy === 0) return null;
  return Math.round((cov / Math.sqrt(vx * vy)) * 1000) / 1000;
}

export interface StatisticsOptions {
  minResponses: number;
  /** A rise in facility between the older and the newer half of responses that suggests a leak. */
  facilityJump: number;
  /** Answers faster than this share of the bank's median time for comparable items look memorized. */
  fastShare: number;
}

export const defaultStatisticsOptions: StatisticsOptions = { minResponses: 30, facilityJump: 0.25, fastShare: 0.35 };

export function itemStatistics(
  itemId: string,
  responses: Response[],
  bankMedianSeconds: number,
  options: StatisticsOptions = defaultStatisticsOptions,
): ItemStatistics {
  const sorted = [...responses].sort((a, b) => a.at.getTime() - b.at.getTime());
  const facility = mean(sorted.map((r) => (r.right ? 1 : 0)));
  const discrimination = sorted.length >= 2 ? pointBiserial(sorted) : null;
  const shares: Record<string, number> = {};
  for (const r of sorted) for (const option of r.chosen) shares[option] = (shares[option] ?? 0) + 1 / sorted.length;
  const meanSeconds = mean(sorted.map((r) => r.seconds));
  const flags: ItemFlag[] = [];
  if (sorted.length < options.minResponses) flags.push('too-few-responses');
  else {
    if (discrimination !== null && discrimination < 0) flags.push('negative-discrimination');
    const half = Math.floor(sorted.length / 2);
    const before = mean(sorted.slice(0, half).map((r) => (r.right ? 1 : 0)));
    const after = mean(sorted.slice(half).map((r) => (r.right ? 1 : 0)));
    if (after - before >= options.facilityJump) flags.push('facility-jump');
    const recent = sorted
      .slice(half)
      .map((r) => r.seconds)
      .sort((a, b) => a - b);
    const median = recent[Math.floor(recent.length / 2)] ?? 0;
    if (bankMedianSeconds > 0 && median < bankMedianSeconds * options.fastShare) flags.push('fast-answers');
  }
  return {
    itemId,
    responses: sorted.length,
    facility: Math.round(facility * 1000) / 1000,
    discrimination,
    optionShares: Object.fromEntries(Object.entries(shares).map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
    meanSeconds: Math.round(meanSeconds * 10) / 10,
    flags,
  };
}
