import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useIssuerOrg } from '../accounts/issuer';
import { useSession } from '../accounts/session';
import { api } from '../platform/api';
import { ErrorMessage, Field, formatDateTime, Loading, Panel, Select } from '../platform/components';
import { IssuerPanel } from './IssuerPanel';

/**
 * Outcome analytics dashboards. Instance admins (analysts) see every cut and run sharing experiments; an
 * issuer sees the event study of their own organization's credentials. Plots are SVG rendered on the server
 * from Vega-Lite (they show without this page's JavaScript and download as they are); every table downloads as
 * CSV. Estimates from fewer than 10 workers are withheld and marked, and nothing here lists individuals.
 */
const outcomes = [
  ['log-earnings', 'Earnings, log(1 + amount)'],
  ['project-value', 'Value of projects won'],
  ['projects', 'Projects won'],
] as const;

export function AnalyticsPage() {
  const { session, currentOrg } = useSession();
  const issuer = useIssuerOrg();
  const employer =
    currentOrg && (currentOrg.roles.includes('employer') || currentOrg.roles.includes('owner')) ? currentOrg : null;
  if (!session?.isAdmin && !issuer && !employer) {
    return (
      <div>
        <h1>Outcome analytics</h1>
        <p>
          Issuers see the outcomes of their own credentials here, employers their hiring funnel; instance admins see
          every cut.
        </p>
      </div>
    );
  }
  return (
    <div>
      <h1>Outcome analytics</h1>
      {(session?.isAdmin || issuer) && (
        <>
          <p className="lede">
            What earning a credential changed: each credential earned is an event, and the holder&apos;s outcomes in the
            14 days before and after are compared, one fixed effect per event, errors clustered by worker. Estimates
            from fewer than 10 workers are withheld.
          </p>
          <EventStudyPanel base={session?.isAdmin ? '/api/admin/analytics' : `/api/orgs/${issuer!.org.id}/analytics`} />
        </>
      )}
      {issuer && <IssuerPanel orgId={issuer.org.id} />}
      {session?.isAdmin ? (
        <FunnelPanel base="/api/admin/analytics/funnel" />
      ) : (
        employer && <FunnelPanel base={`/api/orgs/${employer.org.id}/analytics/funnel`} orgId={employer.org.id} />
      )}
      {session?.isAdmin && <ExperimentsPanel />}
    </div>
  );
}

interface FunnelReport {
  scope: 'pooled' | 'employer';
  employers: number;
  applications: number | null;
  withheld: string | null;
  rows: { stage: string; group: string; reached: number | null; rateOn: number | null; withheld: string | null }[];
  interviewToOffer: { estimate: number | null; ci95: [number, number] | null; note: string; method: string };
  definition: string;
}

const percent = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

/**
 * The interview-to-offer funnel: an employer's own or the pool it shares into (with its sharing switch); for
 * instance admins, the pool of every employer who shares.
 */
