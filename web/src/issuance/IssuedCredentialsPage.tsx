import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../platform/api';
import { ErrorMessage, Field } from '../platform/components';
import { useSession } from '../accounts/session';
import { ShareStats } from '../sharing/ShareStats';
import '../review/review.css';

type Status = 'active' | 'suspended' | 'revoked' | 'expired';
interface Issued {
  id: string;
  credentialId: string;
  name: string | null;
  issuedAt: string;
  validUntil: string | null;
  status: Status;
  revocationReason: string | null;
  suspendable: boolean;
  achievementId: string | null;
  recipientName: string | null;
  recipientEmail: string | null;
}

const statusLabels: Record<Status, string> = {
  active: 'Active',
  suspended: 'Suspended',
  revoked: 'Revoked',
  expired: 'Expired',
};
const pageSize = 20;

function RevokeForm({ credential, onDone }: { credential: Issued; onDone: () => void }) {
  const { currentOrg } = useSession();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const revoke = useMutation({
    mutationFn: () => api('POST', `/api/orgs/${currentOrg!.org.id}/credentials/${credential.id}/revoke`, { reason }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['orgs', currentOrg!.org.id, 'issued'] });
      onDone();
    },
  });
  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        revoke.mutate();
      }}
    >
      <ErrorMessage error={revoke.error} />
      <Field
        label={`Reason for revoking ${credential.name ?? 'this credential'}`}
        value={reason}
        maxLength={500}
        required
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="actions">
        <button type="submit" disabled={revoke.isPending}>
          Revoke for good
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The issuer's list of what their organization issued: search, filter, revoke, suspend. */
export function IssuedCredentialsPage() {
  const { currentOrg } = useSession();
  const orgId = currentOrg?.org.id;
  const queryClient = useQueryClient();
  const statusId = useId();
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [offset, setOffset] = useState(0);
  const [revoking, setRevoking] = useState<string | null>(null);
  const query = new URLSearchParams({
    ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)),
    limit: String(pageSize),
    offset: String(offset),
  });
  const issued = useQuery({
    queryKey: ['orgs', orgId, 'issued', query.toString()],
    enabled: Boolean(orgId),
    queryFn: () => api<{ credentials: Issued[]; total: number }>('GET', `/api/orgs/${orgId}/credentials?${query}`),
  });
  const change = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'suspend' | 'unsuspend' }) =>
      api('POST', `/api/orgs/${orgId}/credentials/${id}/${action}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'issued'] }),
  });

  if (!currentOrg) return <p>Choose an organization in the header to see what it issued.</p>;

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    setFilters(data);
    setOffset(0);
  }

  const total = issued.data?.total ?? 0;
  return (
    <div className="stack">
      <h1>Issued credentials</h1>
      <form className="filters" role="search" aria-label="Issued credentials" onSubmit={search} noValidate>
        <Field label="Recipient or credential name" name="q" type="search" maxLength={200} />
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} name="status" defaultValue="">
            <option value="">Any</option>
            {Object.entries(statusLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Field label="Issued from" name="issuedFrom" type="date" />
        <Field label="Issued to" name="issuedTo" type="date" />
        <button type="submit">Search</button>
      </form>
      <ErrorMessage error={issued.error ?? change.error} />
      {issued.isLoading && <p aria-busy="true">Loading…</p>}
      {issued.data && (
        <>
          <p aria-live="polite">
            {total === 0
              ? 'No credential matches.'
              : `Showing ${offset + 1}–${Math.min(offset + pageSize, total)} of ${total}.`}
          </p>
          {total > 0 && (
            <table>
              <caption className="visually-hidden">Credentials issued by {currentOrg.org.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Credential</th>
                  <th scope="col">Recipient</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Valid until</th>
                  <th scope="col">Status</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {issued.data.credentials.map((c) => (
                  <tr key={c.id}>
                    <td>{c.name ?? c.credentialId}</td>
                    <td>{c.recipientName ? `${c.recipientName} (${c.recipientEmail})` : 'No account here'}</td>
                    <td>{new Date(c.issuedAt).toLocaleDateString()}</td>
                    <td>{c.validUntil ? new Date(c.validUntil).toLocaleDateString() : 'No end'}</td>
                    <td>
                      <span className={`badge ${c.status}`}>{statusLabels[c.status]}</span>
                      {c.revocationReason && <span className="hint"> {c.revocationReason}</span>}
                    </td>
                    <td>
                      {c.status !== 'revoked' &&
                        (revoking === c.id ? (
                          <RevokeForm credential={c} onDone={() => setRevoking(null)} />
                        ) : (
                          <div className="actions">
                            <button
                              type="button"
                              className="secondary"
                              aria-label={`Revoke ${c.name ?? 'credential'} of ${c.recipientName ?? 'recipient'}`}
                              onClick={() => setRevoking(c.id)}
                            >
                              Revoke
                            </button>
                            {c.suspendable && (
                              <button
                                type="button"
                                className="secondary"
                                disabled={change.isPending}
                                onClick={() =>
                                  change.mutate({
                                    id: c.id,
                                    action: c.status === 'suspended' ? 'unsuspend' : 'suspend',
                                  })
                                }
                              >
                                {c.status === 'suspended' ? 'Lift suspension' : 'Suspend'}
                              </button>
                            )}
                          </div>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - pageSize))}
            >
              Previous page
            </button>
            <button
              type="button"
              className="secondary"
              disabled={offset + pageSize >= total}
              onClick={() => setOffset(offset + pageSize)}
            >
              Next page
            </button>
          </div>
        </>
      )}
      <ShareStats orgId={currentOrg.org.id} />
    </div>
  );
}
