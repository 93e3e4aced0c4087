import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobQueue } from '../../src/platform/jobs/queue.js';
import { createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';
import { sampleCountJob, sampleCountRoutes } from '../helpers/sample-count.js';

let t: TestApp;
let client: Client;
beforeAll(async () => {
  t = await createTestApp({
    extend: async (app, platform) => {
      platform.queue.define(sampleCountJob(platform.database.db));
      await app.register(sampleCountRoutes, { queue: platform.queue });
    },
  });
  client = await signUp(t.app);
});
afterAll(() => t.close());

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('runs the sample job over HTTP once per key and reports progress', async () => {
  const start = (key: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/jobs/sample-count',
      headers: client.headers,
      payload: { key, count: 25 },
    });
  const first = await start('k1');
  expect(first.statusCode).toBe(202);
  const again = await start('k1');
  expect(again.statusCode).toBe(200);
  expect(again.json().id).toBe(first.json().id);

  await t.platform.queue.work();
  const read = async () =>
    (await t.app.inject({ method: 'GET', url: `/api/jobs/${first.json().id}`, headers: client.cookie })).json();
  const finished = await waitFor(read, (run) => run.state === 'completed');
  expect(finished).toMatchObject({ state: 'completed', done: 25, total: 25, result: { counted: 25 } });

  // Another user cannot see it, and the same key from another user is a different job.
  const other = await signUp(t.app);
  const peek = await t.app.inject({ method: 'GET', url: `/api/jobs/${first.json().id}`, headers: other.cookie });
  expect(peek.statusCode).toBe(404);
  const theirs = await t.app.inject({
    method: 'POST',
    url: '/api/jobs/sample-count',
    headers: other.headers,
    payload: { key: 'k1', count: 1 },
  });
  expect(theirs.statusCode).toBe(202);
  expect(theirs.json().id).not.toBe(first.json().id);
});

it('retries a failing job and records the attempts', async () => {
  const queue = createJobQueue(t.platform.database, { superviseIntervalSeconds: 1, pollingIntervalSeconds: 0.5 });
  let calls = 0;
  queue.define<{ failTimes: number }>({
    name: 'test.flaky',
    retryLimit: 3,
    async handler({ failTimes }) {
      calls += 1;
      if (calls <= failTimes) throw new Error(`flaky failure ${calls}`);
      return { calls };
    },
  });
  try {
    const { run } = await queue.enqueue('test.flaky', { failTimes: 2 }, { key: 'flaky-1' });
    await queue.work();
    const finished = await waitFor(
      () => queue.getRun(run.id),
      (r) => r.state === 'completed',
    );
    expect(finished.state).toBe('completed');
    expect(finished.attempts).toBe(3);
    expect(finished.result).toEqual({ calls: 3 });
  } finally {
    await queue.stop();
  }
});

it('creates every queue before it sends a job, when jobs are queued while it starts', async () => {
  const queue = createJobQueue(t.platform.database);
  const names = Array.from({ length: 10 }, (_, i) => `test.starting-${i}`);
  for (const name of names) queue.define({ name, handler: async () => null });
  try {
    const queued = [queue.enqueue(names[0]!, {}, { key: 'first' })];
    // While the first one starts the queue, another job for the last queue defined every few milliseconds.
    for (let i = 0; i < 100; i++) {
      queued.push(queue.enqueue(names[9]!, {}, { key: `then-${i}` }));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const runs = await Promise.all(queued);
    expect(runs.every((r) => r.created)).toBe(true);
  } finally {
    await queue.stop();
  }
});