function FunnelPanel({ base, orgId }: { base: string; orgId?: string }) {
  const queryClient = useQueryClient();
  const [pooled, setPooled] = useState(orgId === undefined);
  const query = orgId === undefined ? '' : pooled ? '?scope=pooled' : '?scope=own';
  const report = useQuery({
    queryKey: ['analytics', 'funnel', base, query],
    queryFn: () => api<FunnelReport>('GET', `${base}${query}`),
  });
  const sharing = useQuery({
    queryKey: ['analytics', 'funnel-sharing', orgId],
    queryFn: () => api<{ shared: boolean }>('GET', `/api/orgs/${orgId}/analytics/funnel-sharing`),
    enabled: orgId !== undefined,
  });
  const share = useMutation({
    mutationFn: (shared: boolean) => api('PUT', `/api/orgs/${orgId}/analytics/funnel-sharing`, { shared }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['analytics'] }),
  });
  const data = report.data;
  const stages = data ? [...new Set(data.rows.map((r) => r.stage))] : [];
  const at = (stage: string, group: string) => data?.rows.find((r) => r.stage === stage && r.group === group);
  const shown = (row: FunnelReport['rows'][number] | undefined) =>
    !row ? '–' : row.reached === null ? 'withheld' : `${row.reached} (${percent(row.rateOn)} on)`;
  const d = data?.interviewToOffer;
  return (
    <Panel title="Hiring funnel">
      <p>
        How many applications reached each stage, with and without a verified credential aligned to the job, and the
        difference in interview-to-offer conversion with its 95% interval. Stages reached by fewer than 10 applications
        are withheld.
      </p>
      {orgId !== undefined && (
        <>
          <div className="field">
            <label>
              <input
                type="checkbox"
                checked={sharing.data?.shared ?? false}
                disabled={!sharing.data || share.isPending}
                onChange={(e) => share.mutate(e.target.checked)}
              />{' '}
              Share our funnel (counts only) in the pool of employers
            </label>
          </div>
          <ErrorMessage error={sharing.error ?? share.error} />
          <Select
            label="Funnel"
            name="funnel-scope"
            value={pooled ? 'pooled' : 'own'}
            options={[
              ['own', 'Our funnel'],
              ['pooled', 'Pooled over the employers who share'],
            ]}
            onChange={(e) => setPooled(e.target.value === 'pooled')}
          />
        </>
      )}
      <ErrorMessage error={report.error} />
      {!data ? (
        !report.error && <Loading />
      ) : data.withheld ? (
        <p>{data.withheld}</p>
      ) : (
        <>
          <p>
            {data.scope === 'pooled' ? `Pooled over ${data.employers} employer(s): ` : ''}
            {data.applications} applications.
          </p>
          <figure>
            <img
              src={`${base}.svg${query}`}
              alt="Bar chart of the hiring funnel: applications reaching each stage, with and without a credential; the table below gives the same numbers."
            />
            <figcaption>
              <a href={`${base}.svg${query}`} download="funnel.svg">
                Download the chart (SVG)
              </a>{' '}
              ·{' '}
              <a href={`${base}.csv${query}`} download="funnel.csv">
                Download the funnel table (CSV)
              </a>
            </figcaption>
          </figure>
          <table>
            <caption>Applications reaching each stage (and the share moving on)</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">With a credential</th>
                <th scope="col">Without</th>
              </tr>
            </thead>
            <tbody>
              {stages.map((stage) => (
                <tr key={stage}>
                  <th scope="row">{stage}</th>
                  <td>{shown(at(stage, 'with credential'))}</td>
                  <td>{shown(at(stage, 'without credential'))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {d && d.estimate !== null && d.ci95
              ? `Interview to offer, with − without: ${Math.round(d.estimate * 100)} points (95% CI ${Math.round(d.ci95[0] * 100)} to ${Math.round(d.ci95[1] * 100)}).`
              : `Interview to offer: ${d?.note ?? ''}`}
          </p>
          <p className="hint">{data.definition}</p>
        </>
      )}
    </Panel>
  );
}

/** A small CSV reader for the tables the server writes (quoted text, plain numbers). */
function readCsv(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const cells: string[] = [];
      let at = 0;
      while (at <= line.length) {
        if (line[at] === '"') {
          let value = '';
          at += 1;
          while (at < line.length) {
            if (line[at] === '"' && line[at + 1] === '"') {
              value += '"';
              at += 2;
            } else if (line[at] === '"') {
              at += 1;
              break;
            } else value += line[at++];
          }
          cells.push(value);
          at += 1;
        } else {
          const end = line.indexOf(',', at);
          cells.push(line.slice(at, end === -1 ? line.length : end));
          at = end === -1 ? line.length + 1 : end + 1;
        }
      }
      return cells;
    });
}

const fmt = (text: string | undefined) => (text ? Number(text).toFixed(3) : '');

function CsvTable({ url, caption }: { url: string; caption: string }) {
  const table = useQuery({
    queryKey: ['analytics', 'csv', url],
    queryFn: async () => {
      const response = await fetch(url, { credentials: 'same-origin' });
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({}))) as { detail?: string };
        throw new Error(problem.detail ?? `The table could not be loaded (${response.status}).`);
      }
      return readCsv(await response.text());
    },
  });
  if (table.error) return <ErrorMessage error={table.error} />;
  if (!table.data) return <Loading />;
  const [, ...rows] = table.data;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Term</th>
          <th scope="col">Cut</th>
          <th scope="col">Estimate</th>
          <th scope="col">Std. error</th>
          <th scope="col">95% CI</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            <th scope="row">{row[0]}</th>
            <td>{row[1] || '—'}</td>
            {row[6] ? (
              <td colSpan={3}>Withheld: {row[6]}</td>
            ) : (
              <>
                <td>{fmt(row[2])}</td>
                <td>{fmt(row[3])}</td>
                <td>
                  {fmt(row[4])} to {fmt(row[5])}
                </td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EventStudyPanel({ base }: { base: string }) {
  const [outcome, setOutcome] = useState<string>('log-earnings');
  const [weekly, setWeekly] = useState(false);
  const query = `outcome=${outcome}${weekly ? '&dynamic=true' : ''}`;
  return (
    <Panel title="Event study">
      <Select
        label="Outcome"
        name="outcome"
        value={outcome}
        options={outcomes}
        onChange={(e) => setOutcome(e.target.value)}
      />
      <div className="field">
        <label>
          <input type="checkbox" checked={weekly} onChange={(e) => setWeekly(e.target.checked)} /> Weekly leads and lags
          (pre-trend check)
        </label>
      </div>
      <figure>
        <img
          src={`${base}/event-study.svg?${query}`}
          alt="Coefficient plot of the event study: each estimate with its 95% interval; the table below gives the same numbers."
        />
        <figcaption>
          <a href={`${base}/event-study.svg?${query}`} download="event-study.svg">
            Download the plot (SVG)
          </a>{' '}
          ·{' '}
          <a href={`${base}/event-study.csv?${query}`} download="event-study.csv">
            Download the table (CSV)
          </a>
        </figcaption>
      </figure>
      <CsvTable url={`${base}/event-study.csv?${query}`} caption="Event-study estimates" />
    </Panel>
  );
}

interface Experiment {
  id: string;
  name: string;
  baselineRate: number;
  effect: number;
  plannedSize: number;
  startedAt: string;
  stoppedAt: string | null;
  exposed?: number;
}

function ExperimentsPanel() {
  const queryClient = useQueryClient();
  const experiments = useQuery({
    queryKey: ['analytics', 'experiments'],
    queryFn: () =>
      api<{ experiments: Experiment[] }>('GET', '/api/admin/analytics/experiments').then((r) => r.experiments),
  });
  const [form, setForm] = useState({ name: '', baselineRate: '0.2', effect: '0.05' });
  const plan = useQuery({
    queryKey: ['analytics', 'plan', form.baselineRate, form.effect],
    queryFn: () =>
      api<{ perArm: number; total: number }>(
        'GET',
        `/api/admin/analytics/sample-size?baselineRate=${encodeURIComponent(form.baselineRate)}&effect=${encodeURIComponent(form.effect)}`,
      ),
    retry: false,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['analytics'] });
  const start = useMutation({
    mutationFn: () =>
      api('POST', '/api/admin/analytics/experiments', {
        name: form.name,
        baselineRate: Number(form.baselineRate),
        effect: Number(form.effect),
      }),
    onSuccess: refresh,
  });
  const stop = useMutation({
    mutationFn: (id: string) => api('POST', `/api/admin/analytics/experiments/${id}/stop`),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  return (
    <Panel title="Sharing experiments">
      <p>
        Learners are assigned by a stable hash to no nudge, the dashboard reminder, or the reminder and the result
        page&apos;s one-click share panel; each is compared with no nudge within issuers. An experiment is read only at
        its planned size.
      </p>
      <form onSubmit={submit}>
        <Field
          label="Name"
          name="name"
          required
          maxLength={200}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <Field
          label="Share rate without a nudge (0 to 1)"
          name="baselineRate"
          inputMode="decimal"
          value={form.baselineRate}
          onChange={(e) => setForm({ ...form, baselineRate: e.target.value })}
        />
        <Field
          label="Smallest effect worth finding (change in the rate)"
          name="effect"
          inputMode="decimal"
          value={form.effect}
          onChange={(e) => setForm({ ...form, effect: e.target.value })}
        />
        <p aria-live="polite">
          {plan.data
            ? `Planned size: ${plan.data.total.toLocaleString('en')} learners (${plan.data.perArm.toLocaleString('en')} per arm), power 0.8.`
            : plan.error
              ? (plan.error as Error).message
              : ''}
        </p>
        <ErrorMessage error={start.error} />
        <button type="submit">Start the experiment</button>
      </form>
      <ErrorMessage error={experiments.error ?? stop.error} />
      {experiments.data?.map((experiment) => (
        <section key={experiment.id} aria-label={experiment.name}>
          <h3>{experiment.name}</h3>
          <p>
            Started {formatDateTime(experiment.startedAt)}
            {experiment.stoppedAt ? `, stopped ${formatDateTime(experiment.stoppedAt)}` : ', running'}.{' '}
            {experiment.exposed ?? 0} of {experiment.plannedSize} planned learners exposed.{' '}
            {!experiment.stoppedAt && (
              <button type="button" className="secondary" onClick={() => stop.mutate(experiment.id)}>
                Stop<span className="visually-hidden"> {experiment.name}</span>
              </button>
            )}
          </p>
          <figure>
            <img
              src={`/api/admin/analytics/experiments/${experiment.id}/report.svg`}
              alt={`Effects of the nudges in ${experiment.name} against no nudge, with 95% intervals; the table below gives the same numbers.`}
            />
            <figcaption>
              <a href={`/api/admin/analytics/experiments/${experiment.id}/report.csv`} download="experiment.csv">
                Download the table (CSV)
              </a>
            </figcaption>
          </figure>
          <CsvTable
            url={`/api/admin/analytics/experiments/${experiment.id}/report.csv`}
            caption={`${experiment.name}: effects against no nudge`}
          />
        </section>
      ))}
    </Panel>
  );
}
