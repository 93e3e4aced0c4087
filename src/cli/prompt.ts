import { createInterface } from 'node:readline';
import { CliError, exitCodes } from './errors.js';

/** Reads all of standard input as bytes (for `-` arguments). */
export async function readStdinBytes(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads all of standard input as text, without its final newline (for --password-stdin). */
export async function readStdin(): Promise<string> {
  return (await readStdinBytes()).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks for a secret on the terminal without echoing it. */
export async function promptSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new CliError(
      'No terminal to ask for the password: pipe it in with --password-stdin, or set SKILLPROOF_PASSWORD.',
      exitCodes.badInput,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void };
  output._writeToOutput = (s: string) => {
    if (s.includes(question)) process.stdout.write(s);
  };
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    }),
  );
}

export async function readPassword(options: { passwordStdin?: boolean }): Promise<string> {
  if (options.passwordStdin) return readStdin();
  if (process.env.SKILLPROOF_PASSWORD) return process.env.SKILLPROOF_PASSWORD;
  return promptSecret('Password: ');
}
