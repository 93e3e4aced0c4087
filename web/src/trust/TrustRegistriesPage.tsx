import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../platform/api';
import { ErrorMessage, Field, fieldErrors, formatDateTime, Loading, Panel } from '../platform/components';
import { useSession } from '../accounts/session';
import { RegistrySources } from './RegistrySources';

interface Registry {
  name: string;
  entryCount: number;
  meta: { created?: string; updated?: string };
  createdAt: string;
  updatedAt: string;
}

interface Issuer {
  did: string;
  name: string;
  registry: string;
  url: string | null;
  location: string | null;
  local: boolean;
}

const registriesKey = ['admin', 'trust-registries'];
const issuersKey = ['trust', 'issuers'];

/** Instance admins import the registries of issuers this instance trusts (DCC issuer-registry files). */
export function TrustRegistriesPage() {
  const { session } = useSession();
  if (!session?.isAdmin) {
    return (
      <div>
        <h1>Trusted issuers</h1>
        <p>Only instance admins manage the registry of trusted issuers.</p>
      </div>
    );
  }
  return <AdminTrust />;
}

function AdminTrust() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const fileId = useId();
  const registries = useQuery({
    queryKey: registriesKey,
    queryFn: () => api<{ registries: Registry[] }>('GET', '/api/admin/trust-registries'),
  });
  const issuers = useQuery({
    queryKey: issuersKey,
    queryFn: () => api<{ issuers: Issuer[] }>('GET', '/api/trust/issuers'),
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: registriesKey }),
      queryClient.invalidateQueries({ queryKey: issuersKey }),
    ]);
  const importing = useMutation({
    mutationFn: async (input: { name: string; file: File }) =>
      api<{ registry: Registry; replaced: boolean }>('POST', '/api/admin/trust-registries', {
        name: input.name,
        registry: await input.file.text(),
      }),
    onSuccess: async ({ registry, replaced }) => {
      setDone(
        `${replaced ? 'Replaced' : 'Imported'} "${registry.name}": ${registry.entryCount} issuer${registry.entryCount === 1 ? '' : 's'}.`,
      );
      await refresh();
    },
  });
  const removing = useMutation({
    mutationFn: (registryName: string) =>
      api('DELETE', `/api/admin/trust-registries/${encodeURIComponent(registryName)}`),
    onSuccess: refresh,
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    if (file) importing.mutate({ name, file });
  }

  const errors = fieldErrors(importing.error);
  return (
    <div className="verify">
      <h1>Trusted issuers</h1>
      <p className="lede">
        Verification tells people whether this instance knows a credential&apos;s issuer: its own organizations, and the
        issuers listed in the registries imported here (Digital Credentials Consortium issuer-registry format).
        Importing a registry under a name it already has replaces its entries.
      </p>
      <Panel title="Import a registry">
        <form onSubmit={onSubmit}>
          <Field
            label="Registry name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={120}
            error={errors.name}
          />
          <div className="field">
            <label htmlFor={fileId}>Registry file (registry.json)</label>
            <input
              id={fileId}
              type="file"
              accept=".json,application/json"
              required
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </div>
          <button type="submit" disabled={importing.isPending || !file || !name.trim()}>
            {importing.isPending ? 'Importing…' : 'Import'}
          </button>
        </form>
        <ErrorMessage error={importing.error} />
        {done && (
          <p className="notice" role="status">
            {done}
          </p>
        )}
      </Panel>
      <RegistrySources onChanged={refresh} />
      <Panel title="Imported registries">
        {registries.isPending ? (
          <Loading />
        ) : registries.data?.registries.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Issuers</th>
                <th scope="col">Imported</th>
                <th scope="col">File updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {registries.data.registries.map((registry) => (
                <tr key={registry.name}>
                  <td>{registry.name}</td>
                  <td>{registry.entryCount}</td>
                  <td>{formatDateTime(registry.updatedAt)}</td>
                  <td>{registry.meta.updated ?? '—'}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Remove ${registry.name}`}
                      disabled={removing.isPending}
                      onClick={() => removing.mutate(registry.name)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="empty">No registry imported yet.</p>
        )}
        <ErrorMessage error={registries.error ?? removing.error} />
      </Panel>
      <Panel title="Known issuers">
        {issuers.isPending ? (
          <Loading />
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">DID</th>
                  <th scope="col">Listed by</th>
                </tr>
              </thead>
              <tbody>
                {issuers.data?.issuers.map((issuer) => (
                  <tr key={`${issuer.registry}|${issuer.did}`}>
                    <td>
                      {issuer.name}
                      {issuer.location && <div className="muted">{issuer.location}</div>}
                    </td>
                    <td>{issuer.did}</td>
                    <td>{issuer.registry}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ErrorMessage error={issuers.error} />
      </Panel>
    </div>
  );
}
