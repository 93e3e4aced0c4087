import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Field, Loading, Panel, Select, TextArea, formatDate } from '../platform/components';
import { orgPath, useIssuerOrg } from '../accounts/issuer';
import { NotAnIssuer, statusLabels } from '../catalog/IssuerConsolePage';
import type { AchievementRecord, PublishedVersion } from '../platform/types';
import {
  orgPathwaysPath,
  type FlagView,
  type PathwayCheck,
  type PathwayDefinition,
  type PathwayRecord,
  type PathwayVersionView,
  type RequirementNode,
} from './pathways-api';

type Group = Exclude<RequirementNode, { type: 'component' }>;
type Path = number[];

const emptyDefinition = (): PathwayDefinition => ({
  title: '',
  description: '',
  destination: '',
  requirements: { type: 'allOf', key: 'all', of: [] },
  recognition: [],
  prerequisites: [],
  offRamps: [],
});

/** The node at a path of child indexes, changed by `change` (a new tree; the old one is left as it was). */
function updateAt(
  node: RequirementNode,
  path: Path,
  change: (n: RequirementNode) => RequirementNode | null,
): RequirementNode {
  if (path.length === 0) return change(node) ?? node;
  if (node.type === 'component') return node;
  const [i, ...rest] = path;
  const of = node.of.flatMap((child, k): RequirementNode[] => {
    if (k !== i) return [child];
    if (rest.length === 0) {
      const changed = change(child);
      return changed ? [changed] : [];
    }
    return [updateAt(child, rest, change)];
  });
  return { ...node, of } as RequirementNode;
}

