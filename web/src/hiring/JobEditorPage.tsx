import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../platform/api';
import {
  ErrorMessage,
  Field,
  Loading,
  Panel,
  Select,
  TextArea,
  fieldErrors,
  useClearingErrors,
} from '../platform/components';
import type { SkillAlignment } from '../platform/types';
import { SkillPicker } from '../skills/SkillPicker';
import { jobPage, jobsPath, type Job, type Weights } from './hiring-api';

interface ChosenSkill extends SkillAlignment {
  weight: number;
  minLevel: string;
  required: boolean;
}

interface Draft {
  title: string;
  description: string;
  kind: 'job' | 'project';
  status: Job['status'];
  location: string;
  remote: boolean;
  blind: boolean;
  weights: Record<keyof Weights, string>;
  skills: ChosenSkill[];
}

const frameworkOf = (code: string) =>
  code.startsWith('http://data.europa.eu/esco/') ? 'ESCO' : /^\d+(\.[A-Za-z0-9]+)+$/.test(code) ? 'O*NET' : 'Skill';

const emptyDraft: Draft = {
  title: '',
  description: '',
  kind: 'job',
  status: 'draft',
  location: '',
  remote: false,
  blind: true,
  weights: { credentials: '1', workHistory: '1', references: '1' },
  skills: [],
};

function draftOf(job: Job): Draft {
  return {
    title: job.title,
    description: job.description,
    kind: job.kind,
    status: job.status,
    location: job.location ?? '',
    remote: job.remote,
    blind: job.blind,
    weights: {
      credentials: String(job.weights.credentials),
      workHistory: String(job.weights.workHistory),
      references: String(job.weights.references),
    },
    skills: job.skills.map((s) => ({
      code: s.skill,
      name: s.label,
      framework: frameworkOf(s.skill),
      url: s.skill,
      weight: s.weight,
      minLevel: s.minLevel === null ? '' : String(s.minLevel),
      required: s.required,
    })),
  };
}

/** Posting a job or project, or editing one: its weighted skills, how evidence weighs, blind review. */
export function JobEditorPage() {
  const { orgId = '', jobId } = useParams();
  const existing = useQuery({
    queryKey: ['orgs', orgId, 'jobs', jobId],
    queryFn: () => api<{ job: Job }>('GET', jobsPath(orgId, `/${jobId}`)).then((r) => r.job),
    enabled: !!jobId,
  });
  if (jobId && existing.isPending) return <Loading />;
  if (jobId && existing.error) return <ErrorMessage error={existing.error} />;
  return <JobForm key={existing.data?.updatedAt ?? 'new'} orgId={orgId} job={jobId ? existing.data : undefined} />;
}

