import { useMutation } from '@tanstack/react-query';
import { api } from '../platform/api';
import { ErrorMessage, Panel } from '../platform/components';
import type { TestPolicy } from '../platform/types';
import { ItemView, type ShownItem } from './ItemView';

/** A sample draw, as learners see it; the server records nothing and counts no exposure. */
export function TestPreviewPanel({ url }: { url: string }) {
  const draw = useMutation({ mutationFn: () => api<{ policy: TestPolicy; items: ShownItem[] }>('GET', url) });
  return (
    <Panel title="Test preview">
      <p>A sample draw as a learner would see it. Nothing is recorded.</p>
      <button type="button" className="secondary" onClick={() => draw.mutate()} disabled={draw.isPending}>
        {draw.data ? 'Draw again' : 'Preview a test'}
      </button>
      <ErrorMessage error={draw.error} />
      {draw.data && (
        <div className="preview-items">
          <p className="muted">
            {draw.data.items.length} items · {draw.data.policy.timeLimitMinutes} minutes · pass mark{' '}
            {draw.data.policy.passMark}%
          </p>
          {draw.data.items.map((item, i) => (
            <ItemView key={item.id} item={item} number={i + 1} chosen={[]} disabled />
          ))}
        </div>
      )}
    </Panel>
  );
}
