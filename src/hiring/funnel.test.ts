import { describe, expect, it } from 'vitest';
import { funnelFloor, funnelSvg, groupFunnel, interviewToOffer, newcombe, wilson, type FunnelCount } from './funnel.js';

const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 4);

describe('Wilson and Newcombe intervals', () => {
  it('match Newcombe (1998), table II, method 10, for the eight published examples', () => {
    // (x1/n1 − x2/n2) → published 95% limits.
    const published: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [6, 7, 2, 7, 0.0582, 0.8062],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [0, 10, 0, 20, -0.1611, 0.2775],
      [10, 10, 0, 20, 0.6791, 1],
    ];
    for (const [x1, n1, x2, n2, low, high] of published) {
      const d = newcombe(x1, n1, x2, n2)!;
      close(d.estimate, x1 / n1 - x2 / n2);
      close(d.low, low);
      close(d.high, high);
    }
  });

  it('Wilson: 0 of 10 and 81 of 263 (Newcombe’s single-proportion examples); nothing without trials', () => {
    close(wilson(0, 10)!.low, 0);
    close(wilson(0, 10)!.high, 0.2775);
    close(wilson(81, 263)!.low, 0.2553);
    close(wilson(81, 263)!.high, 0.3662);
    expect(wilson(0, 0)).toBeUndefined();
    expect(wilson(3, 2)).toBeUndefined();
  });
});

/** Applications of one group: [furthest, stage, count]. */
const group = (aligned: boolean, rows: [number, string, number][]): FunnelCount[] =>
  rows.map(([furthest, stage, count]) => ({ aligned, furthest, stage, count }));

describe('the funnel', () => {
  it('counts reached stages, and conversions among those that left a stage (pending apart)', () => {
    const f = groupFunnel(
      group(true, [
        [1, 'applied', 4], // waiting for screening
        [1, 'rejected', 6],
        [2, 'withdrawn', 2],
        [3, 'interview', 3], // interviews still open
        [3, 'rejected', 5],
        [4, 'rejected', 1],
        [4, 'offer', 2],
        [5, 'hired', 7],
      ]),
    );
    expect(f.applications).toBe(30);
    expect(f.reached).toEqual({ applied: 30, screening: 20, interview: 18, offer: 10, hired: 7 });
    expect(f.conversions[0]).toMatchObject({ from: 'applied', advanced: 20, dropped: 6, pending: 4, rate: 0.7692 });
    expect(f.conversions[2]).toMatchObject({ from: 'interview', entered: 18, advanced: 10, dropped: 5, pending: 3 });
    expect(f.conversions[2]!.rate).toBeCloseTo(10 / 15, 4);
    expect(f.conversions[3]).toMatchObject({ from: 'offer', advanced: 7, dropped: 1, pending: 2 });
    expect(f).toMatchObject({ rejected: 12, withdrawn: 2 });
    // Invitations never accepted (furthest 0) are not in the funnel.
    expect(groupFunnel(group(false, [[0, 'invited', 9]])).applications).toBe(0);
  });

  it(`gives the difference and its interval only with ${funnelFloor} decided interviews per group`, () => {
    const withC = groupFunnel(
      group(true, [
        [3, 'rejected', 4],
        [4, 'offer', 6],
      ]),
    );
    const without = groupFunnel(
      group(false, [
        [3, 'rejected', 9],
        [4, 'offer', 1],
        [3, 'interview', 30],
      ]),
    );
    const itoo = interviewToOffer(withC, without);
    expect(itoo.insufficientData).toBe(false);
    expect(itoo.difference!.estimate).toBeCloseTo(0.5, 4);
    const d = newcombe(6, 10, 1, 10)!;
    expect(itoo.difference!.ci95[0]).toBeCloseTo(d.low, 4);
    expect(itoo.difference!.ci95[1]).toBeCloseTo(d.high, 4);
    expect(itoo.note).toMatch(/better/);

    const few = interviewToOffer(
      withC,
      groupFunnel(
        group(false, [
          [3, 'rejected', 8],
          [4, 'offer', 1],
        ]),
      ),
    );
    expect(few).toMatchObject({ insufficientData: true, difference: null });
    expect(few.note).toMatch(/^insufficient data.*without: 9/);
    expect(few.withoutCredential).toMatchObject({ offers: 1, decided: 9 });
  });

  it('draws an SVG with a title, a description and the numbers, escaping the job title', () => {
    const withC = groupFunnel(
      group(true, [
        [4, 'offer', 12],
        [3, 'rejected', 3],
      ]),
    );
    const without = groupFunnel(
      group(false, [
        [4, 'offer', 2],
        [3, 'rejected', 10],
      ]),
    );
    const svg = funnelSvg({
      title: 'Funnel: <Data> & “analysts”',
      withCredential: withC,
      withoutCredential: without,
      interviewToOffer: interviewToOffer(withC, without),
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title id="funnel-title">Funnel: &lt;Data&gt; &amp; “analysts”</title>');
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/95% CI/);
    expect(svg).not.toMatch(/<script|href=/);
    expect(svg.match(/<desc[^>]*>([^<]*)<\/desc>/)![1]).toContain('With a verified aligned credential: applied 15');
  });
});
