import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure, FigureResult, Side } from './figure.js';

/**
 * `npm run bench [-- --json] [--only NAME] [--runs N] [--quick]`: every figure, each run in a child process
 * of its own, medians of the runs, printed as a table (or, with --json, one JSON object on the last line).
 *
 * The figures are the modules in bench/figures, one file each, named after the figure; the list below fixes
 * their order.
 */
export const figureNames = [
  'sign-eddsa-rdfc-2022',
  'verify-eddsa-rdfc-2022',
  'sign-vc-jwt',
  'verify-vc-jwt',
  'bulk-issue-100k-embedded',
  'bulk-issue-100k-postgres',
  'verify-endpoint',
  'event-study',
  'advice-plan',
  'rank-1m',
  'pathway-progress',
  'credential-page',
  'team-staffing',
  'funnel',
  'pathway-reevaluate-100k-postgres',
  'event-study-postgres',
] as const;

const here = path.dirname(fileURLToPath(import.meta.url));

interface Row {
  name: string;
  unit: string;
  skillproof: number | null;
  reference: number | null;
  ratio: number | null;
  identical: boolean | null;
  runs: number;
  details?: Record<string, number | string | boolean>;
  note?: string;
}

function parseArgs(argv: string[]) {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = value('--only');
  if (only !== undefined && !(figureNames as readonly string[]).includes(only)) {
    console.error(`Unknown figure "${only}". Figures: ${figureNames.join(', ')}`);
    process.exit(2);
  }
  const quick = argv.includes('--quick');
  return { json: argv.includes('--json'), only, quick, runs: Number(value('--runs') ?? (quick ? 1 : 3)) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function runOnce(name: string, side: Side, quick: boolean): FigureResult {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'child.ts'), name, side, ...(quick ? ['--quick'] : [])],
    { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' }, maxBuffer: 64 * 1024 * 1024 },
  );
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  if (child.status !== 0 || !last.startsWith('{')) {
    throw new Error(`figure ${name} failed (exit ${child.status}):\n${child.stderr}\n${child.stdout}`);
  }
  return JSON.parse(last) as FigureResult;
}

async function measure(name: string, runs: number, quick: boolean, log: (line: string) => void): Promise<Row> {
  const file = path.join(here, 'figures', `${name}.ts`);
  const { figure } = (await import(file)) as { figure: Figure };
  // Each side in a child process of its own, the sides alternating, so neither inherits the other's heap
  // and load from other processes falls on both alike.
  const results: FigureResult[] = [];
  for (let i = 0; i < runs; i++) {
    log(`${name}: run ${i + 1} of ${runs}…`);
    const ours = runOnce(name, 'skillproof', quick);
    // A figure without a reference process may measure its baseline itself, in the same child (credential-page).
    const theirs = figure.hasReference ? runOnce(name, 'reference', quick).reference : ours.reference;
    results.push({ ...ours, reference: theirs });
  }
  const pick = (get: (r: FigureResult) => number | null) => {
    const values = results.map(get).filter((v): v is number => v !== null);
    return values.length ? median(values) : null;
  };
  const skillproof = pick((r) => r.skillproof);
  const reference = pick((r) => r.reference);
  const identicals = results.map((r) => r.identical);
  const details: Record<string, number | string | boolean> = {};
  for (const key of Object.keys(results[0]!.details ?? {})) {
    const values = results.map((r) => r.details?.[key]);
    details[key] = values.every((v) => typeof v === 'number') ? median(values as number[]) : values.at(-1)!;
  }
  return {
    name,
    unit: figure.unit,
    skillproof,
    reference,
    ratio:
      skillproof !== null && reference !== null
        ? figure.lowerIsBetter
          ? reference / skillproof
          : skillproof / reference
        : null,
    identical: identicals.every((v) => v === null) ? null : identicals.every((v) => v === true),
    runs,
    ...(Object.keys(details).length ? { details } : {}),
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

const fmt = (v: number | null, digits = 0) =>
  v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(rows: Row[]): string {
  const header = ['figure', 'unit', 'Skillproof', 'reference', 'ratio', 'identical', 'notes'];
  const lines = rows.map((r) => [
    r.name,
    r.unit,
    fmt(r.skillproof),
    fmt(r.reference),
    r.ratio === null ? '—' : `${fmt(r.ratio, 1)}×`,
    r.identical === null ? '—' : r.identical ? 'yes' : 'NO',
    r.note ??
      (r.details
        ? Object.entries(r.details)
            .map(([k, v]) => `${k} ${typeof v === 'number' ? fmt(v, v < 100 ? 1 : 0) : v}`)
            .join(', ')
        : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [row(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...lines.map(row)].join('\n');
}

const args = parseArgs(process.argv.slice(2));
const log = (line: string) => process.stderr.write(`${line}\n`);
const names = args.only ? [args.only] : [...figureNames];
const rows: Row[] = [];
for (const name of names) rows.push(await measure(name, args.runs, args.quick, log));
const info = machine();
if (args.json) {
  const figures = rows.map(({ name, unit, skillproof, reference, ratio, identical, details, note }) => ({
    name,
    unit,
    skillproof,
    reference,
    ratio,
    identical,
    ...(details ? { details } : {}),
    ...(note ? { note } : {}),
  }));
  process.stdout.write(`${JSON.stringify({ machine: info, figures })}\n`);
} else {
  process.stdout.write(
    `${table(rows)}\n\nMachine: ${info.cpu}, ${info.cores} cores, ${info.memoryGb} GB, Node ${info.node}, ${info.platform}; load ${info.loadAverage.join(' ')}. Medians of ${args.runs} run(s), each in a child process.\n`,
  );
}
