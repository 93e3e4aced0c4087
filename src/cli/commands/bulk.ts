import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { BulkPreview } from '../../issuance/bulk.js';
import type { BulkRunView } from '../../issuance/bulk-issuance.js';
import { apiClient } from '../api-client.js';
import { CliError, exitCodes } from '../errors.js';
import { onlyIssuerOrg } from './credentials.js';
import { serverOptions, type ServerOptions } from './server-options.js';

const shownErrors = 20;

function describeRows(preview: BulkPreview): string[] {
  const failed = preview.rows.filter((r) => r.status !== 'ok');
  const lines = failed
    .slice(0, shownErrors)
    .map((r) => `  row ${r.row} (${r.email || 'no email'}): ${r.messages.join(' ')}`);
  if (failed.length > shownErrors) lines.push(`  … and ${failed.length - shownErrors} more`);
  const { rows, ok, errors, duplicates } = preview.totals;
  return [`${rows} rows: ${ok} ok, ${errors} with errors, ${duplicates} duplicates`, ...lines];
}

/** `skillproof issue-bulk`: preview a CSV, then issue it on the instance and follow the run to its end. */
export function bulkCommand(program: Command): void {
  serverOptions(
    program
      .command('issue-bulk')
      .description(
        'Issue credentials from a CSV (email, name, achievement, score, date, narrative, evidence_url): preview, then issue with progress. Exit 0 all issued, 1 some rows failed, 2 bad file',
      )
      .argument('<file>', 'the CSV file (UTF-8)')
      .option('--org <orgId>', 'the issuing organization (default: your only issuer organization)')
      .option('--dry-run', 'only check the file and show what would be issued')
      .option('--json', 'print the preview and the run as JSON'),
  ).action(async (file: string, options: ServerOptions & { org?: string; dryRun?: boolean; json?: boolean }) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new CliError(
        `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        exitCodes.badInput,
      );
    }
    const api = apiClient(options);
    const orgId = options.org ?? (await onlyIssuerOrg(api));
    const base = `/api/orgs/${encodeURIComponent(orgId)}/bulk-issuance`;
    const preview = await api.upload<BulkPreview>(`${base}/preview`, bytes, 'text/csv');
    const failedRows = preview.rows.filter((r) => r.status !== 'ok');
    if (options.dryRun) {
      if (options.json) {
        console.log(JSON.stringify({ totals: preview.totals, problems: failedRows }, null, 2));
      } else console.log(describeRows(preview).join('\n'));
      if (failedRows.length) throw new CliError('Some rows would not be issued.', exitCodes.failure);
      return;
    }
    if (!options.json) console.error(describeRows(preview).join('\n'));
    if (preview.totals.ok === 0) throw new CliError('No row can be issued; nothing was started.', exitCodes.badInput);

    const started = await api.upload<{ run: BulkRunView }>(base, bytes, 'text/csv');
    let run = started.run;
    const bar = options.json
      ? undefined
      : new cliProgress.SingleBar(
          {
            format: 'issuing [{bar}] {value}/{total} rows | {percentage}%',
            stream: process.stderr,
            noTTYOutput: false,
          },
          cliProgress.Presets.shades_classic,
        );
    bar?.start(run.total, run.done);
    while (run.state !== 'completed' && run.state !== 'failed') {
      await sleep(500);
      run = await api.get<BulkRunView>(`${base}/${run.id}`);
      bar?.setTotal(run.total);
      bar?.update(run.done);
    }
    bar?.stop();
    if (options.json) console.log(JSON.stringify({ totals: preview.totals, problems: failedRows, run }, null, 2));
    else {
      console.log(
        `run ${run.id} ${run.state}: ${run.issued} issued, ${run.existing} issued before, ${run.errors} errors, ${run.duplicates} duplicates`,
      );
      if (run.errors + run.duplicates > 0) console.log(`rows not issued: ${api.base}${base}/${run.id}/errors.csv`);
      console.log(`claim links: ${api.base}${base}/${run.id}/claims.csv`);
    }
    if (run.state === 'failed') throw new CliError(`The run failed: ${run.error ?? 'unknown error'}`);
    if (run.errors + run.duplicates > 0) process.exitCode = exitCodes.failure;
  });
}
