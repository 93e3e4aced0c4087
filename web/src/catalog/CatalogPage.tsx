import { useQuery } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../platform/api';
import { BadgeImage, ErrorMessage, Field, Loading, Select } from '../platform/components';
import type { PublishedVersion } from '../platform/types';
import { SkillFilter } from '../skills/SkillFilter';

const eqfOptions = [
  ['', 'Any level'],
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => [String(n), `EQF ${n}`] as const),
] as const;
const filters = ['q', 'skill', 'eqf', 'maxHours', 'issuer'] as const;

const catalogUrl = (params: URLSearchParams) => {
  const query = new URLSearchParams();
  for (const name of filters) {
    const value = params.get(name)?.trim();
    if (value) query.set(name, value);
  }
  query.set('limit', '50');
  return `/api/catalog?${query}`;
};

/** Published micro-credentials, searchable by text, skill, EQF level, workload and issuer. */
export function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const results = useQuery({
    queryKey: ['catalog', params.toString()],
    queryFn: () => api<{ achievements: PublishedVersion[] }>('GET', catalogUrl(params)).then((r) => r.achievements),
  });
  // The issuers to filter by: those with anything published.
  const everything = useQuery({
    queryKey: ['catalog', 'issuers'],
    queryFn: () =>
      api<{ achievements: PublishedVersion[] }>('GET', '/api/catalog?limit=100').then((r) => r.achievements),
  });
  const issuers = [...new Map((everything.data ?? []).map((a) => [a.issuer.id, a.issuer.name])).entries()];

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of [...filters, 'skillName']) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  }

  return (
    <div className="learner catalog">
      <h1>Catalog</h1>
      <p className="lede">Micro-credentials you can earn, with what they cover and how they are assessed.</p>
      <form className="search panel" role="search" aria-label="Catalog" onSubmit={search} key={params.toString()}>
        <div className="grid-3">
          <Field label="Search" name="q" type="search" defaultValue={params.get('q') ?? ''} />
          <SkillFilter code={params.get('skill') ?? ''} name={params.get('skillName') ?? ''} />
          <Select label="EQF level" name="eqf" options={eqfOptions} defaultValue={params.get('eqf') ?? ''} />
          <Field
            label="At most (hours)"
            name="maxHours"
            type="number"
            min={1}
            defaultValue={params.get('maxHours') ?? ''}
          />
          <Select
            label="Issuer"
            name="issuer"
            options={[['', 'Any issuer'], ...issuers]}
            defaultValue={params.get('issuer') ?? ''}
          />
        </div>
        <div className="actions">
          <button type="submit">Search</button>
          {[...params.keys()].length > 0 && (
            <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
              Clear
            </button>
          )}
        </div>
      </form>
      <ErrorMessage error={results.error} />
      {results.isPending && <Loading />}
      {results.data && (
        <section aria-label="Results">
          <p className="muted" role="status">
            {results.data.length === 1 ? '1 micro-credential' : `${results.data.length} micro-credentials`}
          </p>
          <ul className="cards">
            {results.data.map((a) => (
              <CatalogCard key={a.achievementId} version={a} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function CatalogCard({ version: v }: { version: PublishedVersion }) {
  const d = v.definition;
  return (
    <li className="card">
      <BadgeImage src={v.image} />
      <h2>
        <Link to={`/catalog/${v.achievementId}`}>{d.title}</Link>
      </h2>
      <p className="muted">
        {v.issuer.name} · <span className="code">{v.code}</span>
      </p>
      <p className="clamp">{d.description}</p>
      <p className="meta">
        {d.workloadHours} hours{d.ectsCredits ? ` · ${d.ectsCredits} ECTS` : ''}
        {d.eqfLevel ? ` · EQF ${d.eqfLevel}` : ''}
      </p>
      {d.skills.length > 0 && <p className="meta">Skills: {d.skills.map((s) => s.name).join(', ')}</p>}
    </li>
  );
}
