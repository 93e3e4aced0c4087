import type { Command } from 'commander';
import type { AdviceAnswer } from '../../advice/advice.js';
import { apiClient } from '../api-client.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';
import { serverOptions, type ServerOptions } from './server-options.js';

interface AdvicePlanOptions extends ServerOptions {
  occupation?: string;
  skills?: string;
  held?: string;
  maxHours?: string;
  maxCredentials?: string;
  language?: string;
  onlineOnly?: boolean;
  avoidIssuer?: string[];
  alternatives?: string;
  json?: boolean;
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function positive(value: string | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new CliError(
      `${name} takes a positive ${integer ? 'whole ' : ''}number, not "${value}".`,
      exitCodes.badInput,
    );
  }
  return number;
}

const hours = (h: number) => `${h} h`;

/** The answer as a person reads it: the gap, the plan with what each credential covers, alternatives, why. */
export function formatAdvice(answer: AdviceAnswer): string {
  const lines: string[] = [`Target: ${answer.target.name}${answer.target.id ? ` (${answer.target.id})` : ''}`];
  if (answer.held.length) {
    lines.push(`You prove ${answer.held.length}:`);
    for (const h of answer.held) {
      lines.push(`  ✓ ${h.label}${h.via.narrower ? ` (through ${h.via.label})` : ''}`);
    }
  }
  const essential = answer.gap.filter((g) => g.essential);
  const optional = answer.gap.filter((g) => !g.essential);
  lines.push(`Missing: ${essential.length} essential, ${optional.length} optional`);
  for (const g of essential) lines.push(`  ✗ ${g.label}`);
  if (answer.plan) {
    lines.push(
      `Plan: ${hours(answer.plan.totalHours)} in ${answer.plan.credentials.length} credential(s)` +
        (answer.plan.optimal ? ' — optimal' : ` — best found; no plan under ${hours(answer.plan.lowerBound)}`),
    );
    for (const c of answer.plan.credentials) {
      lines.push(`  • ${c.name} — ${c.issuer.name}, ${hours(c.hours)} [${c.achievementId}]`);
      lines.push(`      ${c.why}`);
    }
  }
  if (answer.uncovered.length) {
    const label = new Map(answer.gap.map((g) => [g.skill, g.label]));
    lines.push(`No micro-credential here covers: ${answer.uncovered.map((s) => label.get(s) ?? s).join(', ')}`);
  }
  if (answer.infeasible) {
    lines.push(`Infeasible: ${answer.infeasible.reason}`);
    for (const s of answer.infeasible.skills) lines.push(`  ✗ ${s.label}: ${s.why}`);
  }
  answer.alternatives.forEach((plan, i) => {
    lines.push(
      `Alternative ${i + 1}: ${hours(plan.totalHours)} — ${plan.credentials.map((c) => `${c.name} (${hours(c.hours)})`).join(', ')}`,
    );
  });
  lines.push('', ...answer.explanation);
  return lines.join('\n');
}

export function adviceCommand(program: Command): void {
  const advice = program.command('advice').description('Reskilling advice: the least effort that closes a skills gap');
  serverOptions(
    advice
      .command('plan')
      .description(
        'The least-hours plan of published micro-credentials that closes the gap to an occupation or a list of skills. ' +
          'With --held, a what-if from the skills you list; otherwise from your verified skills when logged in.',
      )
      .option('--occupation <uri>', 'target occupation: an ESCO URI or an O*NET-SOC code')
      .option('--skills <codes>', 'target skills instead: codes or URIs, comma-separated')
      .option('--held <codes>', 'what-if: take these skills (comma-separated) as held instead of your wallet')
      .option('--max-hours <hours>', 'most hours in the plan')
      .option('--max-credentials <n>', 'most credentials in the plan')
      .option('--language <tag>', 'only credentials taught in this language (e.g. en)')
      .option('--online-only', 'only online credentials')
      .option(
        '--avoid-issuer <name>',
        'leave out an issuer (id or name; repeatable)',
        (v: string, all: string[] = []) => [...all, v],
      )
      .option('--alternatives <n>', 'how many next-best plans to show (0–3)')
      .option('--json', 'print the answer as JSON'),
  ).action(async (options: AdvicePlanOptions) => {
    if (Boolean(options.occupation) === Boolean(options.skills)) {
      throw new CliError('Give one target: --occupation URI or --skills a,b,c.', exitCodes.badInput);
    }
    const target = options.occupation ? { occupation: options.occupation } : { skills: list(options.skills) };
    const filters = {
      maxHours: positive(options.maxHours, '--max-hours', false),
      maxCredentials: positive(options.maxCredentials, '--max-credentials', true),
      language: options.language,
      onlineOnly: options.onlineOnly,
      avoidIssuers: options.avoidIssuer,
    };
    const alternatives = options.alternatives === undefined ? undefined : Number(options.alternatives);
    if (alternatives !== undefined && !(Number.isInteger(alternatives) && alternatives >= 0 && alternatives <= 3)) {
      throw new CliError('--alternatives takes 0, 1, 2 or 3.', exitCodes.badInput);
    }
    const body = {
      target,
      filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
      ...(alternatives !== undefined ? { alternatives } : {}),
    };
    const api = apiClient(options);
    const whatIf = options.held !== undefined || !api.hasToken;
    const answer = whatIf
      ? await apiClient({ url: options.url, anonymous: true }).post<AdviceAnswer>('/api/advice/plan', {
          ...body,
          held: list(options.held),
        })
      : await api.post<AdviceAnswer>('/api/me/advice/plan', body);
    print(options, answer, () => formatAdvice(answer));
  });
}
