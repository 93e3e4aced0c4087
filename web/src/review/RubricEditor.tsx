import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { achievementPath } from '../accounts/issuer';
import { ApiError, api } from '../platform/api';
import { ErrorMessage, Field, Loading, Panel, TextArea } from '../platform/components';
import type { Rubric } from './ReviewPages';

interface LevelDraft {
  name: string;
  points: string;
  description: string;
}
interface CriterionDraft {
  /** Kept from the stored rubric (scores name it); new criteria get a fresh one. */
  id: string;
  name: string;
  description: string;
  levels: LevelDraft[];
}
interface RubricDraft {
  criteria: CriterionDraft[];
  passPoints: string;
}

const maxCriteria = 20;
const maxLevels = 10;

const newLevel = (points: number): LevelDraft => ({ name: '', points: String(points), description: '' });

function freshId(taken: CriterionDraft[]): string {
  for (let n = taken.length + 1; ; n++) if (!taken.some((c) => c.id === `c${n}`)) return `c${n}`;
}

const newCriterion = (taken: CriterionDraft[]): CriterionDraft => ({
  id: freshId(taken),
  name: '',
  description: '',
  levels: [newLevel(0), newLevel(1)],
});

function draftOf(rubric: Rubric | null): RubricDraft {
  if (!rubric) return { criteria: [newCriterion([])], passPoints: '' };
  return {
    passPoints: String(rubric.passPoints),
    criteria: rubric.criteria.map((c) => ({
      id: c.id,
      name: c.name,
      description: c.description ?? '',
      levels: c.levels.map((l) => ({ name: l.name, points: String(l.points), description: l.description ?? '' })),
    })),
  };
}

/** The rubric as the API takes it: blank descriptions left out, numbers as numbers (the server checks them). */
function rubricOf(draft: RubricDraft): Rubric {
  const text = (s: string) => s.trim();
  return {
    passPoints: Number(draft.passPoints),
    criteria: draft.criteria.map((c) => ({
      id: c.id,
      name: text(c.name),
      ...(text(c.description) ? { description: text(c.description) } : {}),
      levels: c.levels.map((l) => ({
        name: text(l.name),
        points: Number(l.points),
        ...(text(l.description) ? { description: text(l.description) } : {}),
      })),
    })),
  };
}

const bestOf = (c: CriterionDraft) => Math.max(0, ...c.levels.map((l) => Number(l.points) || 0));

/**
 * The issuer's rubric editor: criteria, each with scored levels, and the points needed to pass. With a rubric,
 * learners submit work from the micro-credential's catalog page and the organization's assessors score it.
 */
export function RubricPanel({ orgId, achievementId }: { orgId: string; achievementId: string }) {
  const url = achievementPath(orgId, achievementId, '/rubric');
  const queryKey = ['orgs', orgId, 'achievements', achievementId, 'rubric'];
  const rubric = useQuery({
    queryKey,
    // None yet is an empty editor, not an error.
    queryFn: () =>
      api<Rubric>('GET', url).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
  });
  return (
    <Panel title="Rubric for assessors">
      <p className="hint">
        With a rubric, learners submit their work from this micro-credential&apos;s catalog page, and your
        organization&apos;s assessors score it level by level in the review queue; accepting the work issues the
        credential.
      </p>
      <ErrorMessage error={rubric.error} />
      {rubric.isPending && <Loading />}
      {rubric.data !== undefined && <RubricForm url={url} queryKey={queryKey} stored={rubric.data} />}
    </Panel>
  );
}

