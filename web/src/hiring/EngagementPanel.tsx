import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../platform/api';
import { ErrorMessage, Field, Panel, TextArea, fieldErrors, useClearingErrors } from '../platform/components';
import type { SkillAlignment } from '../platform/types';
import { SkillPicker } from '../skills/SkillPicker';

const ratingKeys = [
  ['communication', 'Communication (0–100)'],
  ['timeliness', 'Timeliness (0–100)'],
  ['reliability', 'Reliability (0–100)'],
] as const;

/**
 * Closing an engagement with a worker: signs, as the organization, a work-history credential (role, period,
 * skills used, ratings) and optionally a reference, both to the worker's wallet.
 */
export function EngagementPanel({ orgId }: { orgId: string }) {
  const [worker, setWorker] = useState('');
  const [role, setRole] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [skills, setSkills] = useState<SkillAlignment[]>([]);
  const [ratings, setRatings] = useState<Record<(typeof ratingKeys)[number][0], string>>({
    communication: '',
    timeliness: '',
    reliability: '',
  });
  const [comment, setComment] = useState('');
  const close = useMutation({
    mutationFn: () =>
      api<{ workHistory: { id: string }; reference: { id: string } | null }>('POST', `/api/orgs/${orgId}/engagements`, {
        worker,
        role,
        from,
        until: until || null,
        skills: skills.map((s) => s.code),
        ratings: Object.fromEntries(
          ratingKeys.map(([key]) => [key, ratings[key] === '' ? null : Number(ratings[key])]),
        ),
        ...(comment.trim() ? { reference: { comment } } : {}),
      }),
  });
  const clearing = useClearingErrors(fieldErrors(close.error), close.error);
  const errors = clearing.errors;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    close.mutate();
  };
  return (
    <Panel title="Record a finished engagement">
      <p className="hint">
        Signed by your organization and sent to the worker’s wallet: a verified record of the work (role, period, skills
        used, your ratings) and, if you write one, a reference. Both can be revoked like any credential.
      </p>
      <form onSubmit={onSubmit} onInput={clearing.onInput} noValidate>
        <div className="grid-2">
          <Field
            label="Worker’s email"
            name="worker"
            type="email"
            value={worker}
            error={errors.worker}
            onChange={(e) => setWorker(e.target.value)}
          />
          <Field label="Role" name="role" value={role} error={errors.role} onChange={(e) => setRole(e.target.value)} />
          <Field
            label="From"
            name="from"
            type="date"
            value={from}
            error={errors.from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <Field
            label="Until (empty: still going)"
            name="until"
            type="date"
            value={until}
            error={errors.until}
            onChange={(e) => setUntil(e.target.value)}
          />
        </div>
        <SkillPicker legend="Skills used" empty="No skill listed." value={skills} onChange={setSkills} />
        <div className="grid-3">
          {ratingKeys.map(([key, label]) => (
            <Field
              key={key}
              label={label}
              name={`ratings.${key}`}
              type="number"
              min="0"
              max="100"
              inputMode="numeric"
              value={ratings[key]}
              error={errors[`ratings.${key}`]}
              onChange={(e) => setRatings({ ...ratings, [key]: e.target.value })}
            />
          ))}
        </div>
        <TextArea
          label="Reference (optional)"
          name="reference.comment"
          rows={3}
          value={comment}
          error={errors['reference.comment']}
          onChange={(e) => setComment(e.target.value)}
        />
        {close.error && !clearing.stale ? <ErrorMessage error={close.error} /> : null}
        {close.isSuccess && (
          <p className="notice" role="status">
            Signed and sent to {worker}’s wallet: the work history{close.data.reference ? ' and the reference' : ''}.
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={close.isPending}>
            Sign and send
          </button>
        </div>
      </form>
    </Panel>
  );
}
