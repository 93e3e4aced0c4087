import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The bench harness's --json output, on a tiny run (no timing is asserted: only the shape). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: root });

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('npm run bench -- --json', () => {
  it('prints the machine and the figures asked for, with or without a reference', { timeout: 180_000 }, async () => {
    const measured = lastJson((await run('--json', '--quick', '--runs', '1', '--only', 'sign-vc-jwt')).stdout);
    expect(measured.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
    expect(measured.figures).toEqual([
      {
        name: 'sign-vc-jwt',
        unit: 'credentials/s',
        skillproof: expect.any(Number),
        reference: expect.any(Number),
        ratio: expect.any(Number),
        identical: true,
      },
    ]);
    // A figure without a reference library: bulk issuance, 500 rows with --quick.
    const bulk = lastJson((await run('--json', '--quick', '--runs', '1', '--only', 'bulk-issue-100k-embedded')).stdout);
    expect(bulk.figures).toEqual([
      {
        name: 'bulk-issue-100k-embedded',
        unit: 'credentials/s',
        skillproof: expect.any(Number),
        reference: null,
        ratio: null,
        identical: null,
        details: expect.objectContaining({ rows: 500, verifiedSample: '10/10' }),
      },
    ]);
  });

  it('refuses a figure it does not know', async () => {
    await expect(run('--only', 'nonsense')).rejects.toMatchObject({ code: 2 });
  });
});
