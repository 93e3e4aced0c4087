import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage, Field, Select, TextArea, fieldErrors } from '../platform/components';
import type { Item, SkillAlignment } from '../platform/types';

export interface ItemInput {
  stem: string;
  options: string[];
  correct: number[];
  skills: string[];
  difficulty: number;
}

const difficulties = [1, 2, 3, 4, 5].map(
  (n) => [String(n), `${n}${n === 1 ? ' (easy)' : n === 5 ? ' (hard)' : ''}`] as const,
);

/** Add or edit one item: a question, 2 to 10 options with the right one(s) ticked, skills and difficulty. */
export function ItemForm({
  item,
  skills,
  error,
  busy,
  onSubmit,
  onCancel,
}: {
  item?: Item | undefined;
  skills: SkillAlignment[];
  error: unknown;
  busy: boolean;
  onSubmit(input: ItemInput): void;
  onCancel?: () => void;
}) {
  const id = useId();
  const [options, setOptions] = useState<{ text: string; correct: boolean }[]>(
    item
      ? item.options.map((o) => ({ text: o.text, correct: item.correct.includes(o.id) }))
      : [
          { text: '', correct: true },
          { text: '', correct: false },
          { text: '', correct: false },
        ],
  );
  const known = new Set(skills.map((s) => s.code));
  const [tagged, setTagged] = useState<string[]>(item?.skills.filter((s) => known.has(s)) ?? []);
  const errors = fieldErrors(error);
  const fieldError = (name: string) =>
    Object.entries(errors).find(([field]) => field.endsWith(`.${name}`) || field === name)?.[1];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const other = String(form.get('otherSkills') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    onSubmit({
      stem: String(form.get('stem') ?? ''),
      options: options.map((o) => o.text),
      correct: options.flatMap((o, i) => (o.correct ? [i] : [])),
      skills: [...tagged, ...other],
      difficulty: Number(form.get('difficulty')),
    });
  }

  const update = (index: number, change: Partial<{ text: string; correct: boolean }>) =>
    setOptions(options.map((o, i) => (i === index ? { ...o, ...change } : o)));

  return (
    <form onSubmit={submit} noValidate className="item-form">
      <ErrorMessage error={error} />
      <TextArea label="Question" name="stem" rows={2} defaultValue={item?.stem ?? ''} error={fieldError('stem')} />
      <fieldset>
        <legend>Options (tick the right ones; more than one makes a multiple-answer item)</legend>
        {options.map((option, i) => (
          <div className="option-row" key={i}>
            <input
              type="checkbox"
              id={`${id}-correct-${i}`}
              checked={option.correct}
              onChange={(e) => update(i, { correct: e.target.checked })}
            />
            <label htmlFor={`${id}-correct-${i}`} className="visually-hidden">
              Option {i + 1} is right
            </label>
            <label htmlFor={`${id}-option-${i}`} className="visually-hidden">
              Option {i + 1}
            </label>
            <input
              id={`${id}-option-${i}`}
              value={option.text}
              placeholder={`Option ${i + 1}`}
              onChange={(e) => update(i, { text: e.target.value })}
            />
            <button
              type="button"
              className="link"
              disabled={options.length <= 2}
              onClick={() => setOptions(options.filter((_, j) => j !== i))}
            >
              <span aria-hidden="true">×</span>
              <span className="visually-hidden">Remove option {i + 1}</span>
            </button>
          </div>
        ))}
        {(fieldError('options') || fieldError('correct')) && (
          <p className="field-error">{fieldError('options') ?? fieldError('correct')}</p>
        )}
        <button
          type="button"
          className="secondary"
          disabled={options.length >= 10}
          onClick={() => setOptions([...options, { text: '', correct: false }])}
        >
          Add an option
        </button>
      </fieldset>
      {skills.length > 0 && (
        <fieldset>
          <legend>Skills measured</legend>
          {skills.map((s) => (
            <label key={s.code} className="check">
              <input
                type="checkbox"
                checked={tagged.includes(s.code)}
                onChange={(e) => setTagged(e.target.checked ? [...tagged, s.code] : tagged.filter((t) => t !== s.code))}
              />{' '}
              {s.name}
            </label>
          ))}
        </fieldset>
      )}
      <div className="grid-2">
        <Field
          label="Other skill codes"
          name="otherSkills"
          hint="Separated by commas."
          defaultValue={item?.skills.filter((s) => !known.has(s)).join(', ') ?? ''}
        />
        <Select
          label="Difficulty"
          name="difficulty"
          options={difficulties}
          defaultValue={String(item?.difficulty ?? 3)}
          error={fieldError('difficulty')}
        />
      </div>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {item ? 'Save the item' : 'Add the item'}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