function RubricForm({ url, queryKey, stored }: { url: string; queryKey: string[]; stored: Rubric | null }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<RubricDraft>(() => draftOf(stored));
  const save = useMutation({
    mutationFn: (r: Rubric) => api<Rubric>('PUT', url, r),
    onSuccess: (saved) => queryClient.setQueryData(queryKey, saved),
  });
  // A change clears the last answer: a fixed field no longer shows the old message.
  function change(next: RubricDraft) {
    setDraft(next);
    if (save.error || save.isSuccess) save.reset();
  }
  const setCriterion = (i: number, patch: Partial<CriterionDraft>) =>
    change({ ...draft, criteria: draft.criteria.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const setLevel = (i: number, k: number, patch: Partial<LevelDraft>) =>
    setCriterion(i, { levels: draft.criteria[i]!.levels.map((l, j) => (j === k ? { ...l, ...patch } : l)) });
  const most = draft.criteria.reduce((sum, c) => sum + bestOf(c), 0);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate(rubricOf(draft));
  }

  return (
    <form onSubmit={submit} noValidate className="stack rubric-editor">
      {draft.criteria.map((criterion, i) => (
        <fieldset key={criterion.id} className="rubric-criterion">
          <legend>Criterion {i + 1}</legend>
          <Field
            label={`Name of criterion ${i + 1}`}
            value={criterion.name}
            maxLength={200}
            onChange={(e) => setCriterion(i, { name: e.target.value })}
          />
          <TextArea
            label={`What assessors look for (criterion ${i + 1}, optional)`}
            value={criterion.description}
            maxLength={2000}
            rows={2}
            onChange={(e) => setCriterion(i, { description: e.target.value })}
          />
          <table className="rubric-levels">
            <caption>Levels of criterion {i + 1}</caption>
            <thead>
              <tr>
                <th scope="col">Level</th>
                <th scope="col">Points</th>
                <th scope="col">Description (optional)</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {criterion.levels.map((level, k) => (
                <tr key={k}>
                  <td>
                    <input
                      aria-label={`Level ${k + 1} of criterion ${i + 1}`}
                      value={level.name}
                      maxLength={200}
                      onChange={(e) => setLevel(i, k, { name: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Points for level ${k + 1} of criterion ${i + 1}`}
                      type="number"
                      min={0}
                      max={1000}
                      step={1}
                      inputMode="numeric"
                      value={level.points}
                      onChange={(e) => setLevel(i, k, { points: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Description of level ${k + 1} of criterion ${i + 1}`}
                      value={level.description}
                      maxLength={2000}
                      onChange={(e) => setLevel(i, k, { description: e.target.value })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      disabled={criterion.levels.length <= 2}
                      aria-label={`Remove level ${k + 1} of criterion ${i + 1}`}
                      onClick={() => setCriterion(i, { levels: criterion.levels.filter((_, j) => j !== k) })}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              disabled={criterion.levels.length >= maxLevels}
              onClick={() => setCriterion(i, { levels: [...criterion.levels, newLevel(bestOf(criterion) + 1)] })}
            >
              Add a level to criterion {i + 1}
            </button>
            <button
              type="button"
              className="secondary danger"
              disabled={draft.criteria.length <= 1}
              onClick={() => change({ ...draft, criteria: draft.criteria.filter((_, j) => j !== i) })}
            >
              Remove criterion {i + 1}
            </button>
          </div>
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          className="secondary"
          disabled={draft.criteria.length >= maxCriteria}
          onClick={() => change({ ...draft, criteria: [...draft.criteria, newCriterion(draft.criteria)] })}
        >
          Add a criterion
        </button>
      </p>
      <Field
        label="Points needed to pass"
        hint={`Summed over the criteria; the most one can score is ${most}.`}
        type="number"
        min={1}
        max={most || undefined}
        step={1}
        inputMode="numeric"
        value={draft.passPoints}
        onChange={(e) => change({ ...draft, passPoints: e.target.value })}
      />
      <ErrorMessage error={save.error} />
      {save.isSuccess && (
        <p className="notice" role="status">
          Rubric saved. Learners can submit work once this micro-credential is published.
        </p>
      )}
      <p>
        <button type="submit" disabled={save.isPending}>
          Save the rubric
        </button>
      </p>
    </form>
  );
}