function keysOf(node: RequirementNode, type: 'component' | 'group'): string[] {
  if (node.type === 'component') return type === 'component' ? [node.key] : [];
  return [...(type === 'group' && node.key ? [node.key] : []), ...node.of.flatMap((c) => keysOf(c, type))];
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'component';

function uniqueKey(base: string, taken: string[]) {
  let key = base;
  for (let i = 2; taken.includes(key); i++) key = `${base}-${i}`;
  return key;
}

/** The name of a micro-credential of this instance (from the catalog), for a component named by id. */
function ComponentName({ achievementId }: { achievementId: string }) {
  const entry = useQuery({
    queryKey: ['catalog', achievementId],
    queryFn: () => api<PublishedVersion>('GET', `/api/catalog/${achievementId}`),
    retry: false,
  });
  if (entry.data) return <>{`${entry.data.definition.title} (${entry.data.issuer.name})`}</>;
  return <>{entry.isPending ? 'Loading…' : `Unknown micro-credential ${achievementId}`}</>;
}

/** Searches the whole catalog (every issuer on this instance) and adds a published micro-credential. */
function ComponentSearch({ onAdd }: { onAdd: (hit: PublishedVersion) => void }) {
  const [q, setQ] = useState('');
  const results = useQuery({
    queryKey: ['catalog', 'pathway-search', q],
    queryFn: () =>
      api<{ achievements: PublishedVersion[] }>('GET', `/api/catalog?q=${encodeURIComponent(q)}&limit=8`).then(
        (r) => r.achievements,
      ),
    enabled: q.trim().length >= 2,
  });
  const listId = useId();
  return (
    <div className="component-search">
      <Field
        label="Search the catalog for a component"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        hint="Any issuer's published micro-credentials; type two letters or more."
      />
      <ErrorMessage error={results.error} />
      {results.data && (
        <ul id={listId} aria-label="Catalog matches">
          {results.data.length === 0 && <li className="muted">Nothing matches.</li>}
          {results.data.map((hit) => (
            <li key={hit.achievementId}>
              <button type="button" className="secondary" onClick={() => onAdd(hit)}>
                Add {hit.definition.title} ({hit.issuer.name})
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ForeignComponent({ onAdd }: { onAdd: (node: RequirementNode) => void }) {
  const [foreignId, setForeignId] = useState('');
  const [name, setName] = useState('');
  const [ects, setEcts] = useState('');
  return (
    <details>
      <summary>Add a foreign achievement (another platform’s, by its id)</summary>
      <Field label="Achievement id (URL)" value={foreignId} onChange={(e) => setForeignId(e.target.value)} />
      <Field label="Its name" value={name} onChange={(e) => setName(e.target.value)} />
      <Field
        label="ECTS credits (optional)"
        inputMode="decimal"
        value={ects}
        onChange={(e) => setEcts(e.target.value)}
      />
      <button
        type="button"
        className="secondary"
        disabled={!foreignId.trim() || !name.trim()}
        onClick={() => {
          onAdd({
            type: 'component',
            key: slug(name),
            component: {
              foreignId: foreignId.trim(),
              name: name.trim(),
              ...(ects.trim() && Number.isFinite(Number(ects)) ? { ectsCredits: Number(ects) } : {}),
            },
          });
          setForeignId('');
          setName('');
          setEcts('');
        }}
      >
        Add the foreign achievement
      </button>
    </details>
  );
}

const groupTypes = [
  ['allOf', 'All of these'],
  ['anyOf', 'Some of these (n of them)'],
  ['credits', 'A credit sum over these'],
] as const;

/** One node of the requirement tree: a group with its parts, or a component. */
function NodeEditor({
  node,
  path,
  onChange,
  taken,
}: {
  node: RequirementNode;
  path: Path;
  onChange: (path: Path, change: (n: RequirementNode) => RequirementNode | null) => void;
  taken: string[];
}) {
  const where = path.length === 0 ? 'the whole pathway' : `part ${path.map((i) => i + 1).join('.')}`;
  if (node.type === 'component') {
    return (
      <li className="pathway-node">
        <strong>
          {'achievementId' in node.component ? (
            <ComponentName achievementId={node.component.achievementId} />
          ) : (
            `${node.component.name} (foreign: ${node.component.foreignId})`
          )}
        </strong>
        <span className="muted"> · key “{node.key}”</span>{' '}
        <button
          type="button"
          className="secondary"
          aria-label={`Remove component ${node.key}`}
          onClick={() => onChange(path, () => null)}
        >
          Remove
        </button>
      </li>
    );
  }
  const group = node as Group;
  const set = (patch: Partial<Group> & { type?: Group['type'] }) =>
    onChange(path, (n) => {
      const g = n as Group;
      const type = patch.type ?? g.type;
      const base = { key: patch.key ?? g.key, of: g.of };
      if (type === 'allOf') return { type, ...base };
      if (type === 'anyOf') return { type, ...base, n: 'n' in patch ? patch.n! : g.type === 'anyOf' ? g.n : 1 };
      return {
        type,
        ...base,
        min: 'min' in patch ? patch.min! : g.type === 'credits' ? g.min : 1,
        unit: 'unit' in patch ? patch.unit! : g.type === 'credits' ? g.unit : 'ECTS',
      };
    });
  const add = (child: RequirementNode) =>
    onChange(path, (n) => {
      const g = n as Group;
      const keyed =
        child.type === 'component' ? { ...child, key: uniqueKey(child.key, taken) } : { ...child, key: child.key };
      return { ...g, of: [...g.of, keyed] } as RequirementNode;
    });
  return (
    <li className="pathway-node group">
      <fieldset>
        <legend>Requirement: {where}</legend>
        <Select
          label={`Kind of requirement for ${where}`}
          options={groupTypes}
          value={group.type}
          onChange={(e) => set({ type: e.target.value as Group['type'] })}
        />
        <Field label={`Key of ${where}`} value={group.key ?? ''} onChange={(e) => set({ key: e.target.value })} />
        {group.type === 'anyOf' && (
          <Field
            label={`How many are needed (${where})`}
            type="number"
            min={1}
            value={String(group.n)}
            onChange={(e) => set({ n: Number(e.target.value) } as Partial<Group>)}
          />
        )}
        {group.type === 'credits' && (
          <>
            <Field
              label={`Credits needed (${where})`}
              type="number"
              min={0}
              value={String(group.min)}
              onChange={(e) => set({ min: Number(e.target.value) } as Partial<Group>)}
            />
            <Select
              label={`Unit (${where})`}
              options={[
                ['ECTS', 'ECTS credits'],
                ['hours', 'Hours of workload'],
              ]}
              value={group.unit}
              onChange={(e) => set({ unit: e.target.value as 'ECTS' | 'hours' } as Partial<Group>)}
            />
          </>
        )}
        <ul>
          {group.of.map((child, i) => (
            <NodeEditor key={i} node={child} path={[...path, i]} onChange={onChange} taken={taken} />
          ))}
        </ul>
        <ComponentSearch
          onAdd={(hit) =>
            add({ type: 'component', key: slug(hit.definition.title), component: { achievementId: hit.achievementId } })
          }
        />
        <ForeignComponent onAdd={add} />
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => add({ type: 'anyOf', key: uniqueKey('choice', taken), n: 1, of: [] })}
          >
            Add a group inside {where}
          </button>
          {path.length > 0 && (
            <button type="button" className="secondary" onClick={() => onChange(path, () => null)}>
              Remove {where}
            </button>
          )}
        </div>
      </fieldset>
    </li>
  );
}

function RulesEditor({
  draft,
  setDraft,
  components,
}: {
  draft: PathwayDefinition;
  setDraft: (d: PathwayDefinition) => void;
  components: string[];
}) {
  const options = components.map((k) => [k, k] as const);
  const rules = draft.recognition;
  const put = (i: number, rule: PathwayDefinition['recognition'][number] | null) =>
    setDraft({
      ...draft,
      recognition: rule === null ? rules.filter((_, k) => k !== i) : rules.map((r, k) => (k === i ? rule : r)),
    });
  return (
    <Panel title="Recognition rules">
      <p className="hint">
        Foreign credentials that count for a component, when their issuer is on this instance or in the trust registry:
        by the achievement they name, or by aligning to every listed skill at an EQF level or above.
      </p>
      {rules.map((rule, i) => (
        <fieldset key={i}>
          <legend>Rule {i + 1}</legend>
          <Select
            label={`Rule ${i + 1}: counts for`}
            options={options}
            value={rule.component}
            onChange={(e) => put(i, { ...rule, component: e.target.value })}
          />
          <Select
            label={`Rule ${i + 1}: accepted by`}
            options={[
              ['achievement', 'Achievement id'],
              ['alignment', 'Skills at an EQF level'],
            ]}
            value={rule.by}
            onChange={(e) =>
              put(
                i,
                e.target.value === 'achievement'
                  ? { component: rule.component, by: 'achievement', achievementId: '' }
                  : { component: rule.component, by: 'alignment', skills: [], minEqfLevel: 5 },
              )
            }
          />
          {rule.by === 'achievement' ? (
            <Field
              label={`Rule ${i + 1}: achievement id`}
              value={rule.achievementId}
              onChange={(e) => put(i, { ...rule, achievementId: e.target.value })}
            />
          ) : (
            <>
              <TextArea
                label={`Rule ${i + 1}: skills (one URL or code a line)`}
                value={rule.skills.join('\n')}
                onChange={(e) => put(i, { ...rule, skills: e.target.value.split('\n') })}
              />
              <Field
                label={`Rule ${i + 1}: lowest EQF level`}
                type="number"
                min={1}
                max={8}
                value={String(rule.minEqfLevel)}
                onChange={(e) => put(i, { ...rule, minEqfLevel: Number(e.target.value) })}
              />
            </>
          )}
          <button type="button" className="secondary" onClick={() => put(i, null)}>
            Remove rule {i + 1}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        disabled={components.length === 0}
        onClick={() =>
          setDraft({
            ...draft,
            recognition: [...rules, { component: components[0]!, by: 'achievement', achievementId: '' }],
          })
        }
      >
        Add a recognition rule
      </button>
    </Panel>
  );
}

function OrderAndRamps({
  draft,
  setDraft,
  components,
  groups,
  published,
}: {
  draft: PathwayDefinition;
  setDraft: (d: PathwayDefinition) => void;
  components: string[];
  groups: string[];
  published: (readonly [string, string])[];
}) {
  const keys = components.map((k) => [k, k] as const);
  return (
    <Panel title="Order and awards on the way">
      <h3>Prerequisites</h3>
      {draft.prerequisites.map((edge, i) => (
        <fieldset key={i}>
          <legend>Prerequisite {i + 1}</legend>
          <Select
            label={`Prerequisite ${i + 1}: first`}
            options={keys}
            value={edge.before}
            onChange={(e) =>
              setDraft({
                ...draft,
                prerequisites: draft.prerequisites.map((x, k) => (k === i ? { ...x, before: e.target.value } : x)),
              })
            }
          />
          <Select
            label={`Prerequisite ${i + 1}: then`}
            options={keys}
            value={edge.after}
            onChange={(e) =>
              setDraft({
                ...draft,
                prerequisites: draft.prerequisites.map((x, k) => (k === i ? { ...x, after: e.target.value } : x)),
              })
            }
          />
          <button
            type="button"
            className="secondary"
            onClick={() => setDraft({ ...draft, prerequisites: draft.prerequisites.filter((_, k) => k !== i) })}
          >
            Remove prerequisite {i + 1}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        disabled={components.length < 2}
        onClick={() =>
          setDraft({
            ...draft,
            prerequisites: [...draft.prerequisites, { before: components[0]!, after: components[1]! }],
          })
        }
      >
        Add a prerequisite
      </button>
      <h3>Off-ramps</h3>
      {draft.offRamps.map((ramp, i) => (
        <fieldset key={i}>
          <legend>Off-ramp {i + 1}</legend>
          <Select
            label={`Off-ramp ${i + 1}: when this part is done`}
            options={groups.map((g) => [g, g] as const)}
            value={ramp.node}
            onChange={(e) =>
              setDraft({
                ...draft,
                offRamps: draft.offRamps.map((x, k) => (k === i ? { ...x, node: e.target.value } : x)),
              })
            }
          />
          <Select
            label={`Off-ramp ${i + 1}: award`}
            options={published}
            value={ramp.achievementId}
            onChange={(e) =>
              setDraft({
                ...draft,
                offRamps: draft.offRamps.map((x, k) => (k === i ? { ...x, achievementId: e.target.value } : x)),
              })
            }
          />
          <button
            type="button"
            className="secondary"
            onClick={() => setDraft({ ...draft, offRamps: draft.offRamps.filter((_, k) => k !== i) })}
          >
            Remove off-ramp {i + 1}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="secondary"
        disabled={groups.length === 0 || published.length === 0}
        onClick={() =>
          setDraft({ ...draft, offRamps: [...draft.offRamps, { node: groups[0]!, achievementId: published[0]![0] }] })
        }
      >
        Add an off-ramp
      </button>
    </Panel>
  );
}

/** The checks publishing will apply, asked again a moment after each change. */
function LiveCheck({ orgId, draft }: { orgId: string; draft: PathwayDefinition }) {
  const body = JSON.stringify(draft);
  const [settled, setSettled] = useState(body);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(body), 400);
    return () => clearTimeout(timer);
  }, [body]);
  const check = useQuery({
    queryKey: ['orgs', orgId, 'pathways', 'check', settled],
    queryFn: () => api<PathwayCheck>('POST', orgPathwaysPath(orgId, '/check'), JSON.parse(settled)),
    retry: false,
  });
  return (
    <section className="panel" aria-label="Checks" aria-live="polite">
      <h2>Can it be completed?</h2>
      {check.isPending && <Loading />}
      {check.error && <ErrorMessage error={check.error} />}
      {check.data && check.data.errors.length === 0 && (
        <p className="notice">Yes: nothing stops a learner from completing this pathway.</p>
      )}
      {check.data && check.data.errors.length > 0 && (
        <>
          <p>Not yet. Publishing is refused until these are fixed:</p>
          <ul>
            {check.data.errors.map((e, i) => (
              <li key={i}>
                {e.message} <span className="muted">({e.field})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {check.data && check.data.warnings.length > 0 && (
        <ul aria-label="Warnings">
          {check.data.warnings.map((w, i) => (
            <li key={i}>{w.message}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FlagsPanel({ orgId, pathwayId }: { orgId: string; pathwayId: string }) {
  const client = useQueryClient();
  const key = ['orgs', orgId, 'pathways', pathwayId, 'flags'];
  const flags = useQuery({
    queryKey: key,
    queryFn: () =>
      api<{ flags: FlagView[] }>('GET', orgPathwaysPath(orgId, `/${pathwayId}/flags`)).then((r) => r.flags),
  });
  const decide = useMutation({
    mutationFn: (input: { flagId: string; decision: 'keep' | 'revoke' }) =>
      api('POST', orgPathwaysPath(orgId, `/${pathwayId}/flags/${input.flagId}/decision`), {
        decision: input.decision,
      }),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  return (
    <Panel title="Stacked credentials to review">
      <ErrorMessage error={flags.error ?? decide.error} />
      {flags.data?.length === 0 && <p className="empty">No component of an awarded credential has been revoked.</p>}
      {flags.data && flags.data.length > 0 && (
        <ul>
          {flags.data.map((f) => (
            <li key={f.id}>
              Version {f.version}, flagged {formatDate(f.createdAt)}: {f.reason}{' '}
              {f.decision ? (
                <span className="badge">Decided: {f.decision}</span>
              ) : (
                <span className="actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => decide.mutate({ flagId: f.id, decision: 'keep' })}
                  >
                    Keep the stacked credential
                  </button>
                  <button type="button" onClick={() => decide.mutate({ flagId: f.id, decision: 'revoke' })}>
                    Revoke the stacked credential
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** The issuer's pathway builder: the destination, the requirement tree, recognition, order, off-ramps, checks. */
export function PathwayBuilderPage() {
  const membership = useIssuerOrg();
  const { pathwayId } = useParams();
  if (!membership) return <NotAnIssuer />;
  return <Builder key={pathwayId ?? 'new'} orgId={membership.org.id} pathwayId={pathwayId} />;
}

function Builder({ orgId, pathwayId }: { orgId: string; pathwayId: string | undefined }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const existing = useQuery({
    queryKey: ['orgs', orgId, 'pathways', pathwayId],
    queryFn: () =>
      api<{ record: PathwayRecord; versions: PathwayVersionView[] }>('GET', orgPathwaysPath(orgId, `/${pathwayId}`)),
    enabled: pathwayId !== undefined,
  });
  const own = useQuery({
    queryKey: ['orgs', orgId, 'achievements'],
    queryFn: () =>
      api<{ achievements: AchievementRecord[] }>('GET', orgPath(orgId, '/achievements')).then((r) => r.achievements),
  });
  // The draft as edited here; until the first edit, the saved one (or an empty one for a new pathway).
  const [edited, setDraft] = useState<PathwayDefinition | null>(null);
  const draft = edited ?? (pathwayId ? (existing.data?.record.draft ?? null) : emptyDefinition());
  const save = useMutation({
    mutationFn: (d: PathwayDefinition) =>
      pathwayId
        ? api<PathwayRecord>('PUT', orgPathwaysPath(orgId, `/${pathwayId}`), d)
        : api<PathwayRecord>('POST', orgPathwaysPath(orgId), d),
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['orgs', orgId, 'pathways'] });
      if (!pathwayId) navigate(`/issuer/pathways/${saved.id}`, { state: { message: 'Draft saved.' } });
    },
  });
  const publish = useMutation({
    mutationFn: async (d: PathwayDefinition) => {
      await api('PUT', orgPathwaysPath(orgId, `/${pathwayId}`), d);
      return api<PathwayVersionView>('POST', orgPathwaysPath(orgId, `/${pathwayId}/publish`));
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['orgs', orgId, 'pathways'] }),
  });
  const retire = useMutation({
    mutationFn: () => api('POST', orgPathwaysPath(orgId, `/${pathwayId}/retire`)),
    onSettled: () => client.invalidateQueries({ queryKey: ['orgs', orgId, 'pathways'] }),
  });

  if (existing.error) return <ErrorMessage error={existing.error} />;
  if (!draft) return <Loading />;
  const published = (own.data ?? [])
    .filter((a) => a.status === 'published')
    .map((a) => [a.id, a.draft.title || a.code] as const);
  const components = keysOf(draft.requirements, 'component');
  const groups = keysOf(draft.requirements, 'group');
  const record = existing.data?.record;
  const change = (path: Path, fn: (n: RequirementNode) => RequirementNode | null) =>
    setDraft({ ...draft, requirements: updateAt(draft.requirements, path, fn) });

  return (
    <div className="stack pathway-builder">
      <p>
        <Link to="/issuer/pathways">← Pathways</Link>
      </p>
      <h1>{pathwayId ? draft.title || 'Untitled pathway' : 'New pathway'}</h1>
      {record && (
        <p className="lede">
          <span className={`badge ${record.status}`}>{statusLabels[record.status]}</span>
          {record.latestVersion > 0 && ` · version ${record.latestVersion} published`}
        </p>
      )}
      <Panel title="The pathway">
        <Field label="Title" value={draft.title} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
        <TextArea
          label="Description"
          value={draft.description}
          onChange={(e) => setDraft({ ...draft, description: e.target.value })}
        />
        <Select
          label="Destination (the micro-credential awarded at the end)"
          options={[['', 'Choose one of your published micro-credentials'], ...published]}
          value={draft.destination}
          onChange={(e) => setDraft({ ...draft, destination: e.target.value })}
        />
      </Panel>
      <Panel title="Requirements">
        <ul className="pathway-tree">
          <NodeEditor node={draft.requirements} path={[]} onChange={change} taken={components} />
        </ul>
      </Panel>
      <RulesEditor draft={draft} setDraft={setDraft} components={components} />
      <OrderAndRamps draft={draft} setDraft={setDraft} components={components} groups={groups} published={published} />
      <LiveCheck orgId={orgId} draft={draft} />
      <div className="actions">
        <button type="button" onClick={() => save.mutate(draft)} disabled={save.isPending}>
          {pathwayId ? 'Save the draft' : 'Create the draft'}
        </button>
        {pathwayId && record?.status !== 'retired' && (
          <button type="button" onClick={() => publish.mutate(draft)} disabled={publish.isPending}>
            Publish a new version
          </button>
        )}
        {record?.status === 'published' && (
          <button type="button" className="secondary" onClick={() => retire.mutate()}>
            Retire
          </button>
        )}
      </div>
      <ErrorMessage error={save.error ?? publish.error ?? retire.error} />
      {save.isSuccess && pathwayId && (
        <p className="notice" role="status">
          Draft saved.
        </p>
      )}
      {publish.data && (
        <p className="notice" role="status">
          Version {publish.data.version} published.
        </p>
      )}
      {existing.data && existing.data.versions.length > 0 && (
        <Panel title="Published versions">
          <ul>
            {existing.data.versions.map((v) => (
              <li key={v.version}>
                Version {v.version}: “{v.definition.title}”, published {formatDate(v.publishedAt)}
              </li>
            ))}
          </ul>
        </Panel>
      )}
      {pathwayId && record && record.latestVersion > 0 && <FlagsPanel orgId={orgId} pathwayId={pathwayId} />}
    </div>
  );
}

/** The organization's pathways, drafts included. */
export function PathwayListPage() {
  const membership = useIssuerOrg();
  const orgId = membership?.org.id;
  const list = useQuery({
    queryKey: ['orgs', orgId, 'pathways'],
    queryFn: () => api<{ pathways: PathwayRecord[] }>('GET', orgPathwaysPath(orgId!)).then((r) => r.pathways),
    enabled: orgId !== undefined,
  });
  if (!membership) return <NotAnIssuer />;
  return (
    <div className="stack">
      <h1>Pathways</h1>
      <p className="lede">
        {membership.org.name}: how micro-credentials, yours and other issuers’, stack into your larger ones.
      </p>
      <p>
        <Link to="/issuer/pathways/new" className="button">
          New pathway
        </Link>
      </p>
      <ErrorMessage error={list.error} />
      {list.isPending && <Loading />}
      {list.data?.length === 0 && <p className="empty">No pathways yet.</p>}
      {list.data && list.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Pathways</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Versions</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/issuer/pathways/${p.id}`}>{p.draft.title || 'Untitled'}</Link>
                  </td>
                  <td>
                    <span className={`badge ${p.status}`}>{statusLabels[p.status]}</span>
                  </td>
                  <td>{p.latestVersion || '—'}</td>
                  <td>{formatDate(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
