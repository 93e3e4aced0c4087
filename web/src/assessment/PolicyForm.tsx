import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api } from '../platform/api';
import { ErrorMessage, Field, Panel, fieldErrors } from '../platform/components';
import type { TestPolicy } from '../platform/types';

const numbers: [keyof TestPolicy, string, string?][] = [
  ['length', 'Items per test'],
  ['passMark', 'Pass mark (%)'],
  ['timeLimitMinutes', 'Time limit (minutes)'],
  ['maxAttempts', 'Attempts allowed'],
  ['cooldownHours', 'Cooldown after a fail (hours)'],
  ['maxExposure', 'Exposure limit', 'An item retires after this many draws.'],
  ['poolFactor', 'Pool factor', 'Live items needed per test item.'],
];

/** The test policy: length, pass mark, time limit, attempts, cooldown, exposure, stratification. */
export function PolicyForm({ policy, url, bankKey }: { policy: TestPolicy; url: string; bankKey: unknown[] }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (body: TestPolicy) => api<TestPolicy>('PUT', url, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: bankKey }),
  });
  const errors = fieldErrors(save.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = Object.fromEntries(numbers.map(([name]) => [name, Number(form.get(name))])) as unknown as TestPolicy;
    save.mutate({ ...body, stratifyBySkill: form.get('stratifyBySkill') === 'on' });
  }

  return (
    <Panel title="Test policy">
      <form onSubmit={submit} noValidate key={JSON.stringify(policy)}>
        <ErrorMessage error={save.error} />
        {save.isSuccess && (
          <p className="notice" role="status">
            Policy saved.
          </p>
        )}
        <div className="grid-3">
          {numbers.map(([name, label, hint]) => (
            <Field
              key={name}
              label={label}
              name={name}
              type="number"
              min={0}
              defaultValue={policy[name] as number}
              error={errors[name]}
              {...(hint ? { hint } : {})}
            />
          ))}
        </div>
        <label className="check">
          <input type="checkbox" name="stratifyBySkill" defaultChecked={policy.stratifyBySkill} /> Balance each test
          across skills
        </label>
        <p>
          <button type="submit" disabled={save.isPending}>
            Save policy
          </button>
        </p>
      </form>
    </Panel>
  );
}
