import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel, formatDate } from '../platform/components';
import { achievementPath, orgPath, useIssuerOrg } from '../accounts/issuer';
import type { AchievementRecord, Bank, MicroCredentialDefinition, PublishedVersion } from '../platform/types';
import { AwardPanel } from '../issuance/AwardPanel';
import { RubricPanel } from '../review/RubricEditor';
import { AchievementDetails } from './AchievementDetails';
import { DefinitionForm, emptyDefinition } from './DefinitionForm';
import { NotAnIssuer, statusLabels } from './IssuerConsolePage';

export function NewAchievementPage() {
  const membership = useIssuerOrg();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (definition: MicroCredentialDefinition) =>
      api<AchievementRecord>('POST', orgPath(membership!.org.id, '/achievements'), definition),
    onSuccess: (record) => {
      void queryClient.invalidateQueries({ queryKey: ['orgs', membership!.org.id, 'achievements'] });
      navigate(`/issuer/achievements/${record.id}`);
    },
  });
  if (!membership) return <NotAnIssuer />;
  return (
    <div className="editor">
      <p>
        <Link to="/issuer">← Issuer console</Link>
      </p>
      <h1>New micro-credential</h1>
      <p className="lede">A draft may be incomplete; publishing checks every element.</p>
      <DefinitionForm
        initial={emptyDefinition}
        orgId={membership.org.id}
        error={create.error}
        busy={create.isPending}
        submitLabel="Save draft"
        onSubmit={(d) => create.mutate(d)}
      />
    </div>
  );
}

