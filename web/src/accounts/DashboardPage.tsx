import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, type Member, type Organization, type Role } from '../platform/api';
import { ErrorMessage, Field, Panel, fieldErrors, formatDate } from '../platform/components';
import { useSession } from './session';

const roleLabels: Record<Role, string> = {
  owner: 'Owner',
  issuer: 'Issuer',
  assessor: 'Assessor',
  employer: 'Employer',
};

export function DashboardPage() {
  const { session, currentOrg } = useSession();
  if (!session) return null;
  const roles = currentOrg?.roles ?? [];
  const acts = (role: Role) => roles.includes('owner') || roles.includes(role);
  return (
    <div className="dashboard">
      <h1>{currentOrg ? currentOrg.org.name : `Welcome, ${session.user.name}`}</h1>
      {currentOrg && (
        <p className="lede">
          Your roles here: {roles.map((r) => roleLabels[r]).join(', ')}. Switch organization in the header.
        </p>
      )}
      <ShareReminders />
      <div className="panels">
        <Panel title="My credentials">
          <p>
            <Link to="/wallet">See your credentials</Link> or <Link to="/catalog">find one to earn</Link>.
          </p>
          <ul className="link-list">
            <li>
              <Link to="/submissions">My submissions for review</Link>
            </li>
            <li>
              <Link to="/profile">My public profile</Link>
            </li>
          </ul>
        </Panel>
        {currentOrg && acts('issuer') && (
          <Panel title="Micro-credentials">
            <p>
              <Link to="/issuer">Open the issuer console</Link> to define micro-credentials and their tests.
            </p>
            <Link to="/issued">Issued credentials</Link>
            <Link to="/bulk-issue">Bulk issue from a CSV file</Link>
          </Panel>
        )}
        {currentOrg && acts('assessor') && (
          <Panel title="Review queue">
            <Link to="/reviews">Open the review queue</Link>
          </Panel>
        )}
        {currentOrg && acts('employer') && (
          <Panel title="Jobs and candidates">
            <p className="empty">No job posted yet.</p>
          </Panel>
        )}
        {currentOrg && roles.includes('owner') && <MembersPanel org={currentOrg.org} />}
        <CreateOrgPanel />
      </div>
    </div>
  );
}

interface Reminder {
  holdingId: string;
  name: string;
  earnedAt: string;
}

/** Credentials earned a few days ago and not shared yet: an invitation, until shared or dismissed. */
function ShareReminders() {
  const queryClient = useQueryClient();
  const reminders = useQuery({
    queryKey: ['me', 'reminders'],
    queryFn: () => api<{ reminders: Reminder[] }>('GET', '/api/me/reminders').then((r) => r.reminders),
  });
  const dismiss = useMutation({
    mutationFn: (holdingId: string) => api('POST', `/api/me/reminders/${holdingId}/dismiss`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me', 'reminders'] }),
  });
  // A running sharing experiment may put the learner in the arm without reminders (asking logs the exposure).
  const first = reminders.data?.[0]?.holdingId;
  const nudge = useQuery({
    queryKey: ['me', 'share-nudge', 'dashboard', first],
    queryFn: () =>
      api<{ reminder: boolean }>('POST', '/api/me/share-nudge', { holdingId: first, surface: 'dashboard' }),
    enabled: first !== undefined,
    staleTime: Infinity,
  });
  if (!reminders.data?.length || nudge.isPending || nudge.data?.reminder === false) return null;
  return (
    <section className="notice" aria-label="Reminders">
      <ErrorMessage error={dismiss.error} />
      <ul>
        {reminders.data.map((r) => (
          <li key={r.holdingId}>
            You earned <strong>{r.name}</strong> on {formatDate(r.earnedAt)} and have not shared it yet.{' '}
            <Link to={`/wallet/${r.holdingId}`}>Share it</Link>{' '}
            <button type="button" className="secondary" onClick={() => dismiss.mutate(r.holdingId)}>
              Dismiss<span className="visually-hidden"> the reminder for {r.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MembersPanel({ org }: { org: Organization }) {
  const queryClient = useQueryClient();
  const queryKey = ['orgs', org.id, 'members'];
  const members = useQuery({
    queryKey,
    queryFn: () => api<{ members: Member[] }>('GET', `/api/orgs/${org.id}/members`).then((r) => r.members),
  });
  const addMember = useMutation({
    mutationFn: (body: Record<string, FormDataEntryValue>) => api('POST', `/api/orgs/${org.id}/members`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
  });
  const error = members.error ?? addMember.error;

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    await addMember.mutateAsync(Object.fromEntries(new FormData(form))).then(
      () => form.reset(),
      () => undefined,
    );
  }

  return (
    <Panel title="Members">
      <table>
        <caption className="visually-hidden">Members of {org.name}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Roles</th>
          </tr>
        </thead>
        <tbody>
          {(members.data ?? []).map((m) => (
            <tr key={m.user.id}>
              <td>{m.user.name}</td>
              <td>{m.user.email}</td>
              <td>{m.roles.map((r) => roleLabels[r]).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={add} className="inline-form" noValidate>
        <ErrorMessage error={error} />
        <Field label="Member's email" name="email" type="email" required error={fieldErrors(error).email} />
        <div className="field">
          <label htmlFor="member-role">Role</label>
          <select id="member-role" name="role" defaultValue="issuer">
            {Object.entries(roleLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Add member</button>
      </form>
    </Panel>
  );
}

function CreateOrgPanel() {
  const { refresh, switchOrg } = useSession();
  const [error, setError] = useState<unknown>(null);
  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    try {
      const org = await api<Organization>('POST', '/api/orgs', Object.fromEntries(new FormData(form)));
      form.reset();
      await refresh();
      switchOrg(org.id);
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <Panel title="New organization">
      <p>Issue credentials or hire as a university, training provider or employer.</p>
      <form onSubmit={create} className="inline-form" noValidate>
        <ErrorMessage error={error} />
        <Field label="Organization name" name="name" required maxLength={120} error={fieldErrors(error).name} />
        <button type="submit">Create organization</button>
      </form>
    </Panel>
  );
}
