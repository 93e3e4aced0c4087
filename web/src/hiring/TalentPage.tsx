import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../platform/api';
import {
  ErrorMessage,
  Field,
  Loading,
  Panel,
  fieldErrors,
  formatDate,
  formatDateTime,
  useClearingErrors,
} from '../platform/components';
import type { Talent, TalentPreview } from './hiring-api';
import './hiring.css';

const talentKey = ['me', 'talent'];

const statusLabels: Record<string, string> = {
  active: 'Verifies',
  revoked: 'Revoked',
  suspended: 'Suspended',
  expired: 'Expired',
  unverified: 'Does not verify',
  'not-the-candidate': 'Not yours',
};

/** The learner's talent profile: consent to be found, what counts, exactly what employers see, references. */
export function TalentPage() {
  const talent = useQuery({ queryKey: [...talentKey, 'profile'], queryFn: () => api<Talent>('GET', '/api/me/talent') });
  const preview = useQuery({
    queryKey: [...talentKey, 'preview'],
    queryFn: () => api<TalentPreview>('GET', '/api/me/talent/preview'),
  });
  if (talent.isPending || preview.isPending) return <Loading />;
  if (talent.error || preview.error) return <ErrorMessage error={talent.error ?? preview.error} />;
  return (
    <div className="hiring talent">
      <h1>Talent profile</h1>
      <p className="hint">
        Employers who hire through Skillproof rank the people who chose to be found by the credentials, work history and
        references that verify now. Nothing of yours is visible to any employer until you opt in, and opting out removes
        you from every ranking at once.
      </p>
      <TalentForm talent={talent.data} preview={preview.data} />
      <PreviewPanel preview={preview.data} />
      <RecordsPanel preview={preview.data} />
      <RevealsPanel preview={preview.data} />
    </div>
  );
}

