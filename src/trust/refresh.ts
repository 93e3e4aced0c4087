import type { JobDefinition, JobQueue, JobRun } from '../platform/jobs/queue.js';
import { invalid, notFound } from '../platform/errors.js';
import { parseDccRegistry } from './registry.js';
import type { RegistrySource, TrustStore } from './store.js';
import type { Trust } from './trust.js';

export type { RegistrySource } from './store.js';

export const refreshJobName = 'trust-registry-refresh';
export const refreshIntervalLimits = { min: 15, max: 7 * 24 * 60, default: 24 * 60 };
const urlLimit = 2000;

export interface RegistryRefreshDeps {
  store: TrustStore;
  trust: Pick<Trust, 'checkName' | 'changed'>;
  queue: Pick<JobQueue, 'enqueue'>;
  /** Fetches the registry file's text (an outbound fetch with the platform's SSRF guard, deadline and size cap). */
  fetchText: (url: string) => Promise<string>;
  /** Whether plain http:// sources are allowed (as outbound fetches are). */
  allowHttp: boolean;
  /** How often a worker looks for due sources. */
  sweepIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Trust registries refreshed from a URL on a schedule. A due source becomes one job on the platform's queue
 * (keyed by the source and its due time, so several workers enqueue it once); the job fetches the file, checks it
 * as an upload is checked, and replaces the registry's entries in one transaction. A failed fetch or a bad file
 * changes nothing but the source's status: the last good entries stay in force.
 */
export function createRegistryRefresh(deps: RegistryRefreshDeps) {
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;

  function checkSource(url: string, intervalMinutes: number | undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid('The source is not a URL.', { field: 'url' });
    }
    const schemes = deps.allowHttp ? ['https:', 'http:'] : ['https:'];
    if (!schemes.includes(parsed.protocol) || url.length > urlLimit || parsed.username || parsed.password) {
      throw invalid(
        `The source must be an ${deps.allowHttp ? 'http or https' : 'https'} address of at most ${urlLimit} characters, without a user name or password.`,
        { field: 'url' },
      );
    }
    const interval = intervalMinutes ?? refreshIntervalLimits.default;
    if (!Number.isInteger(interval) || interval < refreshIntervalLimits.min || interval > refreshIntervalLimits.max) {
      throw invalid(
        `A registry is refreshed every ${refreshIntervalLimits.min} to ${refreshIntervalLimits.max} minutes.`,
        { field: 'intervalMinutes' },
      );
    }
    return { url: parsed.href, intervalMinutes: interval };
  }

  const keyOf = (source: RegistrySource) => `${source.name}@${source.nextRefreshAt.toISOString()}`;

  /** Queues the refresh due at the source's due time; `userId` is who asked for it (none for the schedule). */
  async function enqueue(source: RegistrySource, userId: string | null = null): Promise<JobRun> {
    const { run } = await deps.queue.enqueue(
      refreshJobName,
      { name: source.name, dueAt: source.nextRefreshAt.toISOString() },
      { key: keyOf(source), userId },
    );
    return run;
  }

  /** Registers (or changes) where a registry comes from and how often; it is fetched at once. */
  async function setSource(
    name: string,
    input: { url: string; intervalMinutes?: number },
    userId: string | null,
  ): Promise<{ source: RegistrySource; created: boolean; run: JobRun }> {
    const checked = checkSource(input.url, input.intervalMinutes);
    const saved = await deps.store.saveSource({ name: deps.trust.checkName(name), ...checked, createdBy: userId });
    return { ...saved, run: await enqueue(saved.source, userId) };
  }

  /** Fetches a source now, whatever its schedule. */
  async function refreshNow(name: string, userId: string | null): Promise<JobRun> {
    const source = await deps.store.makeDue(name);
    if (!source) throw notFound(`The registry source "${name}"`);
    return enqueue(source, userId);
  }

  /** Stops refreshing; the entries fetched last stay until the registry itself is removed. */
  async function removeSource(name: string): Promise<void> {
    if (!(await deps.store.deleteSource(name))) throw notFound(`The registry source "${name}"`);
  }

  const job: JobDefinition<{ name: string; dueAt: string }> = {
    name: refreshJobName,
    // A failure is recorded on the source and tried again at its next due time.
    retryLimit: 0,
    expireInSeconds: 120,
    async handler({ name, dueAt }) {
      const source = await deps.store.findSource(name);
      // Removed, or changed since (a new due time has its own job).
      if (!source || source.nextRefreshAt.toISOString() !== dueAt) return { skipped: true };
      try {
        const parsed = parseDccRegistry(await deps.fetchText(source.url));
        await deps.store.saveRegistry({
          name: source.name,
          meta: parsed.meta,
          entries: parsed.entries,
          importedBy: source.createdBy,
        });
        await deps.store.recordRefresh(name, source.nextRefreshAt, { ok: true, entryCount: parsed.entries.length });
        await deps.trust.changed();
        return { entries: parsed.entries.length };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await deps.store.recordRefresh(name, source.nextRefreshAt, { ok: false, error: message.slice(0, 1000) });
        throw error;
      }
    },
  };

  /** Enqueues every due source (once per due time, however many workers sweep). */
  async function sweep(): Promise<void> {
    for (const source of await deps.store.dueSources()) await enqueue(source);
  }

  const kick = () => {
    sweeping ??= sweep()
      .catch((error: unknown) => deps.onError?.(error))
      .finally(() => (sweeping = undefined));
  };

  return {
    job,
    setSource,
    refreshNow,
    removeSource,
    listSources: () => deps.store.listSources(),
    sweep,
    /** Looks for due sources now and then, in a worker process. */
    startSweeping(): void {
      if (timer) return;
      timer = setInterval(kick, deps.sweepIntervalMs ?? 60_000);
      timer.unref();
      kick();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await sweeping;
    },
  };
}

export type RegistryRefresh = ReturnType<typeof createRegistryRefresh>;
