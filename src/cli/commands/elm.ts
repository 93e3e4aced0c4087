import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { validateElm, type ElmValidation } from '../../pathways/elm-shacl.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      exitCodes.badInput,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(`${file} is not JSON.`, exitCodes.badInput);
  }
}

/** The report as a person reads it: the verdict, each violation and warning with where it is. */
export function formatValidation(file: string, validation: ElmValidation): string {
  const lines = [
    validation.conforms
      ? `${file}: conforms to the EDC shapes${validation.warnings.length ? `, with ${validation.warnings.length} warning(s)` : ''}.`
      : `${file}: ${validation.violations.length} violation(s) of the EDC shapes.`,
  ];
  for (const v of [...validation.violations, ...validation.warnings]) {
    lines.push(`  ${v.severity === 'violation' ? '✗' : '!'} ${v.message}`);
    lines.push(`      at ${v.focusNode}${v.path ? ` ${v.path}` : ''}${v.value ? ` (value ${v.value})` : ''}`);
  }
  lines.push(`Shapes: ${validation.shapes.join(', ')}.`);
  if (validation.notChecked.length) lines.push(`Not checked (not bundled): ${validation.notChecked.join(', ')}.`);
  return lines.join('\n');
}

export function elmCommand(program: Command): void {
  const elm = program
    .command('elm')
    .description('European Learning Model (ELM v3) documents (runs locally, no server)');
  elm
    .command('validate')
    .description(
      'Validate an ELM JSON-LD document (a EuropeanDigitalCredential or a Qualification) offline against the bundled ' +
        "EDC SHACL shapes and Skillproof's Annex I shapes. Exit 0 conforms, 1 violations, 2 not a JSON-LD document",
    )
    .argument('<file>', 'the JSON-LD file, or - for standard input')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const document = readDocument(file);
      let validation: ElmValidation;
      try {
        validation = await validateElm(document);
      } catch (error) {
        throw new CliError(
          `${file} is not a JSON-LD document the ELM contexts define: ${(error as Error).message}`,
          exitCodes.badInput,
        );
      }
      print(options, validation, () => formatValidation(file, validation));
      if (!validation.conforms) process.exitCode = exitCodes.failure;
    });
}
