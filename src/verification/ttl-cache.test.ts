import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('reuses a value until its time to live has passed, then loads again', async () => {
    let clock = 1_000;
    let loads = 0;
    const cache = new TtlCache<number>(500, 10, () => clock);
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    clock += 499;
    expect(await cache.get('k', load)).toBe(1);
    clock += 1;
    expect(await cache.get('k', load)).toBe(2);
  });

  it('shares one pending load between concurrent callers and keeps no failure', async () => {
    let loads = 0;
    const cache = new TtlCache<number>(60_000);
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5));
    expect(await Promise.all([cache.get('k', slow), cache.get('k', slow), cache.get('k', slow)])).toEqual([1, 1, 1]);
    await expect(cache.get('bad', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('bad', async () => 7)).toBe(7);
  });

  it('forgets on request, and stays within its size', async () => {
    let loads = 0;
    const cache = new TtlCache<number>(60_000, 2);
    const load = async () => ++loads;
    await cache.get('a', load);
    cache.delete('a');
    expect(await cache.get('a', load)).toBe(2);
    await cache.get('b', load);
    await cache.get('c', load);
    cache.deleteWhere((key) => key === 'c');
    expect(await cache.get('c', load)).toBe(5);
    expect(await cache.get('a', load)).toBe(6); // evicted as the oldest when c came in
  });
});
