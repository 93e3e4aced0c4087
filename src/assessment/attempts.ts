import { Type, type Static } from 'typebox';
import type { TestPolicy } from './items.js';

/** An integrity signal recorded during an attempt (focus lost, paste): shown to assessors, never failing anyone. */
export const IntegritySignalSchema = Type.Object({
  type: Type.String(),
  /** When, as an ISO timestamp. */
  at: Type.String(),
  detail: Type.Optional(Type.String()),
});
export type IntegritySignal = Static<typeof IntegritySignalSchema>;

/** Attempt rules: how many tries, how long between them, how long each may take. All times are the server's. */
export interface PastAttempt {
  startedAt: Date;
  finishedAt: Date | null;
  passed: boolean | null;
}

export type StartDecision =
  | { allowed: true }
  | { allowed: false; reason: 'in-progress' | 'passed' | 'max-attempts' | 'cooldown'; message: string; retryAt?: Date };

const hours = (n: number) => n * 3600_000;

export function deadline(startedAt: Date, policy: Pick<TestPolicy, 'timeLimitMinutes'>): Date {
  return new Date(startedAt.getTime() + policy.timeLimitMinutes * 60_000);
}

export function isOverdue(
  startedAt: Date,
  policy: Pick<TestPolicy, 'timeLimitMinutes'>,
  now: Date,
  graceSeconds = 5,
): boolean {
  // A few seconds' grace for the network; the browser's clock is never trusted.
  return now.getTime() > deadline(startedAt, policy).getTime() + graceSeconds * 1000;
}

/**
 * Whether a learner may start a new attempt. An unfinished attempt must be resumed (a reload must not
 * redraw easier items); a passed test needs no retake unless the credential is being renewed.
 */
export function canStart(
  history: PastAttempt[],
  policy: Pick<TestPolicy, 'maxAttempts' | 'cooldownHours' | 'timeLimitMinutes'>,
  now: Date,
  options: { renewing?: boolean } = {},
): StartDecision {
  const open = history.find((a) => a.finishedAt === null && !isOverdue(a.startedAt, policy, now));
  if (open) return { allowed: false, reason: 'in-progress', message: 'You have an attempt in progress: resume it.' };
  if (history.some((a) => a.passed) && !options.renewing) {
    return { allowed: false, reason: 'passed', message: 'You have already passed this test.' };
  }
  const counted = options.renewing ? history.filter((a) => !a.passed) : history;
  if (counted.length >= policy.maxAttempts && !options.renewing) {
    return { allowed: false, reason: 'max-attempts', message: `You have used all ${policy.maxAttempts} attempts.` };
  }
  const last = [...history].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
  if (last && last.passed === false && policy.cooldownHours > 0) {
    const ended = last.finishedAt ?? deadline(last.startedAt, policy);
    const retryAt = new Date(ended.getTime() + hours(policy.cooldownHours));
    if (retryAt > now) {
      return {
        allowed: false,
        reason: 'cooldown',
        message: `You can try again after ${retryAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
        retryAt,
      };
    }
  }
  return { allowed: true };
}
