import { measureBulk } from '../bulk.js';
import type { Figure } from '../figure.js';

/** 100,000 CSV rows through the real bulk job on the embedded database (PGlite): credentials per second. */
export const figure: Figure = {
  name: 'bulk-issue-100k-embedded',
  unit: 'credentials/s',
  hasReference: false,
  measure: ({ quick }) => measureBulk({ rows: quick ? 500 : 100_000 }),
};
