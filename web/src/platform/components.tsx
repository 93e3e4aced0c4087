import {
  useId,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { ApiError } from './api';

/** What every form control shares: its label, an optional hint and error, tied to it for screen readers. */
function FieldFrame({
  label,
  error,
  hint,
  control,
}: {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  control: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {control({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input whose error is announced and tied to it for screen readers. */
export function Field({
  label,
  error,
  hint,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  error?: string | undefined;
  hint?: string;
}) {
  return <FieldFrame label={label} error={error} hint={hint} control={(ids) => <input {...ids} {...input} />} />;
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <p className="alert" role="alert">
      {message}
    </p>
  );
}

/** Field errors from a problem response, by field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(error.fields.map((f) => [f.field, f.message]));
}

const noneChanged: ReadonlySet<string> = new Set();

/**
 * Field errors that clear as their field changes: a fixed field stops showing the old message before the next
 * save. `identity` is what the errors came from (the last answer); new errors show in full again. Put `onInput`
 * on the form (inputs, text areas and selects report by their `name`) or call `changed(name)` yourself.
 */
export function useClearingErrors(errors: Record<string, string>, identity: unknown) {
  const [state, setState] = useState<{ identity: unknown; changed: ReadonlySet<string> }>({
    identity,
    changed: noneChanged,
  });
  const changedFields = state.identity === identity ? state.changed : noneChanged;
  const changed = (name: string) => {
    if (!name || errors[name] === undefined || changedFields.has(name)) return;
    setState((prev) => {
      const base = prev.identity === identity ? prev.changed : noneChanged;
      return base.has(name) ? prev : { identity, changed: new Set([...base, name]) };
    });
  };
  return {
    errors: Object.fromEntries(Object.entries(errors).filter(([field]) => !changedFields.has(field))),
    /** Whether a field with an error has changed since: the form's summary of the errors is stale then. */
    stale: changedFields.size > 0,
    changed,
    onInput: (event: FormEvent<HTMLFormElement>) => changed((event.target as HTMLInputElement).name ?? ''),
  };
}

export function Panel({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A labelled multi-line text input, with its error tied to it. */
export function TextArea({
  label,
  error,
  hint,
  ...input
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; error?: string | undefined; hint?: string }) {
  return <FieldFrame label={label} error={error} hint={hint} control={(ids) => <textarea {...ids} {...input} />} />;
}

/** A labelled select over value → label pairs. */
export function Select({
  label,
  options,
  error,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  options: readonly (readonly [string, string])[];
  error?: string | undefined;
}) {
  return (
    <FieldFrame
      label={label}
      error={error}
      control={(ids) => (
        <select {...ids} {...select}>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    />
  );
}

export function Loading() {
  return <p aria-busy="true">Loading…</p>;
}

/**
 * A day as the reader's locale writes it, in UTC: the same day the server's pages print (platform/dates.ts),
 * whatever the reader's time zone. Times of day (formatDateTime) stay in the reader's zone.
 */
export function formatDate(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' }) : '—';
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A badge image when it is this instance's own (uploaded here or drawn here): the app loads no image from
 * other sites, which would tell them who looks at a credential.
 */
export function BadgeImage({ src, size = 64 }: { src: string | null | undefined; size?: number }) {
  if (!src) return null;
  let url: URL;
  try {
    url = new URL(src, window.location.href);
  } catch {
    return null;
  }
  if (url.origin !== window.location.origin) return null;
  return <img className="badge-image" src={url.pathname} alt="" width={size} height={size} />;
}

/**
 * The EU micro-credential elements a credential states (workload, level, assessment, validity…), labelled and
 * in plain words, apart from its skills.
 */
export function EuFactList({ facts, label }: { facts: { label: string; value: string }[]; label: string }) {
  if (facts.length === 0) return null;
  return (
    <dl className="facts eu-facts" aria-label={label}>
      {facts.map((fact) => (
        <div key={fact.label}>
          <dt>{fact.label}</dt>
          <dd>{fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}
