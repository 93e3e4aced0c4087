import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a thread on the module `name` beside the caller (`import.meta.url`). Built, that is the plain JavaScript
 * file. From TypeScript sources (tests, tsx) the thread registers tsx's loader first: `--import tsx` in a thread's
 * execArgv comes too late for its entry module.
 */
export function startThread(callerUrl: string, name: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const typescript = callerUrl.endsWith('.ts');
  const entry = new URL(`./${name}.${typescript ? 'ts' : 'js'}`, callerUrl);
  if (!typescript) return new Worker(entry, options);
  return new Worker(
    `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`,
    { ...options, eval: true },
  );
}

function tsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return 'tsx/esm/api';
  }
}
