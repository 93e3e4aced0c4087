/**
 * The hiring funnel: how many applications reached each stage, how many moved on from each, split by whether the
 * applicant held (and attached) at least one verified credential aligned to the job's skills when applying; and the
 * difference between the two groups' interview-to-offer conversion with its 95% confidence interval, Newcombe's
 * hybrid score interval (his method 10) from the two Wilson score intervals. Pure: the store hands in counts.
 *
 * A conversion is counted among the applications that left the stage: those that moved on, and those rejected or
 * withdrawn while at it. Applications still at the stage are pending and counted apart, so a job in full swing does
 * not look as if it converted nobody.
 */

export const pipelineStages = ['applied', 'screening', 'interview', 'offer', 'hired'] as const;
export type PipelineStage = (typeof pipelineStages)[number];

/** No difference (nor interval) is shown when either group has fewer decided interviews than this. */
export const funnelFloor = 10;

/** z for a two-sided 95% interval. */
const z95 = 1.959963984540054;

/** Wilson's score interval for `successes` of `trials` (undefined without trials). */
export function wilson(successes: number, trials: number, z = z95): { low: number; high: number } | undefined {
  if (!(trials > 0) || successes < 0 || successes > trials) return undefined;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval for p1 − p2 (R. G. Newcombe, Interval estimation for the difference between
 * independent proportions, Statistics in Medicine 17 (1998), method 10): from each proportion's Wilson interval.
 */
export function newcombe(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z = z95,
): { estimate: number; low: number; high: number } | undefined {
  const a = wilson(x1, n1, z);
  const b = wilson(x2, n2, z);
  if (!a || !b) return undefined;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p1 - p2;
  return {
    estimate: d,
    low: d - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: d + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

/** One count from the store: applications of a group that got as far as `furthest` (1–5) and stand at `stage`. */
export interface FunnelCount {
  aligned: boolean;
  /** 1 applied … 5 hired. */
  furthest: number;
  stage: string;
  count: number;
}

export interface Conversion {
  from: PipelineStage;
  to: PipelineStage;
  /** Reached `from`. */
  entered: number;
  /** Moved on to `to`. */
  advanced: number;
  /** Rejected or withdrawn while at `from`. */
  dropped: number;
  /** Still at `from`. */
  pending: number;
  /** advanced ÷ (advanced + dropped); null when none has left the stage. */
  rate: number | null;
}

export interface GroupFunnel {
  applications: number;
  reached: Record<PipelineStage, number>;
  conversions: Conversion[];
  rejected: number;
  withdrawn: number;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export function groupFunnel(counts: FunnelCount[]): GroupFunnel {
  const reached = Object.fromEntries(pipelineStages.map((s) => [s, 0])) as Record<PipelineStage, number>;
  let rejected = 0;
  let withdrawn = 0;
  const dropped = new Array<number>(pipelineStages.length).fill(0);
  const pending = new Array<number>(pipelineStages.length).fill(0);
  for (const c of counts) {
    if (c.furthest < 1) continue;
    for (let k = 0; k < Math.min(c.furthest, pipelineStages.length); k++) reached[pipelineStages[k]!] += c.count;
    const at = c.furthest - 1;
    if (c.stage === 'rejected' || c.stage === 'withdrawn') dropped[at]! += c.count;
    else if (c.stage === pipelineStages[at]) pending[at]! += c.count;
    if (c.stage === 'rejected') rejected += c.count;
    if (c.stage === 'withdrawn') withdrawn += c.count;
  }
  const conversions: Conversion[] = [];
  for (let k = 0; k < pipelineStages.length - 1; k++) {
    const from = pipelineStages[k]!;
    const to = pipelineStages[k + 1]!;
    const advanced = reached[to];
    const decided = advanced + dropped[k]!;
    conversions.push({
      from,
      to,
      entered: reached[from],
      advanced,
      dropped: dropped[k]!,
      pending: pending[k]!,
      rate: decided > 0 ? round(advanced / decided) : null,
    });
  }
  return { applications: reached.applied, reached, conversions, rejected, withdrawn };
}

export interface InterviewToOffer {
  /** Offers ÷ decided interviews, and its Wilson interval, for each group. */
  withCredential: { offers: number; decided: number; rate: number | null; ci95: [number, number] | null };
  withoutCredential: { offers: number; decided: number; rate: number | null; ci95: [number, number] | null };
  /** With minus without; null with `insufficientData`. */
  difference: { estimate: number; ci95: [number, number] } | null;
  insufficientData: boolean;
  method: string;
  note: string;
}

function side(group: GroupFunnel) {
  const c = group.conversions.find((x) => x.from === 'interview')!;
  const decided = c.advanced + c.dropped;
  const ci = wilson(c.advanced, decided);
  return {
    offers: c.advanced,
    decided,
    rate: c.rate,
    ci95: ci ? ([round(ci.low), round(ci.high)] as [number, number]) : null,
  };
}

export function interviewToOffer(withCredential: GroupFunnel, withoutCredential: GroupFunnel): InterviewToOffer {
  const a = side(withCredential);
  const b = side(withoutCredential);
  const method =
    'Difference of proportions (with − without a verified aligned credential) among decided interviews; 95% interval ' +
    'by Newcombe’s hybrid score method (1998, method 10) from the two Wilson score intervals.';
  if (a.decided < funnelFloor || b.decided < funnelFloor) {
    return {
      withCredential: a,
      withoutCredential: b,
      difference: null,
      insufficientData: true,
      method,
      note:
        `insufficient data: each group needs at least ${funnelFloor} decided interviews ` +
        `(with a credential: ${a.decided}, without: ${b.decided}).`,
    };
  }
  const d = newcombe(a.offers, a.decided, b.offers, b.decided)!;
  const difference = { estimate: round(d.estimate), ci95: [round(d.low), round(d.high)] as [number, number] };
  const excludesZero = d.low > 0 || d.high < 0;
  return {
    withCredential: a,
    withoutCredential: b,
    difference,
    insufficientData: false,
    method,
    note: excludesZero
      ? `Applicants with a verified aligned credential converted ${d.estimate > 0 ? 'better' : 'worse'} from interview to offer; the 95% interval excludes no difference.`
      : 'The 95% interval includes no difference: these data do not show that either group converts better.',
  };
}

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const percentText = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

/**
 * The funnel as an SVG chart: per stage, one bar per group (how many reached it), the conversion rates beside, and
 * the interview-to-offer difference with its interval (or why it is not shown) below. Self-contained: no script,
 * no external reference; a title and description for screen readers.
 */
export function funnelSvg(input: {
  title: string;
  withCredential: GroupFunnel;
  withoutCredential: GroupFunnel;
  interviewToOffer: InterviewToOffer;
}): string {
  const width = 720;
  const left = 110;
  const barMax = 380;
  const rowHeight = 54;
  const top = 70;
  const height = top + pipelineStages.length * rowHeight + 90;
  const max = Math.max(1, input.withCredential.applications, input.withoutCredential.applications);
  const colours = { with: '#1f5f99', without: '#b35c00' };
  const parts: string[] = [];
  const desc =
    `Applications reaching each stage. With a verified aligned credential: ` +
    pipelineStages.map((s) => `${s} ${input.withCredential.reached[s]}`).join(', ') +
    `. Without: ` +
    pipelineStages.map((s) => `${s} ${input.withoutCredential.reached[s]}`).join(', ') +
    `. ${input.interviewToOffer.note}`;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
      `role="img" aria-labelledby="funnel-title funnel-desc" font-family="system-ui, sans-serif" font-size="13">`,
    `<title id="funnel-title">${escapeXml(input.title)}</title>`,
    `<desc id="funnel-desc">${escapeXml(desc)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="26" font-size="16" font-weight="600" fill="#111">${escapeXml(input.title)}</text>`,
    `<rect x="16" y="40" width="12" height="12" fill="${colours.with}"/>`,
    `<text x="34" y="50" fill="#111">With a verified aligned credential (${input.withCredential.applications})</text>`,
    `<rect x="340" y="40" width="12" height="12" fill="${colours.without}"/>`,
    `<text x="358" y="50" fill="#111">Without (${input.withoutCredential.applications})</text>`,
  );
  pipelineStages.forEach((stage, k) => {
    const y = top + k * rowHeight;
    parts.push(
      `<text x="16" y="${y + 24}" fill="#111" font-weight="600">${stage[0]!.toUpperCase()}${stage.slice(1)}</text>`,
    );
    (['with', 'without'] as const).forEach((group, g) => {
      const data = group === 'with' ? input.withCredential : input.withoutCredential;
      const count = data.reached[stage];
      const w = Math.round((count / max) * barMax);
      const by = y + 6 + g * 20;
      parts.push(
        `<rect x="${left}" y="${by}" width="${Math.max(w, count > 0 ? 1 : 0)}" height="16" fill="${colours[group]}"/>`,
        `<text x="${left + w + 6}" y="${by + 13}" fill="#111">${count}</text>`,
      );
      const conversion = data.conversions[k];
      if (conversion) {
        parts.push(
          `<text x="${left + barMax + 60}" y="${by + 13}" fill="#333">→ ${conversion.to}: ${percentText(conversion.rate)}` +
            `${conversion.pending ? ` (${conversion.pending} pending)` : ''}</text>`,
        );
      }
    });
  });
  const itoo = input.interviewToOffer;
  const footY = top + pipelineStages.length * rowHeight + 20;
  const line = itoo.difference
    ? `Interview → offer: with ${percentText(itoo.withCredential.rate)}, without ${percentText(itoo.withoutCredential.rate)}; ` +
      `difference ${Math.round(itoo.difference.estimate * 100)} points, 95% CI ${Math.round(itoo.difference.ci95[0] * 100)} to ` +
      `${Math.round(itoo.difference.ci95[1] * 100)}`
    : `Interview → offer difference: ${itoo.note}`;
  parts.push(`<text x="16" y="${footY}" fill="#111">${escapeXml(line)}</text>`);
  if (itoo.difference) {
    // The interval on a −100…+100 point scale, zero marked.
    const axis = { x: 16, w: width - 32, y: footY + 30 };
    const at = (v: number) => axis.x + ((v + 1) / 2) * axis.w;
    parts.push(
      `<line x1="${axis.x}" x2="${axis.x + axis.w}" y1="${axis.y}" y2="${axis.y}" stroke="#999"/>`,
      `<line x1="${at(0)}" x2="${at(0)}" y1="${axis.y - 10}" y2="${axis.y + 10}" stroke="#333"/>`,
      `<line x1="${at(itoo.difference.ci95[0]).toFixed(1)}" x2="${at(itoo.difference.ci95[1]).toFixed(1)}" ` +
        `y1="${axis.y}" y2="${axis.y}" stroke="${colours.with}" stroke-width="6"/>`,
      `<circle cx="${at(itoo.difference.estimate).toFixed(1)}" cy="${axis.y}" r="6" fill="#111"/>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