/** JSON with sorted keys, so that a stored copy compares equal whatever order its keys came back in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

interface Detail {
  record: AchievementRecord;
  versions: PublishedVersion[];
}

/** One micro-credential: edit the draft, preview it, publish it as a new version, retire it. */
export function AchievementEditorPage() {
  const { achievementId = '' } = useParams();
  const membership = useIssuerOrg();
  const orgId = membership?.org.id ?? '';
  const queryClient = useQueryClient();
  const queryKey = ['orgs', orgId, 'achievements', achievementId];
  const detail = useQuery({
    queryKey,
    queryFn: () => api<Detail>('GET', achievementPath(orgId, achievementId)),
    enabled: Boolean(membership),
  });
  const [editing, setEditing] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'achievements'] });
  const save = useMutation({
    mutationFn: (d: MicroCredentialDefinition) => api('PUT', achievementPath(orgId, achievementId), d),
    onSuccess: async () => {
      await refresh();
      setEditing(false);
    },
  });
  const publish = useMutation({
    mutationFn: () => api<PublishedVersion>('POST', achievementPath(orgId, achievementId, '/publish')),
    onSuccess: refresh,
  });
  const retire = useMutation({
    mutationFn: () => api('POST', achievementPath(orgId, achievementId, '/retire')),
    onSuccess: refresh,
  });

  if (!membership) return <NotAnIssuer />;
  if (detail.isPending) return <Loading />;
  if (!detail.data) return <ErrorMessage error={detail.error} />;
  const { record, versions } = detail.data;
  const latest = versions[0];
  // Versions published before micro-credentials had codes carry none; the code given to them since is not a change.
  const pending = latest
    ? canonical({ ...latest.definition, humanCode: latest.definition.humanCode ?? record.draft.humanCode }) !==
      canonical(record.draft)
    : true;
  const showForm = record.status === 'draft' || editing;

  return (
    <div className="editor">
      <p>
        <Link to="/issuer">← Issuer console</Link>
      </p>
      <h1>{record.draft.title || 'Untitled micro-credential'}</h1>
      <p className="lede">
        <span className={`badge ${record.status}`}>{statusLabels[record.status]}</span>{' '}
        {record.latestVersion ? `Version ${record.latestVersion} published.` : 'Not published yet.'}
        {record.status === 'published' && pending && ' The draft has changes not yet published.'}
      </p>
      <div className="actions">
        {record.status !== 'retired' && pending && (
          <button
            type="button"
            onClick={() => publish.mutate()}
            disabled={publish.isPending || record.check.errors.length > 0}
          >
            {record.latestVersion ? `Publish version ${record.latestVersion + 1}` : 'Publish'}
          </button>
        )}
        {record.status === 'published' && !editing && (
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            New version
          </button>
        )}
        <button
          type="button"
          className="secondary"
          aria-pressed={previewing}
          onClick={() => setPreviewing(!previewing)}
        >
          {previewing ? 'Close preview' : 'Preview'}
        </button>
        {record.draft.assessmentType === 'skill-test' && (
          <Link className="button secondary" to={`/issuer/achievements/${record.id}/test`}>
            Item bank and test
          </Link>
        )}
        {record.status === 'published' && (
          <button
            type="button"
            className="secondary danger"
            onClick={() => {
              if (window.confirm('Retire it? No one can earn it any more; issued credentials stay valid.'))
                retire.mutate();
            }}
          >
            Retire
          </button>
        )}
      </div>
      <ErrorMessage error={publish.error ?? retire.error} />
      {publish.isSuccess && (
        <p className="notice" role="status">
          Published version {publish.data.version}.
        </p>
      )}
      {record.check.errors.length > 0 && record.status !== 'retired' && (
        <div className="notice warn">
          <p>Before publishing, fix:</p>
          <ul>
            {record.check.errors.map((e) => (
              <li key={e.field + e.message}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      {record.draft.assessmentType === 'skill-test' && record.status !== 'retired' && (
        <BankReadiness orgId={orgId} achievementId={record.id} published={record.status === 'published'} />
      )}
      {record.check.warnings.length > 0 && (
        <ul className="muted">
          {record.check.warnings.map((w) => (
            <li key={w.field + w.message}>{w.message}</li>
          ))}
        </ul>
      )}
      {previewing && (
        <Panel title="Preview: how learners will see it">
          <AchievementDetails definition={record.draft} issuerName={membership.org.name} />
        </Panel>
      )}
      {showForm && (
        <Panel title={record.status === 'draft' ? 'Edit the draft' : `Draft of version ${record.latestVersion + 1}`}>
          <DefinitionForm
            key={record.updatedAt}
            initial={record.draft}
            orgId={orgId}
            check={record.check}
            error={save.error}
            busy={save.isPending}
            submitLabel="Save draft"
            onSubmit={(d) => save.mutate(d)}
          />
        </Panel>
      )}
      {record.draft.assessmentType !== 'skill-test' && <RubricPanel orgId={orgId} achievementId={record.id} />}
      {record.status === 'published' && <AwardPanel orgId={orgId} achievementId={record.id} />}
      {versions.length > 0 && (
        <Panel title="Published versions">
          <ul>
            {versions.map((v) => (
              <li key={v.version}>
                <a href={v.url}>Version {v.version}</a> · {formatDate(v.publishedAt)} · {v.status}
              </li>
            ))}
          </ul>
        </Panel>
      )}
    </div>
  );
}

/** Whether the item bank can serve the test; until it can, the catalog does not list the micro-credential. */
function BankReadiness({
  orgId,
  achievementId,
  published,
}: {
  orgId: string;
  achievementId: string;
  published: boolean;
}) {
  const bank = useQuery({
    queryKey: ['orgs', orgId, 'achievements', achievementId, 'bank'],
    queryFn: () => api<Bank>('GET', achievementPath(orgId, achievementId, '/items')),
  });
  if (!bank.data?.poolProblem) return null;
  return (
    <div className="notice warn" role="status">
      <p>
        {published ? 'Not listed in the catalog' : 'Once published, not listed in the catalog'} until its item bank can
        serve a test: {bank.data.poolProblem}
      </p>
      <p>
        <Link to={`/issuer/achievements/${achievementId}/test`}>Add items or change the test policy</Link>
      </p>
    </div>
  );
}
