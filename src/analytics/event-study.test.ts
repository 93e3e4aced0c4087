import { Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { estimateEventStudy, PanelError, readPanelCsv, type Panel } from './event-study.js';
import { panelCsv, simulatePanel } from './simulate.js';

/**
 * The same model the long way, as a textbook writes it: one dummy column per event (no intercept), OLS by
 * the normal equations, and the cluster-robust sandwich with the HC1-style factor G/(G−1)·(N−1)/(N−K) over
 * the full design — what `lm` plus `sandwich::vcovCL(type = "HC1")` compute. Single-row events are dropped
 * first, as the estimator does.
 */
function byDummies(panel: Panel): Record<string, { estimate: number; stdError: number }> {
  const counts = new Map<string, number>();
  for (const e of panel.eventId) counts.set(e, (counts.get(e) ?? 0) + 1);
  const rows = panel.eventId.map((e, i) => i).filter((i) => counts.get(panel.eventId[i]!)! >= 2);
  const events = [...new Set(rows.map((i) => panel.eventId[i]!))];
  const names = ['post', ...Object.keys(panel.groups).map((g) => `post:${g}`)];
  const x = new Matrix(rows.length, names.length + events.length);
  const y = new Matrix(rows.length, 1);
  rows.forEach((i, r) => {
    x.set(r, 0, panel.post[i]!);
    Object.values(panel.groups).forEach((g, j) => x.set(r, 1 + j, panel.post[i]! * g[i]!));
    x.set(r, names.length + events.indexOf(panel.eventId[i]!), 1);
    y.set(r, 0, panel.y[i]!);
  });
  const bread = inverse(x.transpose().mmul(x));
  const beta = bread.mmul(x.transpose().mmul(y));
  const residual = Matrix.sub(y, x.mmul(beta));
  const clusters = [...new Set(rows.map((i) => panel.workerId[i]!))];
  const meat = new Matrix(x.columns, x.columns);
  for (const c of clusters) {
    const score = new Matrix(1, x.columns);
    rows.forEach((i, r) => {
      if (panel.workerId[i] === c) score.add(x.getRowVector(r).mul(residual.get(r, 0)));
    });
    meat.add(score.transpose().mmul(score));
  }
  const n = rows.length;
  const k = x.columns;
  const g = clusters.length;
  const vcov = bread
    .mmul(meat)
    .mmul(bread)
    .mul(((g / (g - 1)) * (n - 1)) / (n - k));
  return Object.fromEntries(
    names.map((name, j) => [name, { estimate: beta.get(j, 0), stdError: Math.sqrt(vcov.get(j, j)) }]),
  );
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('event study with event fixed effects and worker-clustered errors', () => {
  it('equals the regression with one dummy per event, to 1e-9', () => {
    for (const seed of [1, 2, 3]) {
      const panel = simulatePanel({ workers: 60, effect: 0.089, entrantEffect: -0.05, seed });
      const fit = estimateEventStudy(panel);
      const reference = byDummies(panel);
      for (const name of ['post', 'post:new_entrant']) {
        expect(relative(fit.coefficients[name]!.estimate, reference[name]!.estimate)).toBeLessThan(1e-9);
        expect(relative(fit.coefficients[name]!.stdError, reference[name]!.stdError)).toBeLessThan(1e-9);
      }
    }
  });

  it('recovers a planted effect of 0.089 within its 95% interval in at least 95 of 100 panels', () => {
    let covered = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const panel = simulatePanel({ workers: 400, effect: 0.089, seed: 1000 + seed });
      panel.groups = {};
      const { ciLow, ciHigh } = estimateEventStudy(panel).coefficients.post!;
      if (ciLow <= 0.089 && 0.089 <= ciHigh) covered += 1;
    }
    expect(covered).toBeGreaterThanOrEqual(95);
  });

  it('drops events with a single row and counts them', () => {
    const csv =
      'worker_id,event_id,post,y\nw1,a,0,1\nw1,a,1,2\nw2,b,0,1\nw2,b,1,3.5\nw3,c,1,9\nw3,d,0,1\nw3,d,1,1.25\n';
    const fit = estimateEventStudy(readPanelCsv(csv));
    expect(fit).toMatchObject({ n: 6, events: 3, droppedEvents: 1, clusters: 3, df: 2 });
    // Within each event the change is 1, 2.5 and 0.25: OLS with event effects gives their mean.
    expect(fit.coefficients.post!.estimate).toBeCloseTo(1.25, 12);
  });

  it('reads the CSV that panelCsv writes back to the same numbers', () => {
    const panel = simulatePanel({ workers: 20, effect: 0.1, seed: 7 });
    const read = readPanelCsv(panelCsv(panel), ['new_entrant']);
    expect(Array.from(read.y)).toEqual(Array.from(panel.y));
    expect(Array.from(read.groups.new_entrant!)).toEqual(Array.from(panel.groups.new_entrant!));
  });
});

describe('panels that cannot be estimated say why', () => {
  const base = 'worker_id,event_id,post,y,g\nw1,a,0,1,0\nw1,a,1,2,0\nw2,b,0,1,1\nw2,b,1,3,1\nw3,c,0,2,0\nw3,c,1,2,0\n';
  const refused = (csv: string, by: string[] = []) => {
    try {
      estimateEventStudy(readPanelCsv(csv, by));
    } catch (error) {
      expect(error).toBeInstanceOf(PanelError);
      return (error as Error).message;
    }
    throw new Error('not refused');
  };

  it('names missing columns', () => {
    expect(refused('worker,event_id,post,y\nw1,a,0,1\n')).toMatch(/no column "worker_id"/);
    expect(refused(base, ['experience'])).toMatch(/no column "experience"/);
  });

  it('names the line and column of a bad value', () => {
    expect(refused(base.replace('w1,a,1,2,0', 'w1,a,2,2,0'))).toMatch(/Line 3: post is "2"; it must be 0 or 1/);
    expect(refused(base.replace('w2,b,0,1,1', 'w2,b,0,ten,1'))).toMatch(/Line 4: y is "ten", not a finite number/);
    expect(refused(base.replace('w2,b,0,1,1', 'w2,b,0,1,yes'), ['g'])).toMatch(/Line 4: g is "yes"/);
    expect(refused(base.replace('w2,b,0,1,1', 'w2,b,0,,1'))).toMatch(/Line 4: y is ""/);
  });

  it('refuses a singular design instead of answering NaN', () => {
    const noBothWindows = 'worker_id,event_id,post,y\nw1,a,0,1\nw1,a,0,2\nw2,b,1,1\nw2,b,1,3\n';
    expect(refused(noBothWindows)).toMatch(/"post" does not vary within any group/);
    const constantGroup = base.replace(/,0\n/g, ',1\n');
    expect(refused(constantGroup, ['g'])).toMatch(/"post:g" is collinear with "post"/);
    expect(refused('worker_id,event_id,post,y\nw1,a,0,1\nw2,b,1,1\n')).toMatch(/no within-group variation/);
    expect(refused('worker_id,event_id,post,y\nw1,a,0,0\nw1,a,1,0\nw2,b,0,3\nw2,b,1,3\n')).toMatch(
      /outcome does not change/,
    );
    expect(refused('worker_id,event_id,post,y\n')).toMatch(/no rows/);
    expect(refused('')).toMatch(/empty/);
    expect(refused('worker_id,event_id,post,y\nw1,a,0,1\nw1,a,1,2\nw1,b,0,1\nw1,b,1,3\n')).toMatch(/two clusters/);
  });

  it('refuses malformed CSV', () => {
    expect(refused('worker_id,event_id,post,y\nw1,a,0\n')).toMatch(/not valid CSV/);
  });
});