function JobForm({ orgId, job }: { orgId: string; job: Job | undefined }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => (job ? draftOf(job) : emptyDraft));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const save = useMutation({
    mutationFn: () => {
      const body = {
        title: draft.title,
        description: draft.description,
        kind: draft.kind,
        status: draft.status,
        location: draft.location.trim() || null,
        remote: draft.remote,
        blind: draft.blind,
        weights: {
          credentials: Number(draft.weights.credentials),
          workHistory: Number(draft.weights.workHistory),
          references: Number(draft.weights.references),
        },
        skills: draft.skills.map((s) => ({
          skill: s.code,
          weight: s.weight,
          required: s.required,
          minLevel: s.minLevel.trim() === '' ? null : Number(s.minLevel),
        })),
      };
      return job
        ? api<{ job: Job }>('PUT', jobsPath(orgId, `/${job.id}`), body)
        : api<{ job: Job }>('POST', jobsPath(orgId), body);
    },
    onSuccess: async ({ job: saved }) => {
      await queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'jobs'] });
      navigate(jobPage(orgId, saved.id));
    },
  });
  const clearing = useClearingErrors(fieldErrors(save.error), save.error);
  const errors = clearing.errors;
  const skillError = Object.entries(errors).find(([field]) => field.startsWith('skills'))?.[1];
  const weightError = Object.entries(errors).find(([field]) => field.startsWith('weights'))?.[1];
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const updateSkill = (code: string, change: Partial<ChosenSkill>) =>
    set(
      'skills',
      draft.skills.map((s) => (s.code === code ? { ...s, ...change } : s)),
    );
  const title = job ? `Edit ${job.title}` : 'Post a job or project';
  return (
    <div className="hiring editor">
      <p>
        <Link to="/hiring">← Jobs and projects</Link>
      </p>
      <h1>{title}</h1>
      <form onSubmit={onSubmit} onInput={clearing.onInput} noValidate>
        <Panel title="The job">
          <Field
            label="Title"
            name="title"
            required
            maxLength={200}
            value={draft.title}
            error={errors.title}
            onChange={(e) => set('title', e.target.value)}
          />
          <TextArea
            label="Description"
            name="description"
            rows={4}
            value={draft.description}
            error={errors.description}
            onChange={(e) => set('description', e.target.value)}
          />
          <div className="grid-3">
            <Select
              label="Kind"
              name="kind"
              value={draft.kind}
              options={[
                ['job', 'Job'],
                ['project', 'Project'],
              ]}
              onChange={(e) => set('kind', e.target.value as Draft['kind'])}
            />
            <Select
              label="Status"
              name="status"
              value={draft.status}
              options={[
                ['draft', 'Draft (not ranked for anyone else)'],
                ['open', 'Open'],
                ['closed', 'Closed'],
              ]}
              onChange={(e) => set('status', e.target.value as Draft['status'])}
            />
            <Field
              label="Location (optional)"
              name="location"
              value={draft.location}
              error={errors.location}
              onChange={(e) => set('location', e.target.value)}
            />
          </div>
          <label className="choice">
            <input type="checkbox" checked={draft.remote} onChange={(e) => set('remote', e.target.checked)} /> Remote
            work possible
          </label>
          <label className="choice">
            <input type="checkbox" checked={draft.blind} onChange={(e) => set('blind', e.target.checked)} /> Blind
            review by default (names and contact details hidden until you reveal a candidate)
          </label>
        </Panel>
        <Panel title="Skills asked">
          <SkillPicker
            legend="Add skills"
            empty="No skill asked yet: search and add at least one."
            value={draft.skills}
            onChange={(chosen) =>
              set(
                'skills',
                chosen.map(
                  (c) =>
                    draft.skills.find((s) => s.code === c.code) ?? { ...c, weight: 3, minLevel: '', required: false },
                ),
              )
            }
          />
          {skillError && (
            <p className="field-error" role="alert">
              {skillError}
            </p>
          )}
          {draft.skills.length > 0 && (
            <div className="table-scroll">
              <table>
                <caption>How much each skill weighs</caption>
                <thead>
                  <tr>
                    <th scope="col">Skill</th>
                    <th scope="col">Weight (1–5)</th>
                    <th scope="col">Least result (0–100, optional)</th>
                    <th scope="col">Required</th>
                  </tr>
                </thead>
                <tbody>
                  {draft.skills.map((s) => (
                    <tr key={s.code}>
                      <th scope="row">{s.name}</th>
                      <td>
                        <select
                          aria-label={`Weight of ${s.name}`}
                          value={s.weight}
                          onChange={(e) => updateSkill(s.code, { weight: Number(e.target.value) })}
                        >
                          {[1, 2, 3, 4, 5].map((w) => (
                            <option key={w} value={w}>
                              {w}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input
                          type="number"
                          min="0"
                          max="100"
                          inputMode="numeric"
                          aria-label={`Least result for ${s.name}`}
                          value={s.minLevel}
                          onChange={(e) => updateSkill(s.code, { minLevel: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`${s.name} is required`}
                          checked={s.required}
                          onChange={(e) => updateSkill(s.code, { required: e.target.checked })}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <Panel title="How evidence weighs">
          <p className="hint">
            From 0 (does not count) to 5. Credentials count only while they verify; work history and references are
            verified credentials too.
          </p>
          <div className="grid-3">
            {(
              [
                ['credentials', 'Credentials'],
                ['workHistory', 'Work history'],
                ['references', 'References'],
              ] as const
            ).map(([key, label]) => (
              <Field
                key={key}
                label={label}
                name={`weights.${key}`}
                type="number"
                min="0"
                max="5"
                step="0.5"
                value={draft.weights[key]}
                error={errors[`weights.${key}`]}
                onChange={(e) => set('weights', { ...draft.weights, [key]: e.target.value })}
              />
            ))}
          </div>
          {weightError && !Object.keys(errors).some((f) => f.startsWith('weights.')) && (
            <p className="field-error" role="alert">
              {weightError}
            </p>
          )}
        </Panel>
        {save.error && !clearing.stale ? <ErrorMessage error={save.error} /> : null}
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            {job ? 'Save the job' : 'Post the job'}
          </button>
          <Link to={job ? jobPage(orgId, job.id) : '/hiring'}>Cancel</Link>
        </div>
      </form>
    </div>
  );
}
