import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading } from '../platform/components';
import type { IssuedCredential } from '../platform/types';
import { CredentialCard } from './CredentialCard';

export const myCredentialsKey = ['me', 'credentials'];
export const fetchMyCredentials = () =>
  api<{ credentials: IssuedCredential[] }>('GET', '/api/me/credentials').then((r) => r.credentials);

/** Every credential issued to the signed-in learner on this instance. */
export function MyCredentialsPage() {
  const list = useQuery({ queryKey: myCredentialsKey, queryFn: fetchMyCredentials });
  return (
    <div className="learner">
      <h1>My credentials</h1>
      <ErrorMessage error={list.error} />
      {list.isPending && <Loading />}
      {list.data?.length === 0 && (
        <p className="empty">
          You have no credentials yet. <Link to="/catalog">Find a micro-credential</Link> and pass its test.
        </p>
      )}
      {list.data && list.data.length > 0 && (
        <ul className="cards" aria-label="Credentials">
          {list.data.map((c) => (
            <CredentialCard key={c.id} credential={c} />
          ))}
        </ul>
      )}
    </div>
  );
}
