import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../platform/api';
import { ErrorMessage, Field, fieldErrors, formatDateTime, Loading, Panel } from '../platform/components';

interface Source {
  name: string;
  url: string;
  intervalMinutes: number;
  nextRefreshAt: string;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: 'pending' | 'ok' | 'failed';
  lastError: string | null;
  lastEntryCount: number | null;
}

const sourcesKey = ['admin', 'trust-registry-sources'];

const every = (minutes: number) =>
  minutes % 1440 === 0
    ? `every ${minutes / 1440 === 1 ? 'day' : `${minutes / 1440} days`}`
    : minutes % 60 === 0
      ? `every ${minutes / 60 === 1 ? 'hour' : `${minutes / 60} hours`}`
      : `every ${minutes} minutes`;

function status(source: Source): string {
  if (source.lastStatus === 'pending') return 'Not fetched yet';
  if (source.lastStatus === 'ok')
    return `Refreshed ${formatDateTime(source.lastAttemptAt!)}: ${source.lastEntryCount} issuer${source.lastEntryCount === 1 ? '' : 's'}`;
  const kept = source.lastSuccessAt
    ? `the entries of ${formatDateTime(source.lastSuccessAt)} stay in force`
    : 'nothing was imported yet';
  return `Refresh failed ${formatDateTime(source.lastAttemptAt!)} (${source.lastError ?? 'no reason given'}); ${kept}`;
}

/** Registries fetched from a URL on a schedule: where from, how often, and how the last refresh went. */
export function RegistrySources({ onChanged }: { onChanged: () => Promise<unknown> }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [hours, setHours] = useState('24');
  const sources = useQuery({
    queryKey: sourcesKey,
    queryFn: () => api<{ sources: Source[] }>('GET', '/api/admin/trust-registry-sources'),
    // A refresh runs in the background: look again while one is pending.
    refetchInterval: (query) => (query.state.data?.sources.some((s) => s.lastStatus === 'pending') ? 2000 : false),
  });
  const changed = () => Promise.all([queryClient.invalidateQueries({ queryKey: sourcesKey }), onChanged()]);
  const saving = useMutation({
    mutationFn: () =>
      api('PUT', `/api/admin/trust-registry-sources/${encodeURIComponent(name.trim())}`, {
        url,
        intervalMinutes: Math.round(Number(hours) * 60),
      }),
    onSuccess: changed,
  });
  const refreshing = useMutation({
    mutationFn: (sourceName: string) =>
      api('POST', `/api/admin/trust-registry-sources/${encodeURIComponent(sourceName)}/refresh`),
    onSuccess: () => setTimeout(() => void changed(), 1500),
  });
  const stopping = useMutation({
    mutationFn: (sourceName: string) =>
      api('DELETE', `/api/admin/trust-registry-sources/${encodeURIComponent(sourceName)}`),
    onSuccess: changed,
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    saving.mutate();
  }

  const errors = fieldErrors(saving.error);
  return (
    <Panel title="Refresh a registry from a URL">
      <p>
        The file is fetched at once and then on a schedule. A refresh that fails, or brings a file that is not a
        registry, changes nothing: the last good entries stay in force.
      </p>
      <form onSubmit={onSubmit}>
        <Field
          label="Name for the fetched registry"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={120}
          error={errors.name}
        />
        <Field
          label="Registry URL"
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          required
          placeholder="https://…/registry.json"
          error={errors.url}
        />
        <Field
          label="Every (hours)"
          type="number"
          min={0.25}
          max={168}
          step={0.25}
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          required
          error={errors.intervalMinutes}
        />
        <button type="submit" disabled={saving.isPending || !name.trim() || !url}>
          {saving.isPending ? 'Saving…' : 'Refresh from this URL'}
        </button>
      </form>
      <ErrorMessage error={saving.error} />
      {sources.isPending ? (
        <Loading />
      ) : sources.data?.sources.length ? (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">URL</th>
                <th scope="col">Last refresh</th>
                <th scope="col">Next</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sources.data.sources.map((source) => (
                <tr key={source.name}>
                  <td>{source.name}</td>
                  <td>
                    {source.url}
                    <div className="muted">{every(source.intervalMinutes)}</div>
                  </td>
                  <td className={source.lastStatus === 'failed' ? 'alert' : undefined}>{status(source)}</td>
                  <td>{formatDateTime(source.nextRefreshAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Refresh now: ${source.name}`}
                      disabled={refreshing.isPending}
                      onClick={() => refreshing.mutate(source.name)}
                    >
                      Refresh now
                    </button>{' '}
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Stop refreshing ${source.name}`}
                      disabled={stopping.isPending}
                      onClick={() => stopping.mutate(source.name)}
                    >
                      Stop
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">No registry is refreshed from a URL.</p>
      )}
      <ErrorMessage error={sources.error ?? refreshing.error ?? stopping.error} />
    </Panel>
  );
}
