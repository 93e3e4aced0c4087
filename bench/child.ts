import type { Figure } from './figure.js';

/** Runs one side of one figure once, in this process, and prints its result as the last line (JSON). */
const [name, side, ...flags] = process.argv.slice(2);
const { figure } = (await import(`./figures/${name}.ts`)) as { figure: Figure };
const result = await figure.measure({
  quick: flags.includes('--quick'),
  side: side === 'reference' ? 'reference' : 'skillproof',
});
process.stdout.write(`\n${JSON.stringify(result)}\n`);
process.exit(0);
