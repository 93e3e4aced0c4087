import { describe, expect, it } from 'vitest';
import {
  issuerCsv,
  issuerRatesDescription,
  issuerRatesSpec,
  shownFigures,
  shownProportion,
  wilson,
  type IssuerReport,
} from './issuer.js';
import type { AchievementFigures } from './issuer-store.js';
import { renderSvg } from './plots.js';

describe('the Wilson score interval', () => {
  // Reference values: R, prop.test(x, n, correct = FALSE)$conf.int (the Wilson interval without continuity
  // correction), and the closed forms at 0 and n.
  it.each([
    [8, 10, 0.490162472, 0.943317849],
    [50, 100, 0.40383153, 0.59616847],
    [1, 10, 0.017876213, 0.404150027],
    [0, 20, 0, 0.161125158],
    [20, 20, 0.838874842, 1],
  ])('%i of %i: %f to %f', (x, n, low, high) => {
    const interval = wilson(x, n);
    expect(interval.estimate).toBe(x / n);
    expect(interval.ciLow).toBeCloseTo(low, 8);
    expect(interval.ciHigh).toBeCloseTo(high, 8);
  });

  it('refuses what is not a proportion', () => {
    expect(() => wilson(3, 0)).toThrow(RangeError);
    expect(() => wilson(4, 3)).toThrow(RangeError);
    expect(() => wilson(1.5, 3)).toThrow(RangeError);
  });
});

const figures = (over: Partial<AchievementFigures>): AchievementFigures => ({
  achievementId: '00000000-0000-4000-8000-000000000001',
  code: 'MC-1',
  title: 'Data cleaning',
  status: 'published',
  attempts: 0,
  candidates: 0,
  passed: 0,
  issued: 0,
  recipients: 0,
  holders: 0,
  sharers: 0,
  ...over,
});

describe('the issuer figures as shown', () => {
  it('withholds every cell counted from fewer than 10 workers, and marks why', () => {
    const shown = shownFigures(
      figures({ attempts: 14, candidates: 9, passed: 7, issued: 9, recipients: 9, holders: 9 }),
    );
    expect(shown.attempts).toBeNull();
    expect(shown.candidates).toBeNull();
    expect(shown.passRate).toEqual({ suppressed: true, reason: 'Fewer than 10 candidates: withheld.' });
    expect(shown.issued).toBeNull();
    expect(shown.holders).toBeNull();
    expect(shown.shareRate).toEqual({ suppressed: true, reason: 'Fewer than 10 holders: withheld.' });
  });

  it('shows them from 10 workers on, rates with their Wilson interval', () => {
    const shown = shownFigures(
      figures({ attempts: 13, candidates: 10, passed: 8, issued: 11, recipients: 10, holders: 10, sharers: 1 }),
    );
    expect(shown).toMatchObject({ attempts: 13, candidates: 10, issued: 11, holders: 10 });
    expect(shown.passRate).toMatchObject({ successes: 8, trials: 10, estimate: 0.8 });
    expect('suppressed' in shown.passRate ? 0 : shown.passRate.ciLow).toBeCloseTo(0.4901625, 6);
    expect(shown.shareRate).toMatchObject({ successes: 1, trials: 10, estimate: 0.1 });
    expect('suppressed' in shown.shareRate ? 0 : shown.shareRate.ciHigh).toBeCloseTo(0.404150027, 8);
    // Eleven credentials to nine recipients: counted from fewer than ten people, so withheld.
    expect(shownFigures(figures({ issued: 11, recipients: 9 })).issued).toBeNull();
    expect(shownProportion(0, 10, 'holders')).toMatchObject({ estimate: 0, ciLow: 0 });
  });
});

const report: IssuerReport = {
  orgId: '00000000-0000-4000-8000-00000000000a',
  outcome: 'log-earnings',
  privacyFloor: 10,
  achievements: [
    {
      ...shownFigures(
        figures({ attempts: 30, candidates: 25, passed: 20, issued: 20, recipients: 20, holders: 20, sharers: 5 }),
      ),
      title: '=HYPERLINK("http://x.example")',
      eventStudy: { estimate: 0.25, stdError: 0.1, ciLow: 0.05, ciHigh: 0.45 },
    },
    {
      ...shownFigures(
        figures({ achievementId: '00000000-0000-4000-8000-000000000002', code: 'MC-2', title: 'Small', candidates: 3 }),
      ),
      eventStudy: { suppressed: true, reason: 'Fewer than 10 workers hold it: withheld.' },
    },
  ],
};

describe('the issuer table and plot', () => {
  it('write a formula-safe CSV with withheld cells empty and marked', () => {
    const [header, first, second] = issuerCsv(report).trim().split('\n');
    expect(header).toBe(
      'achievement_id,code,title,attempts,candidates,pass_rate,pass_ci_low,pass_ci_high,issued,holders,share_rate,share_ci_low,share_ci_high,post_log-earnings,post_ci_low,post_ci_high,withheld',
    );
    const cells = first!.split(',');
    expect(cells[2]).toBe(`"'=HYPERLINK(""http://x.example"")"`);
    expect(cells.slice(3, 6)).toEqual(['30', '25', '0.8']);
    expect(cells.slice(8, 11)).toEqual(['20', '20', '0.25']);
    expect(cells.slice(13, 16)).toEqual(['0.25', '0.05', '0.45']);
    expect(second).toBe(
      '"00000000-0000-4000-8000-000000000002","MC-2","Small",,,,,,,,,,,,,,"pass rate: Fewer than 10 candidates: withheld. share rate: Fewer than 10 holders: withheld. event study: Fewer than 10 workers hold it: withheld."',
    );
  });

  it('render the rates as an SVG bar chart with intervals, naming what is withheld', async () => {
    const spec = issuerRatesSpec(report) as { data: { values: unknown[] }; title: { subtitle: string } };
    expect(spec.data.values).toHaveLength(2);
    expect(spec.title.subtitle).toBe('Withheld (fewer than 10): Small (MC-2) pass rate; Small (MC-2) share rate');
    const svg = await renderSvg(issuerRatesSpec(report), issuerRatesDescription(report));
    expect(svg).toMatch(/^<svg[^>]* role="img" aria-label="Pass rate and share rate per micro-credential\./);
    expect(svg).toContain('pass rate 80.0% (95% CI');
    expect(svg).toContain('Small (MC-2): pass rate withheld, share rate withheld');
    expect(svg).toContain('<path');
  });
});
