import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { estimateEventStudy, readPanelCsv } from '../../src/analytics/event-study.js';
import { panelCsv, simulatePanel } from '../../src/analytics/simulate.js';
import type { Figure, FigureResult } from '../figure.js';

/**
 * The event study at the published study's scale (46,791 workers, about 100,000 events × 2 windows): seconds
 * from the CSV file to the estimates with worker-clustered errors (reading and checking the CSV included).
 *
 * Reference: R on the same file, timed inside R (start-up excluded). `estimatr::lm_robust` with
 * `fixed_effects = ~event_id` cannot run a panel this size (it asks for an events × events matrix, 59 GiB
 * here), so the reference is the same within estimator written in base R (`ave` demeaning, `crossprod`,
 * `rowsum` cluster scores), which the test suite's small panels tie to estimatr. Skipped, with a note, when R
 * is absent.
 */
const rScript = `
t <- system.time({
  d <- read.csv(commandArgs(trailingOnly = TRUE)[1], colClasses = c(worker_id = "character", event_id = "character"))
  n <- table(d$event_id)
  d <- d[d$event_id %in% names(n[n >= 2]), ]
  X <- cbind(post = d$post, post_new_entrant = d$post * d$new_entrant)
  Xt <- apply(X, 2, function(v) v - ave(v, d$event_id))
  yt <- d$y - ave(d$y, d$event_id)
  XtX <- crossprod(Xt)
  b <- solve(XtX, crossprod(Xt, yt))
  S <- rowsum(Xt * as.vector(yt - Xt %*% b), d$worker_id)
  G <- nrow(S); N <- nrow(d); K <- ncol(X) + length(unique(d$event_id))
  bread <- solve(XtX)
  V <- bread %*% crossprod(S) %*% bread * (G / (G - 1)) * ((N - 1) / (N - K))
})
cat(sprintf("%.6f %.17g %.17g\\n", t[["elapsed"]], b[1], sqrt(V[1, 1])))
`;

export const figure: Figure = {
  name: 'event-study',
  unit: 's',
  hasReference: true,
  async measure({ quick, side }): Promise<FigureResult> {
    const dir = mkdtempSync(path.join(tmpdir(), 'skillproof-bench-es-'));
    try {
      const workers = quick ? 2_000 : 46_791;
      const panel = simulatePanel({ workers, maxEvents: 3, effect: 0.089, entrantEffect: -0.04, seed: 2026 });
      const file = path.join(dir, 'panel.csv');
      writeFileSync(file, panelCsv(panel));
      if (side === 'reference') {
        const script = path.join(dir, 'event-study.R');
        writeFileSync(script, rScript);
        const run = spawnSync('Rscript', [script, file], { encoding: 'utf8' });
        if (run.status !== 0) {
          return { skillproof: null, reference: null, identical: null, details: { note: 'R is absent' } };
        }
        const [seconds, post, postSe] = run.stdout.trim().split(' ').map(Number);
        return {
          skillproof: null,
          reference: seconds!,
          identical: null,
          details: { rPost: Number(post!.toFixed(5)), rPostSe: Number(postSe!.toFixed(5)) },
        };
      }
      const start = performance.now();
      const cpu = process.cpuUsage();
      const result = estimateEventStudy(readPanelCsv(readFileSync(file, 'utf8'), ['new_entrant']));
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      return {
        skillproof: seconds,
        reference: null,
        identical: null,
        details: {
          cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(3)),
          rows: result.n,
          events: result.events,
          workers: result.clusters,
          post: Number(result.coefficients.post!.estimate.toFixed(5)),
          postSe: Number(result.coefficients.post!.stdError.toFixed(5)),
        },
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
