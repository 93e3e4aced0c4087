import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../platform/api';
import { ErrorMessage, Field, Loading, Panel, fieldErrors, formatDate } from '../platform/components';

interface Profile {
  handle: string;
  displayName: string;
  enabled: boolean;
  holdingIds: string[];
  url: string | null;
  choices: { id: string; name: string }[];
}

const profileKey = ['me', 'profile'];

/** The opt-in public profile: off by default; the learner picks its handle, name and credentials. */
export function ProfilePage() {
  const profile = useQuery({ queryKey: profileKey, queryFn: () => api<Profile>('GET', '/api/me/profile') });
  return (
    <div className="learner">
      <h1>Public profile</h1>
      <p className="lede">
        One page listing the credentials you choose, each verified whenever someone opens it. It is off until you turn
        it on.
      </p>
      <ErrorMessage error={profile.error} />
      {profile.isPending && <Loading />}
      {profile.data && <ProfileForm profile={profile.data} />}
      <MyShares />
    </div>
  );
}

interface SharedCredential {
  holdingId: string;
  name: string;
  live: boolean;
  url: string | null;
  sharedAt: string;
  withdrawnAt: string | null;
  views: number;
  actions: Record<string, number>;
}

const actionLabels: Record<string, string> = {
  'linkedin-profile': 'LinkedIn profile',
  'linkedin-feed': 'LinkedIn post',
  copy: 'link copied',
  email: 'email',
  embed: 'embed',
  download: 'image download',
  certificate: 'certificate',
};

/** Every credential I made public: its page, how often it was opened, and how I shared it. */
function MyShares() {
  const shares = useQuery({
    queryKey: ['me', 'sharing'],
    queryFn: () => api<{ shares: SharedCredential[] }>('GET', '/api/me/sharing').then((r) => r.shares),
  });
  return (
    <Panel title="Shared credentials">
      <ErrorMessage error={shares.error} />
      {shares.data?.length === 0 && <p className="empty">You have not made any credential public.</p>}
      {!!shares.data?.length && (
        <table>
          <caption className="visually-hidden">Shared credentials</caption>
          <thead>
            <tr>
              <th scope="col">Credential</th>
              <th scope="col">Public page</th>
              <th scope="col">Views</th>
              <th scope="col">Shared by</th>
            </tr>
          </thead>
          <tbody>
            {shares.data.map((s) => (
              <tr key={s.holdingId}>
                <td>{s.name}</td>
                <td>
                  {s.url ? (
                    <a href={s.url} target="_blank" rel="noopener">
                      Open<span className="visually-hidden"> the public page of {s.name}</span>
                    </a>
                  ) : (
                    `Withdrawn ${formatDate(s.withdrawnAt)}`
                  )}
                </td>
                <td>{s.views}</td>
                <td>
                  {Object.entries(s.actions)
                    .map(([kind, n]) => `${actionLabels[kind] ?? kind} ×${n}`)
                    .join(', ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function ProfileForm({ profile }: { profile: Profile }) {
  const queryClient = useQueryClient();
  const [handle, setHandle] = useState(profile.handle);
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [enabled, setEnabled] = useState(profile.enabled);
  const [chosen, setChosen] = useState(new Set(profile.holdingIds));
  const save = useMutation({
    mutationFn: () => api<Profile>('PUT', '/api/me/profile', { handle, displayName, enabled, holdingIds: [...chosen] }),
    onSuccess: (saved) => queryClient.setQueryData(profileKey, saved),
  });
  const errors = fieldErrors(save.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }
  function toggle(id: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Panel title="Your page">
        <ErrorMessage error={save.error} />
        {save.isSuccess && <p role="status">Profile saved.</p>}
        {profile.url && (
          <p>
            Live at{' '}
            <a href={profile.url} target="_blank" rel="noopener">
              {profile.url}
            </a>
          </p>
        )}
        <Field
          label="Handle"
          hint="Lower-case letters, digits and dashes; your page's address ends with it."
          value={handle}
          maxLength={40}
          onChange={(e) => setHandle(e.target.value)}
          error={errors.handle}
        />
        <Field
          label="Name shown"
          value={displayName}
          maxLength={120}
          onChange={(e) => setDisplayName(e.target.value)}
          error={errors.displayName}
        />
        <div className="field">
          <label>
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Show my public
            profile
          </label>
        </div>
      </Panel>
      <Panel title="Credentials on it">
        {profile.choices.length === 0 ? (
          <p className="empty">You have no credentials yet.</p>
        ) : (
          <fieldset>
            <legend>Choose the credentials to list (each one listed gets a public page)</legend>
            {profile.choices.map((c) => (
              <div key={c.id} className="field">
                <label>
                  <input type="checkbox" checked={chosen.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />{' '}
                  {c.name}
                </label>
              </div>
            ))}
          </fieldset>
        )}
      </Panel>
      <button type="submit" disabled={save.isPending}>
        Save profile
      </button>
    </form>
  );
}
