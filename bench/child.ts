import type { Figure } from './figure.js';

/** Runs one figure once, in this process, and prints its result as the last line (JSON). */
const [name, ...flags] = process.argv.slice(2);
const { figure } = (await import(`./figures/${name}.ts`)) as { figure: Figure };
const result = await figure.measure({ quick: flags.includes('--quick') });
process.stdout.write(`\n${JSON.stringify(result)}\n`);
process.exit(0);
