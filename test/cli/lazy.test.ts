import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Help } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { commandTable } from '../../src/cli/command-table.js';

/** The CLI imports only the command it runs: `--help` loads no command module, `verify --local` no server. */
const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A module hook that writes down every module the process loads.
const hook = path.join(dir, 'record-loads.mjs');
writeFileSync(
  hook,
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.LOADED_MODULES_FILE, result.url + '\\\\n');
  return result;
}\`));
`,
);

function loadedBy(args: string[], stdin = '') {
  const record = path.join(dir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(record, '');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', pathToFileURL(hook).href, 'src/cli/main.ts', ...args],
    {
      env: { ...process.env, LOG_LEVEL: 'silent', LOADED_MODULES_FILE: record },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; stdout: string; stderr: string; loaded: string[] }>((resolve) =>
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, loaded: readFileSync(record, 'utf8').split('\n').filter(Boolean) }),
    ),
  );
}

const heavy = [
  /\/src\/platform\/(?!version\.)/,
  /\/src\/vc\//,
  /\/node_modules\/(fastify|jsonld|@electric-sql|pg-boss|pg|kysely|sharp)\//,
];
const serverSide = [
  /\/src\/platform\/(db|http|jobs)\//,
  /\/src\/app\//,
  /\/node_modules\/(fastify|@electric-sql|pg-boss|kysely|sharp)\//,
];

describe('lazy command loading', () => {
  it('lists every command for --help without importing any command module', { timeout: 60_000 }, async () => {
    const help = await loadedBy(['--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const entry of commandTable) expect(help.stdout).toContain(entry.name);
    expect(help.loaded.length).toBeGreaterThan(3);
    expect(help.loaded.filter((url) => /\/src\/cli\/commands\//.test(url))).toEqual([]);
    expect(help.loaded.filter((url) => heavy.some((re) => re.test(url)))).toEqual([]);
    const unknown = await loadedBy(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.loaded.filter((url) => /\/src\/cli\/commands\//.test(url))).toEqual([]);
  });

  it('verifies locally without loading the server, the database or the job queue', { timeout: 60_000 }, async () => {
    const local = await loadedBy(['verify', '--local', '-'], '{"not": "a credential"}');
    expect(local.code).toBe(1);
    expect(local.stdout).toContain('NOT VERIFIED');
    expect(local.loaded.some((url) => url.includes('/src/vc/verify'))).toBe(true);
    expect(local.loaded.filter((url) => serverSide.some((re) => re.test(url)))).toEqual([]);
  });

  it('names and describes each command as its module does (the table cannot drift)', async () => {
    const program = new Command('skillproof');
    const registered = new Set<unknown>();
    for (const entry of commandTable) {
      const register = await entry.load();
      if (!registered.has(register)) register(program);
      registered.add(register);
    }
    const help = new Help();
    const actual = program.commands.map((command) => ({
      name: command.name(),
      term: help.subcommandTerm(command),
      description: command.description(),
    }));
    expect(commandTable.map(({ name, term, description }) => ({ name, term, description }))).toEqual(actual);
  });
});
