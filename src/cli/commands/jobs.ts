import type { Command } from 'commander';
import { apiClient, type ApiClient } from '../api-client.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';
import { serverOptions, type ServerOptions } from './server-options.js';

interface JobsOptions extends ServerOptions {
  org?: string;
  json?: boolean;
}
interface CandidatesOptions extends JobsOptions {
  blind?: boolean;
  limit?: string;
  offset?: string;
}

interface JobSkill {
  skill: string;
  label: string;
  weight: number;
  minLevel: number | null;
  required: boolean;
}
export interface JobView {
  id: string;
  title: string;
  description: string;
  kind: string;
  status: string;
  skills: JobSkill[];
  weights: { credentials: number; workHistory: number; references: number };
  location: string | null;
  remote: boolean;
  blind: boolean;
}
export interface CandidatesView {
  job: { id: string; title: string; blind: boolean };
  total: number;
  candidates: {
    candidateId: string;
    displayName: string | null;
    revealed: boolean;
    score: number;
    terms: { kind: string; skill?: string; credentialId?: string; points: number; note: string }[];
  }[];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organization: --org, or the one organization where the caller may act as an employer. */
async function orgOf(api: ApiClient, given: string | undefined): Promise<string> {
  if (given !== undefined) {
    if (!uuid.test(given)) throw new CliError(`--org takes an organization id, not "${given}".`, exitCodes.badInput);
    return given;
  }
  const session = await api.get<{ memberships: { org: { id: string; name: string }; roles: string[] }[] }>(
    '/api/session',
  );
  const employing = session.memberships.filter((m) => m.roles.includes('employer') || m.roles.includes('owner'));
  if (employing.length === 1) return employing[0]!.org.id;
  throw new CliError(
    employing.length === 0
      ? 'You are an employer in no organization: ask an owner for the employer role, or pass --org.'
      : `You are an employer in several organizations; choose one with --org: ${employing
          .map((m) => `${m.org.name} (${m.org.id})`)
          .join(', ')}.`,
    exitCodes.badInput,
  );
}

function jobArgument(job: string): string {
  if (!uuid.test(job))
    throw new CliError(`JOB is a job id (from \`skillproof jobs list\`), not "${job}".`, exitCodes.badInput);
  return job;
}

function wholeNumber(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(/^\d+$/.test(value) && n >= min && n <= max)) {
    throw new CliError(`${name} takes a whole number from ${min} to ${max}, not "${value}".`, exitCodes.badInput);
  }
  return n;
}

export function formatJobs(jobs: JobView[]): string {
  if (jobs.length === 0) return 'No jobs yet.';
  return jobs
    .map(
      (j) =>
        `${j.id}  ${j.status.padEnd(6)}  ${j.kind.padEnd(7)}  ${j.title}  (${j.skills.length} skill${j.skills.length === 1 ? '' : 's'}${j.blind ? ', blind' : ''})`,
    )
    .join('\n');
}

export function formatJob(job: JobView): string {
  return [
    `${job.title} (${job.kind}, ${job.status}${job.blind ? ', blind review' : ''})`,
    `Id: ${job.id}`,
    ...(job.location || job.remote
      ? [`Where: ${[job.location, job.remote ? 'remote' : null].filter(Boolean).join(', ')}`]
      : []),
    `Weights: credentials ×${job.weights.credentials}, work history ×${job.weights.workHistory}, references ×${job.weights.references}`,
    'Skills:',
    ...job.skills.map(
      (s) =>
        `  ${s.label} — weight ${s.weight}${s.minLevel !== null ? `, at least ${s.minLevel}` : ''}${s.required ? ', required' : ''}  [${s.skill}]`,
    ),
    ...(job.description ? ['', job.description] : []),
  ].join('\n');
}

/** The ranking as a recruiter reads it: each candidate's score and, beneath, every term with its points. */
export function formatCandidates(view: CandidatesView, offset: number): string {
  const lines = [
    `${view.job.title}: ${view.total} candidate${view.total === 1 ? '' : 's'}${view.job.blind ? ' (blind review: names withheld)' : ''}`,
  ];
  view.candidates.forEach((c, i) => {
    lines.push(
      '',
      `${offset + i + 1}. ${c.displayName ?? `Candidate ${c.candidateId.slice(0, 8)}`} — ${c.score} points  [${c.candidateId}]`,
    );
    for (const t of c.terms) {
      const points = t.points > 0 ? `+${t.points}` : String(t.points);
      lines.push(`   ${points.padStart(5)}  ${t.note}`);
    }
  });
  return lines.join('\n');
}

export function jobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('Jobs and projects, and their candidates ranked by verified evidence');
  serverOptions(
    jobs
      .command('list')
      .description("Your organization's jobs and projects")
      .option('--org <id>', 'the organization (default: the one where you are an employer)')
      .option('--json', 'print JSON'),
  ).action(async (options: JobsOptions) => {
    const api = apiClient(options);
    const org = await orgOf(api, options.org);
    const answer = await api.get<{ jobs: JobView[] }>(`/api/orgs/${org}/jobs`);
    print(options, answer, () => formatJobs(answer.jobs));
  });
  serverOptions(
    jobs
      .command('show')
      .description('One job: its weighted skills and settings')
      .argument('<job>', 'the job id')
      .option('--org <id>', 'the organization (default: the one where you are an employer)')
      .option('--json', 'print JSON'),
  ).action(async (job: string, options: JobsOptions) => {
    const id = jobArgument(job);
    const api = apiClient(options);
    const org = await orgOf(api, options.org);
    const answer = await api.get<{ job: JobView }>(`/api/orgs/${org}/jobs/${id}`);
    print(options, answer, () => formatJob(answer.job));
  });
  serverOptions(
    jobs
      .command('candidates')
      .description('Candidates ranked by verified evidence, highest first, with the reason for every point')
      .argument('<job>', 'the job id')
      .option('--org <id>', 'the organization (default: the one where you are an employer)')
      .option('--blind', 'withhold names (the job’s setting by default)')
      .option('--no-blind', 'show names')
      .option('--limit <n>', 'how many (1–100, default 50)')
      .option('--offset <n>', 'skip this many')
      .option('--json', 'print JSON'),
  ).action(async (job: string, options: CandidatesOptions) => {
    const id = jobArgument(job);
    const limit = wholeNumber(options.limit, '--limit', 1, 100) ?? 50;
    const offset = wholeNumber(options.offset, '--offset', 0, 100_000) ?? 0;
    const api = apiClient(options);
    const org = await orgOf(api, options.org);
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (options.blind !== undefined) query.set('blind', String(options.blind));
    const answer = await api.get<CandidatesView>(`/api/orgs/${org}/jobs/${id}/candidates?${query}`);
    print(options, answer, () => formatCandidates(answer, offset));
  });
}
