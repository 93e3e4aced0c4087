import { randomInt, randomUUID } from 'node:crypto';
import type { StatusPurpose } from '../vc/status-list.js';
import type { IssuanceStore, StatusListRow } from './store.js';

// A list takes new credentials until it is this full, so random indices stay cheap to find and the
// remaining free slots keep every credential hidden among many.
export const fillLimit = 0.5;

/** The record's status columns for the entries at `indices` of `lists` (one list per purpose). */
export function slotColumns(lists: StatusListRow[], indices: number[]) {
  const at = (purpose: StatusPurpose) => lists.findIndex((list) => list.purpose === purpose);
  const r = at('revocation');
  const s = at('suspension');
  return {
    revocationListId: r < 0 ? null : lists[r]!.id,
    revocationIndex: r < 0 ? null : indices[r]!,
    suspensionListId: s < 0 ? null : lists[s]!.id,
    suspensionIndex: s < 0 ? null : indices[s]!,
  };
}

interface SlotPool {
  list: StatusListRow;
  used: Set<number>;
  room: number;
}

/**
 * An organization's free status slots, tracked in memory for a run of batches: each purpose's open list with
 * the indices taken, reloaded (one reload at a time, shared by concurrent batches) when it runs out of room;
 * a full list is followed by a new one. Slots of batches still in flight stay taken across reloads.
 */
export function createSlotPools(deps: {
  store: IssuanceStore;
  orgId: string;
  listLength: number;
  openList: (purpose: StatusPurpose) => Promise<StatusListRow>;
}) {
  const pools = new Map<StatusPurpose, SlotPool>();
  const opening = new Map<StatusPurpose, Promise<SlotPool>>();

  async function reload(purpose: StatusPurpose): Promise<SlotPool> {
    let list = await deps.openList(purpose);
    let used = new Set(await deps.store.usedIndices(list.id, purpose));
    // Slots of batches still in flight are not in the database yet: keep them taken.
    const previous = pools.get(purpose);
    if (previous?.list.id === list.id) for (const index of previous.used) used.add(index);
    if (Math.floor(list.length * fillLimit) - used.size <= 0) {
      list = await deps.store.createList({
        id: randomUUID(),
        orgId: deps.orgId,
        purpose,
        length: deps.listLength,
      });
      used = new Set();
    }
    const fresh = { list, used, room: Math.floor(list.length * fillLimit) - used.size };
    pools.set(purpose, fresh);
    return fresh;
  }

  async function pool(purpose: StatusPurpose): Promise<SlotPool> {
    const current = pools.get(purpose);
    if (current && current.room > 0) return current;
    let pending = opening.get(purpose);
    if (!pending) {
      pending = reload(purpose).finally(() => opening.delete(purpose));
      opening.set(purpose, pending);
    }
    return pending;
  }

  /** A free slot at random for each purpose, taken at once. */
  async function allocate(purposes: StatusPurpose[]) {
    const lists: StatusListRow[] = [];
    const indices: number[] = [];
    for (const purpose of purposes) {
      let slots = await pool(purpose);
      while (slots.room <= 0) slots = await pool(purpose);
      let index = randomInt(slots.list.length);
      while (slots.used.has(index)) index = randomInt(slots.list.length);
      slots.used.add(index);
      slots.room -= 1;
      lists.push(slots.list);
      indices.push(index);
    }
    return { lists, indices };
  }

  return {
    allocate,
    /** Forgets every pool: the next allocation reloads which slots are taken (another process took some). */
    clear: () => pools.clear(),
  };
}
