import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel, formatDate } from '../platform/components';
import { PathwayState } from './PathwaysPage';
import { pathwaysKey, type NodeProgress, type PathwayProgress, type Route } from './pathways-api';

const unitText = (unit: 'ECTS' | 'hours') => (unit === 'ECTS' ? 'ECTS credits' : 'hours');

/** One requirement and what is done of it, with its parts below. */
function NodeView({ node }: { node: NodeProgress }) {
  const state = node.complete ? 'Done' : 'To do';
  return (
    <li className={`pathway-node ${node.complete ? 'done' : 'todo'}`}>
      <span className={`badge ${node.complete ? 'active' : ''}`}>{state}</span> <strong>{node.label}</strong>
      {node.done && (
        <span className="muted">
          {' '}
          · {node.done.complete} of {node.done.needed} needed
        </span>
      )}
      {node.credits && (
        <span className="muted">
          {' '}
          · {node.credits.counted} of {node.credits.min} {unitText(node.credits.unit)} counted
        </span>
      )}
      {node.type === 'component' && node.satisfiedBy && (
        <span className="muted">
          {' '}
          · by “{node.satisfiedBy.name}”{node.satisfiedBy.issuer ? ` from ${node.satisfiedBy.issuer}` : ''}
          {node.satisfiedBy.via === 'recognition' ? ' (recognized)' : ''}
        </span>
      )}
      {node.children.length > 0 && (
        <ul>
          {node.children.map((child) => (
            <NodeView key={child.key} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

function RouteView({ route }: { route: Route }) {
  if (route.status === 'complete') return <p>Nothing left: your credentials complete this pathway.</p>;
  if (route.status === 'impossible') return <p>No way to finish with what is published here: {route.reason}</p>;
  return (
    <>
      <p>
        {route.steps.length} micro-credential{route.steps.length === 1 ? '' : 's'}, {route.totalHours} h in all
        {route.status === 'optimal' ? ' (the fewest hours)' : ' (the best found in the time allowed)'}:
      </p>
      <ol aria-label="Cheapest route">
        {route.steps.map((step) => (
          <li key={step.component}>
            <Link to={`/catalog/${step.achievementId}`}>{step.name}</Link> — {step.issuer.name}, {step.hours} h
            {step.ectsCredits !== null ? `, ${step.ectsCredits} ECTS` : ''}
          </li>
        ))}
      </ol>
    </>
  );
}

/** Downloads the awarded pathway as a CLR 2.0 credential signed by this instance. */
function ClrDownload({ pathwayId, title }: { pathwayId: string; title: string }) {
  const download = useMutation({
    mutationFn: () =>
      api<{ clr: unknown; leftOut: { name: string; reason: string }[] }>('GET', `/api/me/pathways/${pathwayId}/clr`),
    onSuccess: ({ clr }) => {
      const url = URL.createObjectURL(new Blob([JSON.stringify(clr, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${title.replace(/[^\w-]+/g, '-').toLowerCase()}-clr.json`;
      link.click();
      URL.revokeObjectURL(url);
    },
  });
  return (
    <div>
      <button type="button" className="secondary" onClick={() => download.mutate()} disabled={download.isPending}>
        Download as CLR 2.0 transcript
      </button>
      <ErrorMessage error={download.error} />
      {download.data && download.data.leftOut.length > 0 && (
        <p className="hint" role="status">
          Left out: {download.data.leftOut.map((l) => `${l.name} (${l.reason})`).join('; ')}
        </p>
      )}
    </div>
  );
}

/** A learner's progress on one pathway: the tree, what remains, credits, what does not count and the cheapest route. */
export function PathwayProgressPage() {
  const { pathwayId = '' } = useParams();
  const progress = useQuery({
    queryKey: [...pathwaysKey, pathwayId],
    queryFn: () => api<PathwayProgress>('GET', `/api/me/pathways/${pathwayId}`),
    staleTime: 0,
  });
  if (progress.isPending) return <Loading />;
  if (progress.error) return <ErrorMessage error={progress.error} />;
  const p = progress.data;
  return (
    <div className="stack pathway-progress">
      <p>
        <Link to="/pathways">← My pathways</Link>
      </p>
      <h1>{p.title}</h1>
      <p className="lede">
        {p.issuer.name} · leads to {p.destination.name ?? 'its certificate'} · version {p.version} ·{' '}
        <PathwayState summary={p} />
      </p>
      {p.definition.description && <p>{p.definition.description}</p>}
      {p.award?.state === 'issued' && p.award.credentialId && (
        <div className="notice" role="status">
          <p>
            {p.issuer.name} awarded you {p.destination.name ?? 'this pathway'} on {formatDate(p.award.issuedAt)}.{' '}
            <Link to={`/wallet/${p.award.credentialId}`}>See it in your wallet</Link>
          </p>
          <ClrDownload pathwayId={p.pathwayId} title={p.title} />
        </div>
      )}
      <Panel title="Progress">
        <p>
          {p.satisfied} of {p.components} components held.
        </p>
        <ul className="pathway-tree" aria-label="Requirements">
          <NodeView node={p.progress.tree} />
        </ul>
      </Panel>
      <Panel title="What remains">
        {p.progress.remaining.length === 0 ? (
          <p>Nothing: every requirement is met.</p>
        ) : (
          <ul>
            {p.progress.remaining.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        )}
        {p.progress.offRamps.length > 0 && (
          <>
            <h3>Awards on the way</h3>
            <ul>
              {p.progress.offRamps.map((r) => (
                <li key={r.node}>
                  <Link to={`/catalog/${r.achievementId}`}>When “{r.node}” is done</Link>:{' '}
                  {r.complete ? 'earned' : 'not yet'}
                </li>
              ))}
            </ul>
          </>
        )}
      </Panel>
      {p.progress.notCounted.length > 0 && (
        <Panel title="Credentials that do not count">
          <ul>
            {p.progress.notCounted.map((n) => (
              <li key={`${n.holdingId}-${n.component}`}>
                <Link to={`/wallet/${n.holdingId}`}>{n.name}</Link> for “{n.component}”: {n.reason}
              </li>
            ))}
          </ul>
        </Panel>
      )}
      <Panel title="The cheapest way to finish">
        <RouteView route={p.route} />
      </Panel>
    </div>
  );
}
