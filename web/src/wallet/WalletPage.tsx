import { useQuery } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../platform/api';
import { BadgeImage, ErrorMessage, EuFactList, Field, formatDate, Loading } from '../platform/components';
import { statusLabels, walletKey, type WalletItem, type WalletList } from './wallet-api';
import { TranscriptAndZip } from './ExportMenu';

const filterNames = ['q', 'issuer', 'skill', 'status', 'expiringWithinDays'] as const;

/** Every credential the learner holds, issued here or imported: search, filter, open one. */
export function WalletPage() {
  const [params, setParams] = useSearchParams();
  const issuerId = useId();
  const skillId = useId();
  const statusId = useId();
  const expiryId = useId();
  const query = new URLSearchParams();
  for (const name of filterNames) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  const list = useQuery({
    queryKey: [...walletKey, query.toString()],
    queryFn: () => api<WalletList>('GET', `/api/me/wallet${query.size ? `?${query}` : ''}`),
  });
  const facets = list.data?.facets;

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of filterNames) {
      const value = String(data.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  }

  return (
    <div className="stack wallet">
      <h1>My credentials</h1>
      <p className="lede">
        Everything you have earned here and every credential you brought from elsewhere, checked with its issuer.{' '}
        <Link to="/wallet/import">Import a credential</Link>
      </p>
      <form
        className="filters"
        role="search"
        aria-label="My credentials"
        onSubmit={search}
        noValidate
        key={params.toString()}
      >
        <Field label="Search" name="q" type="search" maxLength={200} defaultValue={params.get('q') ?? ''} />
        <div className="field">
          <label htmlFor={issuerId}>Issuer</label>
          <select id={issuerId} name="issuer" defaultValue={params.get('issuer') ?? ''}>
            <option value="">Any</option>
            {facets?.issuers.map((issuer) => (
              <option key={issuer.id ?? issuer.name} value={issuer.id ?? issuer.name ?? ''}>
                {issuer.name ?? issuer.id}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={skillId}>Skill</label>
          <select id={skillId} name="skill" defaultValue={params.get('skill') ?? ''}>
            <option value="">Any</option>
            {facets?.skills.map((skill) => (
              <option key={skill} value={skill}>
                {skill}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} name="status" defaultValue={params.get('status') ?? ''}>
            <option value="">Any</option>
            {Object.entries(statusLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={expiryId}>Expiring</label>
          <select id={expiryId} name="expiringWithinDays" defaultValue={params.get('expiringWithinDays') ?? ''}>
            <option value="">Any time or never</option>
            <option value="30">Within 30 days</option>
            <option value="90">Within 90 days</option>
            <option value="365">Within a year</option>
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      <ErrorMessage error={list.error} />
      {list.isPending && <Loading />}
      {list.data && list.data.total === 0 && (
        <p className="empty">
          Your wallet is empty. <Link to="/catalog">Find a micro-credential</Link> to earn, or{' '}
          <Link to="/wallet/import">import one</Link> you earned elsewhere.
        </p>
      )}
      {list.data && list.data.total > 0 && (
        <>
          <p aria-live="polite">
            {list.data.items.length === list.data.total
              ? `${list.data.total} credential${list.data.total === 1 ? '' : 's'}.`
              : `${list.data.items.length} of ${list.data.total} credentials match.`}
          </p>
          {list.data.items.length > 0 && (
            <ul className="cards" aria-label="Credentials">
              {list.data.items.map((item) => (
                <WalletCard key={item.id} item={item} />
              ))}
            </ul>
          )}
          <TranscriptAndZip />
        </>
      )}
    </div>
  );
}

function WalletCard({ item }: { item: WalletItem }) {
  return (
    <li className="card credential">
      <BadgeImage src={item.image} />
      <h2 className="card-title">
        <Link to={`/wallet/${item.id}`}>{item.name}</Link>
      </h2>
      <p className="muted">
        {item.issuer.name ? `Issued by ${item.issuer.name}` : 'Issuer not named'}
        {' · '}
        {item.kind === 'issued' ? 'Earned here' : 'Imported'}
      </p>
      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`badge ${item.status}`}>{statusLabels[item.status]}</span>
          </dd>
        </div>
        <div>
          <dt>Issued</dt>
          <dd>{formatDate(item.issuedAt)}</dd>
        </div>
        <div>
          <dt>Valid until</dt>
          <dd>{item.validUntil ? formatDate(item.validUntil) : 'No expiry'}</dd>
        </div>
      </dl>
      {item.skills.length > 0 && (
        <>
          <h3 className="card-label">Skills</h3>
          <ul className="skills" aria-label={`Skills of ${item.name}`}>
            {item.skills.map((skill) => (
              <li key={`${skill.code ?? ''}-${skill.name}`}>{skill.name}</li>
            ))}
          </ul>
        </>
      )}
      {item.facts.length > 0 && (
        <>
          <h3 className="card-label">Micro-credential facts</h3>
          <EuFactList facts={item.facts} label={`Micro-credential facts of ${item.name}`} />
        </>
      )}
    </li>
  );
}
