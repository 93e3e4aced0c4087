import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { estimateEventStudy, PanelError, readPanelCsv, type EventStudyResult } from '../../analytics/event-study.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';

function readPanel(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      exitCodes.badInput,
    );
  }
}

const figure = (value: number) => (Math.abs(value) >= 1e-4 || value === 0 ? value.toFixed(4) : value.toExponential(3));

function table(result: EventStudyResult): string {
  const names = Object.keys(result.coefficients);
  const width = Math.max(11, ...names.map((n) => n.length));
  const lines = [
    `${'coefficient'.padEnd(width)}  ${'estimate'.padStart(10)}  ${'std. error'.padStart(10)}  95% interval`,
    ...names.map((name) => {
      const c = result.coefficients[name]!;
      return `${name.padEnd(width)}  ${figure(c.estimate).padStart(10)}  ${figure(c.stdError).padStart(10)}  [${figure(c.ciLow)}, ${figure(c.ciHigh)}]`;
    }),
    '',
    `${result.n} rows, ${result.events} events (event fixed effects), ${result.clusters} workers (clusters, CR1).`,
  ];
  if (result.droppedEvents > 0) {
    lines.push(`${result.droppedEvents} events with a single row were dropped: they carry no within-event change.`);
  }
  return lines.join('\n');
}

export function analyticsCommand(program: Command): void {
  const analytics = program.command('analytics').description('Outcome analytics (runs locally, no server)');
  analytics
    .command('event-study')
    .description(
      'Estimate y ~ post + post:GROUP with event fixed effects and worker-clustered (CR1) standard errors, ' +
        'from a CSV panel with the columns worker_id,event_id,post,y (post 0/1) and any 0/1 group columns',
    )
    .argument('<panel>', 'the panel CSV file, or - for standard input')
    .option(
      '--by <column>',
      'a 0/1 column whose post:COLUMN interaction to estimate (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--json', 'print the result as JSON')
    .action((file: string, options: { by: string[]; json?: boolean }) => {
      let result: EventStudyResult;
      try {
        result = estimateEventStudy(readPanelCsv(readPanel(file), options.by));
      } catch (error) {
        if (error instanceof PanelError) throw new CliError(error.message, exitCodes.badInput);
        throw error;
      }
      print(options, result, () => table(result));
    });
}
