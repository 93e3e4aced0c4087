import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { achievementPath } from '../accounts/issuer';
import { api } from '../platform/api';
import { ErrorMessage, Field, Panel, TextArea, fieldErrors } from '../platform/components';

interface Awarded {
  credential: { id: string; name: string | null; issuedAt: string };
}

const blank = { email: '', score: '', narrative: '', evidenceUrl: '' };

/**
 * One award by hand (an exam held elsewhere, a portfolio, recognized prior learning): the published version, to an
 * email; the learner's wallet gets it when they have an account, or by the claim link otherwise. Each filled form
 * carries its own key, so a double click or a retry issues once.
 */
export function AwardPanel({ orgId, achievementId }: { orgId: string; achievementId: string }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(blank);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [last, setLast] = useState<string | null>(null);
  const award = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<Awarded>('POST', achievementPath(orgId, achievementId, '/awards'), body),
    onSuccess: async () => {
      setLast(form.email.trim());
      setForm(blank);
      setKey(crypto.randomUUID());
      await queryClient.invalidateQueries({ queryKey: ['orgs', orgId, 'credentials'] });
    },
  });
  const errors = fieldErrors(award.error);
  // A change clears the last answer, so a fixed field no longer shows the old message.
  const set = (field: keyof typeof blank) => (e: { target: { value: string } }) => {
    setForm({ ...form, [field]: e.target.value });
    if (award.error) award.reset();
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setLast(null);
    award.mutate({
      email: form.email.trim(),
      key,
      ...(form.score.trim() ? { score: Number(form.score) } : {}),
      ...(form.narrative.trim() ? { narrative: form.narrative.trim() } : {}),
      ...(form.evidenceUrl.trim() ? { evidenceUrl: form.evidenceUrl.trim() } : {}),
    });
  }

  return (
    <Panel title="Award by hand">
      <p className="hint">
        For one learner you assessed yourself. For many at once, use <Link to="/bulk-issue">bulk issuance</Link>.
      </p>
      <form onSubmit={submit} noValidate className="stack">
        <Field
          label="Learner's email"
          type="email"
          autoComplete="off"
          required
          value={form.email}
          onChange={set('email')}
          error={errors.email}
        />
        <Field
          label="Score in % (optional)"
          type="number"
          min={0}
          max={100}
          inputMode="decimal"
          value={form.score}
          onChange={set('score')}
          error={errors.score}
        />
        <TextArea
          label="What they did (optional, goes into the credential as evidence)"
          value={form.narrative}
          maxLength={5000}
          rows={3}
          onChange={set('narrative')}
          error={errors.narrative}
        />
        <Field
          label="Link to the evidence (optional)"
          type="url"
          value={form.evidenceUrl}
          onChange={set('evidenceUrl')}
          error={errors.evidenceUrl}
        />
        <ErrorMessage error={award.error} />
        {award.isSuccess && last && (
          <p className="notice" role="status">
            Awarded to {last}. It is listed in <Link to="/issued">issued credentials</Link>.
          </p>
        )}
        <p>
          <button type="submit" disabled={award.isPending || !form.email.trim()}>
            Award the credential
          </button>
        </p>
      </form>
    </Panel>
  );
}
