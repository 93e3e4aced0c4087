import type { Panel } from './event-study.js';
import { seededRandom } from '../platform/seeded-random.js';

/**
 * Synthetic event-study panels with a planted effect, for tests, benchmarks and demo data (always labelled
 * synthetic). Each worker has one to four events; each event a window before and after; the outcome is
 *
 *   y = α_event + β · post + γ · post × new_entrant + v_worker · post + ε
 *
 * with a worker-level shock v to the post-event outcome (so errors are correlated within a worker, which is
 * why standard errors are clustered by worker) and an unbalanced tail of events with only one window.
 */
export interface PanelSpec {
  workers: number;
  /** Planted effect of `post` for the reference group. */
  effect: number;
  /** Planted extra effect for new entrants (`post:new_entrant`). */
  entrantEffect?: number;
  /** Share of events with one window only. */
  singleWindowShare?: number;
  /** Standard deviation of the row noise and of the worker shock. */
  noise?: number;
  workerShock?: number;
  /** Events per worker, uniform from 1 to this. */
  maxEvents?: number;
  seed: number;
}

export { seededRandom };

/** Standard normal draws (Box–Muller) from a uniform generator. */
export function normal(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = 1 - random();
    const v = random();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}

export function simulatePanel(spec: PanelSpec): Panel {
  const random = seededRandom(spec.seed);
  const gauss = normal(random);
  const { effect, entrantEffect = 0, singleWindowShare = 0.05, noise = 0.3, workerShock = 0.15 } = spec;
  const maxEvents = spec.maxEvents ?? 4;
  const workerId: string[] = [];
  const eventId: string[] = [];
  const post: number[] = [];
  const y: number[] = [];
  const entrant: number[] = [];
  let events = 0;
  for (let w = 0; w < spec.workers; w++) {
    const isEntrant = random() < 0.3 ? 1 : 0;
    const shock = workerShock * gauss();
    const count = 1 + Math.floor(random() * maxEvents);
    for (let e = 0; e < count; e++) {
      const id = `e${(events += 1)}`;
      const level = gauss();
      const windows = random() < singleWindowShare ? [random() < 0.5 ? 0 : 1] : [0, 1];
      for (const p of windows) {
        workerId.push(`w${w + 1}`);
        eventId.push(id);
        post.push(p);
        entrant.push(isEntrant);
        y.push(level + p * (effect + entrantEffect * isEntrant + shock) + noise * gauss());
      }
    }
  }
  return {
    workerId,
    eventId,
    post: Float64Array.from(post),
    y: Float64Array.from(y),
    groups: { new_entrant: Float64Array.from(entrant) },
  };
}

/** The panel as CSV (`worker_id,event_id,post,y,` then its groups), as the CLI and R read it. */
export function panelCsv(panel: Panel): string {
  const groups = Object.keys(panel.groups);
  const lines = [['worker_id', 'event_id', 'post', 'y', ...groups].join(',')];
  for (let i = 0; i < panel.y.length; i++) {
    // 17 significant digits: the number read back is the number written.
    lines.push(
      [
        panel.workerId[i],
        panel.eventId[i],
        panel.post[i],
        panel.y[i]!.toPrecision(17),
        ...groups.map((g) => panel.groups[g]![i]),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
