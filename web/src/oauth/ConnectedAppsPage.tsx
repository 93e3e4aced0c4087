import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../platform/api';
import { ErrorMessage, formatDate, Loading } from '../platform/components';

interface ConnectedApplication {
  clientId: string;
  name: string;
  logoUri: string | null;
  clientUri: string | null;
  scopes: { scope: string; words: string }[];
  connectedAt: string;
}

const key = ['connected-apps'];

/** The applications the learner allowed into their wallet (OAuth 2.0), each with what it may do; disconnect any. */
export function ConnectedAppsPage() {
  const queryClient = useQueryClient();
  const apps = useQuery({
    queryKey: key,
    queryFn: () => api<{ applications: ConnectedApplication[] }>('GET', '/api/me/connected-apps'),
  });
  const disconnect = useMutation({
    mutationFn: (clientId: string) => api('DELETE', `/api/me/connected-apps/${encodeURIComponent(clientId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  return (
    <div>
      <h1>Connected applications</h1>
      <p>
        Applications you allowed to use your wallet through the Open Badges 3.0 API. Disconnecting one revokes every
        access it holds at once.
      </p>
      <ErrorMessage error={apps.error ?? disconnect.error} />
      {apps.isPending ? (
        <Loading />
      ) : apps.data?.applications.length ? (
        <ul className="connected-apps">
          {apps.data.applications.map((app) => (
            <li key={app.clientId} className="panel">
              <h2>{app.name}</h2>
              <p>
                Connected on {formatDate(app.connectedAt)}
                {app.clientUri && (
                  <>
                    {' · '}
                    <a href={app.clientUri}>{app.clientUri}</a>
                  </>
                )}
              </p>
              <ul>
                {app.scopes.map((s) => (
                  <li key={s.scope}>{s.words}</li>
                ))}
              </ul>
              <button
                type="button"
                className="secondary"
                onClick={() => disconnect.mutate(app.clientId)}
                disabled={disconnect.isPending}
              >
                Disconnect {app.name}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>No application is connected to your wallet.</p>
      )}
    </div>
  );
}
