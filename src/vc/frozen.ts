/**
 * Deeply frozen JSON: a value that can no longer change, so that what was worked out from it once (its
 * expansion and its canonicalization) holds for good. Bulk issuance freezes what a batch of
 * credentials shares.
 */

const deeplyFrozen = new WeakSet<object>();

/** Whether a value and everything in it is frozen (remembered once found). */
export function isDeeplyFrozen(value: object): boolean {
  if (deeplyFrozen.has(value)) return true;
  if (!Object.isFrozen(value)) return false;
  for (const item of Object.values(value)) {
    if (typeof item === 'object' && item !== null && !isDeeplyFrozen(item)) return false;
  }
  deeplyFrozen.add(value);
  return true;
}

/** Freezes a JSON value and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
