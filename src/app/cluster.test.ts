import { describe, expect, it } from 'vitest';
import { maxProcesses, parseProcesses } from './cluster.js';

describe('parseProcesses', () => {
  it('takes whole numbers from 1 to the maximum, and 1 when not given', () => {
    expect(parseProcesses(undefined)).toBe(1);
    expect(parseProcesses('1')).toBe(1);
    expect(parseProcesses('2')).toBe(2);
    expect(parseProcesses(String(maxProcesses))).toBe(maxProcesses);
  });
  it('refuses anything else', () => {
    for (const value of ['0', '-1', '1.5', 'two', '', String(maxProcesses + 1)]) {
      expect(parseProcesses(value)).toBeUndefined();
    }
  });
});
