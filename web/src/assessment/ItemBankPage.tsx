import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ChangeEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel } from '../platform/components';
import { achievementPath, useIssuerOrg } from '../accounts/issuer';
import type { AchievementRecord, Bank, Item } from '../platform/types';
import { ItemForm, type ItemInput } from './ItemForm';
import { NotAnIssuer } from '../catalog/IssuerConsolePage';
import { PolicyForm } from './PolicyForm';
import { StatisticsPanel } from './StatisticsPanel';
import { TestPreviewPanel } from './TestPreviewPanel';

/** The item bank of a skill-test micro-credential, its policy, a preview and the item statistics. */
export function ItemBankPage() {
  const { achievementId = '' } = useParams();
  const membership = useIssuerOrg();
  const orgId = membership?.org.id ?? '';
  const url = (suffix = '') => achievementPath(orgId, achievementId, suffix);
  const bankKey = ['orgs', orgId, 'achievements', achievementId, 'bank'];
  const bank = useQuery({ queryKey: bankKey, queryFn: () => api<Bank>('GET', url('/items')), enabled: !!membership });
  const record = useQuery({
    queryKey: ['orgs', orgId, 'achievements', achievementId],
    queryFn: () => api<{ record: AchievementRecord }>('GET', url()),
    enabled: !!membership,
  });
  if (!membership) return <NotAnIssuer />;
  if (bank.isPending || record.isPending) return <Loading />;
  if (!bank.data || !record.data) return <ErrorMessage error={bank.error ?? record.error} />;
  const live = bank.data.items.filter((i) => !i.retired).length;

  return (
    <div className="bank">
      <p>
        <Link to={`/issuer/achievements/${achievementId}`}>
          ← {record.data.record.draft.title || 'Micro-credential'}
        </Link>
      </p>
      <h1>Item bank and test</h1>
      <p className="lede">
        {live} live items of {bank.data.items.length}.
      </p>
      {bank.data.poolProblem ? (
        <p className="notice warn" role="status">
          {bank.data.poolProblem}
        </p>
      ) : (
        <p className="notice" role="status">
          The pool is deep enough: learners can take the test.
        </p>
      )}
      <ItemsPanel items={bank.data.items} skills={record.data.record.draft.skills} url={url} bankKey={bankKey} />
      <ImportPanel url={url} bankKey={bankKey} />
      <PolicyForm policy={bank.data.policy} url={url('/test-policy')} bankKey={bankKey} />
      <TestPreviewPanel url={url('/test-preview')} />
      <StatisticsPanel url={url('/items/statistics')} />
    </div>
  );
}

function ItemsPanel({
  items,
  skills,
  url,
  bankKey,
}: {
  items: Item[];
  skills: AchievementRecord['draft']['skills'];
  url: (suffix?: string) => string;
  bankKey: unknown[];
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [formKey, setFormKey] = useState(0);
  const done = async () => {
    await queryClient.invalidateQueries({ queryKey: bankKey });
    setEditing(null);
    setFormKey((k) => k + 1);
  };
  const save = useMutation({
    mutationFn: (input: ItemInput) =>
      editing && editing !== 'new'
        ? api('PUT', url(`/items/${editing.id}`), input)
        : api('POST', url('/items'), { items: [input] }),
    onSuccess: done,
  });
  const retire = useMutation({
    mutationFn: (item: Item) => api('POST', url(`/items/${item.id}/retire`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bankKey }),
  });
  const skillName = (code: string) => skills.find((s) => s.code === code)?.name ?? code;

  return (
    <Panel title="Items">
      <div className="actions">
        <button type="button" onClick={() => setEditing('new')}>
          Add an item
        </button>
        <a className="button secondary" href={url('/items/export?format=csv')} download>
          Export CSV
        </a>
        <a className="button secondary" href={url('/items/export?format=json')} download>
          Export JSON
        </a>
      </div>
      {editing && (
        <section className="subpanel" aria-label={editing === 'new' ? 'New item' : 'Edit the item'}>
          <h3>{editing === 'new' ? 'New item' : 'Edit the item'}</h3>
          {editing !== 'new' && (
            <p className="hint">Saving adds the edited item and retires this one, which keeps its statistics.</p>
          )}
          <ItemForm
            key={editing === 'new' ? `new-${formKey}` : editing.id}
            item={editing === 'new' ? undefined : editing}
            skills={skills}
            error={save.error}
            busy={save.isPending}
            onSubmit={(input) => save.mutate(input)}
            onCancel={() => {
              save.reset();
              setEditing(null);
            }}
          />
        </section>
      )}
      <ErrorMessage error={retire.error} />
      {items.length === 0 ? (
        <p className="empty">No items yet: add them one by one or import a file.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Items</caption>
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col">Kind</th>
                <th scope="col">Skills</th>
                <th scope="col">Difficulty</th>
                <th scope="col">Draws</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} className={item.retired ? 'retired' : undefined}>
                  <td>
                    {item.stem}
                    {item.retired && <span className="muted"> (retired)</span>}
                  </td>
                  <td>{item.multiple ? 'Multiple answers' : 'One answer'}</td>
                  <td>{item.skills.map(skillName).join(', ') || '—'}</td>
                  <td>{item.difficulty}</td>
                  <td>{item.draws}</td>
                  <td>
                    {!item.retired && (
                      <span className="row-actions">
                        <button
                          type="button"
                          className="link"
                          aria-label={`Edit: ${item.stem}`}
                          onClick={() => setEditing(item)}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="link"
                          aria-label={`Retire: ${item.stem}`}
                          onClick={() => retire.mutate(item)}
                        >
                          Retire
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

function ImportPanel({ url, bankKey }: { url: (suffix?: string) => string; bankKey: unknown[] }) {
  const id = useId();
  const queryClient = useQueryClient();
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const format = /\.json$/i.test(file.name) || file.type === 'application/json' ? 'json' : 'csv';
      return api<{ added: number }>('POST', url('/items/import'), { format, content: await file.text() });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bankKey }),
  });
  function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) upload.mutate(file);
    event.target.value = '';
  }
  return (
    <Panel title="Import items">
      <p className="hint" id={`${id}-hint`}>
        CSV with the columns stem, options, correct, skills, difficulty (lists separated by |, correct as letters a, b,
        …), or a JSON list of items. Nothing is added when one row is wrong.
      </p>
      <div className="field">
        <label htmlFor={id}>Choose a CSV or JSON file</label>
        <input
          id={id}
          type="file"
          accept=".csv,.json,text/csv,application/json"
          aria-describedby={`${id}-hint`}
          onChange={choose}
          disabled={upload.isPending}
        />
      </div>
      <ErrorMessage error={upload.error} />
      {upload.data && (
        <p className="notice" role="status">
          Imported {upload.data.added} items.
        </p>
      )}
    </Panel>
  );
}
