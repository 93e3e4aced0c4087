import { useQuery } from '@tanstack/react-query';
import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, upload } from '../platform/api';
import { ErrorMessage, Panel } from '../platform/components';
import { useSession } from '../accounts/session';
import type { AchievementRecord } from '../platform/types';

interface BulkPreview {
  rows: {
    row: number;
    email: string;
    name: string;
    status: 'ok' | 'error' | 'duplicate';
    messages: string[];
    /** A sound row's news: issued before, or the learner already holds it. */
    notes?: string[];
  }[];
  totals: { rows: number; ok: number; errors: number; duplicates: number };
}

interface BulkRunView {
  id: string;
  state: 'queued' | 'running' | 'retrying' | 'completed' | 'failed';
  done: number;
  total: number;
  issued: number;
  existing: number;
  errors: number;
  duplicates: number;
}

const statusWords = { ok: 'Ready', error: 'Error', duplicate: 'Duplicate' } as const;
const shownRows = 500;

/** Issuers issue a CSV of awards at once: check it, start it, follow it, download what went wrong. */
export function BulkIssuePage() {
  const { session, currentOrg } = useSession();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const orgId = currentOrg?.org.id;
  const base = `/api/orgs/${orgId}/bulk-issuance`;
  const run = useQuery({
    queryKey: ['bulk-run', orgId, runId],
    queryFn: () => api<BulkRunView>('GET', `${base}/${runId}`),
    enabled: Boolean(orgId && runId),
    refetchInterval: (query) =>
      query.state.data && ['completed', 'failed'].includes(query.state.data.state) ? false : 1000,
  });

  const roles = currentOrg?.roles ?? [];
  if (!session) return null;
  if (!currentOrg || !(roles.includes('issuer') || roles.includes('owner'))) {
    return (
      <div>
        <h1>Bulk issue</h1>
        <p>Only issuers of an organization can issue in bulk. Choose an organization where you issue in the header.</p>
      </div>
    );
  }

  async function check(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setRunId(null);
    try {
      setPreview(await upload<BulkPreview>(`${base}/preview`, file, 'text/csv'));
    } catch (e) {
      setPreview(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function start() {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const started = await upload<{ run: BulkRunView }>(base, file, 'text/csv');
      setRunId(started.run.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const current = run.data;
  const finished = current && ['completed', 'failed'].includes(current.state);
  return (
    <div className="bulk">
      <h1>Bulk issue</h1>
      <p className="lede">
        Issue credentials of {currentOrg.org.name} from a CSV file (UTF-8) with the columns <code>email</code>,{' '}
        <code>name</code>, <code>achievement</code> (the micro-credential&apos;s code, its exact title, or its id) and
        optionally <code>score</code>, <code>date</code>, <code>narrative</code>, <code>evidence_url</code>. Rows
        awarded before are never issued twice.
      </p>
      <Templates orgId={currentOrg.org.id} />
      <form className="panel" onSubmit={check}>
        <div className="field">
          <label htmlFor={fileId}>CSV file</label>
          <input
            id={fileId}
            type="file"
            accept=".csv,text/csv"
            onChange={(e: ChangeEvent<HTMLInputElement>) => {
              setFile(e.target.files?.[0] ?? null);
              setPreview(null);
              setRunId(null);
            }}
          />
        </div>
        <button type="submit" disabled={!file || busy}>
          {busy && !preview ? 'Checking…' : 'Check the file'}
        </button>
      </form>
      <ErrorMessage error={error ?? run.error} />
      {preview && (
        <Panel title="Preview">
          <p aria-live="polite">
            {preview.totals.rows} rows: {preview.totals.ok} ready, {preview.totals.errors} with errors,{' '}
            {preview.totals.duplicates} duplicates.
          </p>
          {!runId && (
            <button type="button" onClick={() => void start()} disabled={busy || preview.totals.ok === 0}>
              Issue {preview.totals.ok} credentials
            </button>
          )}
          <table>
            <caption className="visually-hidden">Rows of the file and whether they can be issued</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Messages</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.slice(0, shownRows).map((row) => (
                <tr key={row.row} className={`row-${row.status}`}>
                  <td>{row.row}</td>
                  <td>{row.email}</td>
                  <td>{row.name}</td>
                  <td>{statusWords[row.status]}</td>
                  <td>{[...row.messages, ...(row.notes ?? [])].join(' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.rows.length > shownRows && (
            <p className="muted">The first {shownRows} rows are shown; every row is checked.</p>
          )}
        </Panel>
      )}
      {runId && (
        <Panel title="Progress">
          <label htmlFor={`${fileId}-progress`}>Rows done</label>{' '}
          <progress id={`${fileId}-progress`} max={current?.total || 1} value={current?.done ?? 0} />{' '}
          <span aria-live="polite">
            {current ? `${current.done} of ${current.total}` : 'Starting…'}
            {finished ? ` · ${current.state}` : ''}
          </span>
          {current && (
            <p>
              {current.issued} issued, {current.existing} issued before, {current.errors} errors, {current.duplicates}{' '}
              duplicates.
            </p>
          )}
          {finished && (
            <ul>
              <li>
                <a href={`${base}/${runId}/errors.csv`} download>
                  Download the rows not issued (CSV)
                </a>
              </li>
              <li>
                <a href={`${base}/${runId}/claims.csv`} download>
                  Download the claim links (CSV)
                </a>
              </li>
            </ul>
          )}
        </Panel>
      )}
      <p>
        <Link to="/dashboard">Back to the dashboard</Link>
      </p>
    </div>
  );
}

/** One CSV cell: quoted, quotes doubled. */
const cell = (value: string) => `"${value.replaceAll('"', '""')}"`;

/** A ready file for one micro-credential: the header and an example row naming it (by title when unambiguous). */
function templateOf(achievement: string): string {
  const header = ['email', 'name', 'achievement', 'score', 'date', 'narrative', 'evidence_url'];
  const example = [
    'learner@example.org',
    'Learner Name',
    achievement,
    '',
    new Date().toISOString().slice(0, 10),
    '',
    '',
  ];
  return [header.join(','), example.map(cell).join(',')].join('\r\n') + '\r\n';
}

const fileNameOf = (title: string) =>
  `${
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'micro-credential'
  }-awards.csv`;

/** A CSV template per published micro-credential of the organization. */
function Templates({ orgId }: { orgId: string }) {
  const list = useQuery({
    queryKey: ['orgs', orgId, 'achievements'],
    queryFn: () =>
      api<{ achievements: AchievementRecord[] }>('GET', `/api/orgs/${orgId}/achievements`).then((r) => r.achievements),
  });
  const published = (list.data ?? []).filter((a) => a.status === 'published');
  const titles = published.map((a) => a.draft.title.trim().toLowerCase());
  return (
    <Panel title="CSV templates">
      <ErrorMessage error={list.error} />
      {list.data && published.length === 0 && <p className="empty">No published micro-credentials yet.</p>}
      {published.length > 0 && (
        <>
          <p className="hint">
            A ready file for each published micro-credential: fill in one row per learner and upload it below.
          </p>
          <ul>
            {published.map((a) => {
              // By its title when no other has it, else by its code (unique in the organization).
              const unique = titles.filter((t) => t === a.draft.title.trim().toLowerCase()).length === 1;
              return (
                <li key={a.id}>
                  <a
                    href={`data:text/csv;charset=utf-8,${encodeURIComponent(templateOf(unique ? a.draft.title : a.code))}`}
                    download={fileNameOf(a.draft.title)}
                  >
                    CSV template for {a.draft.title}
                  </a>{' '}
                  <span className="muted">
                    (code <span className="code">{a.code}</span>)
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </Panel>
  );
}
