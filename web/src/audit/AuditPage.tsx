import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSession } from '../accounts/session';
import { api } from '../platform/api';
import { ErrorMessage, Field, formatDateTime, Loading } from '../platform/components';

interface Entry {
  id: string;
  at: string;
  action: string;
  outcome: 'done' | 'refused';
  actor: { kind: string; userId: string | null; email: string | null };
  orgId: string | null;
  target: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

const pageSize = 50;

/**
 * The audit log of sensitive actions: an organization's owners read its entries, instance admins every entry;
 * both filter by action and export what they see as CSV. Nothing here changes an entry: none can be changed.
 */
export function AuditPage() {
  const { session, currentOrg } = useSession();
  const owner = currentOrg?.roles.includes('owner') ? currentOrg : null;
  const [scope, setScope] = useState<'org' | 'instance'>(owner ? 'org' : 'instance');
  const [action, setAction] = useState('');
  const [filter, setFilter] = useState('');
  if (!session?.isAdmin && !owner) {
    return (
      <div>
        <h1>Audit log</h1>
        <p>Only an organization&apos;s owners and instance admins read the audit log.</p>
      </div>
    );
  }
  const instance = scope === 'instance' && session?.isAdmin;
  const base = instance || !owner ? '/api/admin/audit' : `/api/orgs/${owner.org.id}/audit`;
  const query = filter ? `action=${encodeURIComponent(filter)}` : '';
  return (
    <div>
      <h1>Audit log</h1>
      <p className="lede">
        Sensitive actions, newest first: who did what, when, on which organization and from where. Entries cannot be
        changed; they are kept for the instance&apos;s retention period.
      </p>
      {owner && session?.isAdmin && (
        <fieldset className="field">
          <legend>Whose log</legend>
          <label>
            <input type="radio" checked={!instance} onChange={() => setScope('org')} /> {owner.org.name}
          </label>{' '}
          <label>
            <input type="radio" checked={Boolean(instance)} onChange={() => setScope('instance')} /> The whole instance
          </label>
        </fieldset>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setFilter(action.trim());
        }}
      >
        <Field
          label="Action (a name, or a family ending in a dot: credential.)"
          value={action}
          onChange={(e) => setAction(e.target.value)}
          maxLength={100}
          pattern="[a-z0-9.\-]*"
        />
        <button type="submit">Filter</button>{' '}
        <a className="button secondary" href={`${base}.csv${query ? `?${query}` : ''}`} download>
          Export as CSV
        </a>
      </form>
      <AuditTable key={`${base}?${query}`} base={base} query={query} />
    </div>
  );
}

function AuditTable({ base, query }: { base: string; query: string }) {
  const log = useInfiniteQuery({
    queryKey: ['audit', base, query],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<{ entries: Entry[]; retentionDays: number }>(
        'GET',
        `${base}?limit=${pageSize}${query ? `&${query}` : ''}${pageParam ? `&before=${pageParam}` : ''}`,
      ),
    getNextPageParam: (last) => (last.entries.length === pageSize ? last.entries.at(-1)!.id : undefined),
  });
  if (log.isPending) return <Loading />;
  if (log.error) return <ErrorMessage error={log.error} />;
  const entries = log.data.pages.flatMap((page) => page.entries);
  if (entries.length === 0) return <p>No entries.</p>;
  return (
    <>
      <table>
        <caption>
          {entries.length} entr{entries.length === 1 ? 'y' : 'ies'} shown; kept {log.data.pages[0]!.retentionDays} days
        </caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Who</th>
            <th scope="col">On</th>
            <th scope="col">From</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td>{formatDateTime(entry.at)}</td>
              <td>
                {entry.action}
                {entry.outcome === 'refused' && ' (refused)'}
              </td>
              <td>{entry.actor.email ?? (entry.actor.kind === 'command' ? 'a command on the server' : 'nobody')}</td>
              <td>{entry.target ?? ''}</td>
              <td title={entry.userAgent ?? undefined}>{entry.ip ?? ''}</td>
              <td>
                <code>{JSON.stringify(entry.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {log.hasNextPage && (
        <button
          type="button"
          className="secondary"
          onClick={() => log.fetchNextPage()}
          disabled={log.isFetchingNextPage}
        >
          {log.isFetchingNextPage ? 'Loading…' : 'Older entries'}
        </button>
      )}
    </>
  );
}