function TalentForm({ talent, preview }: { talent: Talent; preview: TalentPreview }) {
  const queryClient = useQueryClient();
  const [discoverable, setDiscoverable] = useState(talent.discoverable);
  const [headline, setHeadline] = useState(talent.headline);
  const [availableFrom, setAvailableFrom] = useState(talent.availableFrom ?? '');
  const [daysPerWeek, setDaysPerWeek] = useState(talent.daysPerWeek === null ? '' : String(talent.daysPerWeek));
  const [dayRate, setDayRate] = useState(talent.dayRate === null ? '' : String(talent.dayRate));
  const [roles, setRoles] = useState(talent.desiredRoles.join(', '));
  const [chooseAll, setChooseAll] = useState(talent.holdingIds === null);
  const [chosen, setChosen] = useState<Set<string>>(
    () => new Set(talent.holdingIds ?? preview.holdings.map((h) => h.holdingId)),
  );
  const save = useMutation({
    mutationFn: () =>
      api<Talent>('PUT', '/api/me/talent', {
        discoverable,
        headline,
        availableFrom: availableFrom || null,
        daysPerWeek: daysPerWeek === '' ? null : Number(daysPerWeek),
        dayRate: dayRate === '' ? null : Number(dayRate),
        desiredRoles: roles
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
        holdingIds: chooseAll ? null : [...chosen],
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: talentKey }),
  });
  const clearing = useClearingErrors(fieldErrors(save.error), save.error);
  const errors = clearing.errors;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Panel title="Be found by employers">
      <form onSubmit={onSubmit} onInput={clearing.onInput} noValidate>
        <label className="choice">
          <input
            type="checkbox"
            name="discoverable"
            checked={discoverable}
            onChange={(e) => setDiscoverable(e.target.checked)}
          />{' '}
          Let employers find me and rank me for their jobs
        </label>
        <Field
          label="Headline"
          name="headline"
          maxLength={200}
          hint="A line employers see, even in blind review (no name or contact details here)."
          value={headline}
          error={errors.headline}
          onChange={(e) => setHeadline(e.target.value)}
        />
        <div className="grid-3">
          <Field
            label="Available from"
            name="availableFrom"
            type="date"
            value={availableFrom}
            error={errors.availableFrom}
            onChange={(e) => setAvailableFrom(e.target.value)}
          />
          <Field
            label="Days a week"
            name="daysPerWeek"
            type="number"
            min="1"
            max="7"
            inputMode="numeric"
            value={daysPerWeek}
            error={errors.daysPerWeek}
            onChange={(e) => setDaysPerWeek(e.target.value)}
          />
          <Field
            label="Day rate (optional)"
            name="dayRate"
            type="number"
            min="0"
            value={dayRate}
            error={errors.dayRate}
            onChange={(e) => setDayRate(e.target.value)}
          />
        </div>
        <Field
          label="Roles you want"
          name="desiredRoles"
          hint="Separated by commas, for example: data analyst, cloud engineer."
          value={roles}
          error={errors.desiredRoles}
          onChange={(e) => setRoles(e.target.value)}
        />
        <fieldset>
          <legend>What employers may rank you by</legend>
          <label className="choice">
            <input type="radio" name="talent-holdings" checked={chooseAll} onChange={() => setChooseAll(true)} /> Every
            credential of mine that verifies
          </label>
          <label className="choice">
            <input type="radio" name="talent-holdings" checked={!chooseAll} onChange={() => setChooseAll(false)} /> Only
            the ones I choose
          </label>
          {!chooseAll &&
            (preview.holdings.length === 0 ? (
              <p className="hint">Your wallet holds no credentials yet.</p>
            ) : (
              <ul className="link-list" aria-label="Credentials employers may see">
                {preview.holdings.map((h) => (
                  <li key={h.holdingId}>
                    <label className="choice">
                      <input
                        type="checkbox"
                        checked={chosen.has(h.holdingId)}
                        onChange={(e) => {
                          const next = new Set(chosen);
                          if (e.target.checked) next.add(h.holdingId);
                          else next.delete(h.holdingId);
                          setChosen(next);
                        }}
                      />{' '}
                      {h.name} <span className="muted">· {h.issuer ?? 'unknown issuer'}</span>{' '}
                      <span className={`badge ${h.status}`}>{statusLabels[h.status] ?? h.status}</span>
                    </label>
                  </li>
                ))}
              </ul>
            ))}
          {errors.holdingIds && <p className="field-error">{errors.holdingIds}</p>}
        </fieldset>
        {save.error && !clearing.stale ? <ErrorMessage error={save.error} /> : null}
        {save.isSuccess && (
          <p className="notice" role="status">
            Saved.{' '}
            {save.data.discoverable
              ? 'Employers can find you now.'
              : 'You are in no employer’s ranking: nothing of yours is shown.'}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            Save the talent profile
          </button>
        </div>
      </form>
    </Panel>
  );
}

function PreviewPanel({ preview }: { preview: TalentPreview }) {
  const shown = preview.holdings.filter((h) => h.shown);
  return (
    <Panel title="What employers see">
      {!preview.discoverable ? (
        <p>You are not discoverable: no employer sees anything of you, in any ranking.</p>
      ) : (
        <>
          <p>In blind review (the default), an employer sees this card, with no name, email or photo:</p>
          <dl className="facts preview-card" aria-label="Your card in blind review">
            <div>
              <dt>Candidate</dt>
              <dd>Candidate {preview.blind.candidateId?.slice(0, 8)}</dd>
            </div>
            <div>
              <dt>Headline</dt>
              <dd>{preview.blind.headline || 'None'}</dd>
            </div>
            <div>
              <dt>Available from</dt>
              <dd>{preview.blind.availableFrom ? formatDate(preview.blind.availableFrom) : 'Not said'}</dd>
            </div>
            <div>
              <dt>Days a week</dt>
              <dd>{preview.blind.daysPerWeek ?? 'Not said'}</dd>
            </div>
            <div>
              <dt>Day rate</dt>
              <dd>{preview.blind.dayRate ?? 'Not said'}</dd>
            </div>
            <div>
              <dt>Roles wanted</dt>
              <dd>{preview.blind.desiredRoles.length ? preview.blind.desiredRoles.join(', ') : 'Not said'}</dd>
            </div>
          </dl>
          <p>
            If an employer reveals you (or reviews without blindness), they also see your name{' '}
            <strong>{preview.revealed.displayName}</strong> and email <strong>{preview.revealed.email}</strong>.
          </p>
          <h3>The evidence they rank you by</h3>
          {shown.length === 0 ? (
            <p className="empty">None: employers find you only for skills your credentials prove.</p>
          ) : (
            <ul className="link-list" aria-label="Evidence employers see">
              {shown.map((h) => (
                <li key={h.holdingId}>
                  {h.name} <span className="muted">· {h.issuer ?? 'unknown issuer'}</span>{' '}
                  <span className={`badge ${h.status}`}>{statusLabels[h.status] ?? h.status}</span>
                  {!h.counts && <span className="muted"> (shown, but counts 0 points: it does not verify now)</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Panel>
  );
}

/** Work history and references in the wallet: signed by the employer, they count once they verify. */
function RecordsPanel({ preview }: { preview: TalentPreview }) {
  const work = preview.holdings.filter((h) => h.kind === 'work');
  const references = preview.holdings.filter((h) => h.kind === 'reference');
  return (
    <Panel title="Verified work history and references">
      <p className="hint">
        Employers you worked for through Skillproof (or elsewhere, imported to your wallet) sign these; they count for
        you while they verify.
      </p>
      <h3>Work history</h3>
      {work.length === 0 ? (
        <p className="empty">No work history yet.</p>
      ) : (
        <ul className="link-list evidence" aria-label="Work history">
          {work.map((h) => (
            <li key={h.holdingId}>
              <Link to={`/wallet/${h.holdingId}`}>{h.work?.role ?? h.name}</Link>
              {h.issuer ? ` at ${h.issuer}` : ''}{' '}
              <span className={`badge ${h.status}`}>{statusLabels[h.status] ?? h.status}</span>
              {h.work && (
                <p className="muted">
                  {h.work.from ? formatDate(h.work.from) : '?'} – {h.work.until ? formatDate(h.work.until) : 'now'} (
                  {h.work.months} month{h.work.months === 1 ? '' : 's'})
                  {[
                    h.work.ratings.communication !== null ? `communication ${h.work.ratings.communication}` : '',
                    h.work.ratings.timeliness !== null ? `timeliness ${h.work.ratings.timeliness}` : '',
                    h.work.ratings.reliability !== null ? `reliability ${h.work.ratings.reliability}` : '',
                  ]
                    .filter(Boolean)
                    .join(', ')
                    .replace(/^(.)/, ' · rated $1')}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3>References</h3>
      {references.length === 0 ? (
        <p className="empty">No references yet.</p>
      ) : (
        <ul className="link-list evidence" aria-label="References">
          {references.map((h) => (
            <li key={h.holdingId}>
              <Link to={`/wallet/${h.holdingId}`}>From {h.issuer ?? 'an unnamed referee'}</Link>{' '}
              <span className={`badge ${h.status}`}>{statusLabels[h.status] ?? h.status}</span>
              {h.reference?.comment && <blockquote>{h.reference.comment}</blockquote>}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function RevealsPanel({ preview }: { preview: TalentPreview }) {
  return (
    <Panel title="Who revealed your identity">
      {preview.reveals.length === 0 ? (
        <p className="empty">No employer has revealed your name.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Reveals of your identity</caption>
            <thead>
              <tr>
                <th scope="col">Organization</th>
                <th scope="col">Job</th>
                <th scope="col">By</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {preview.reveals.map((r) => (
                <tr key={`${r.jobId}-${r.revealedAt}`}>
                  <td>{r.organization}</td>
                  <td>{r.jobTitle}</td>
                  <td>{r.revealedBy ?? '—'}</td>
                  <td>{formatDateTime(r.revealedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
