import { useQuery } from '@tanstack/react-query';
import { api } from '../platform/api';
import { ErrorMessage, Panel } from '../platform/components';
import type { ItemStatisticsRow } from '../platform/types';

const flagLabels: Record<string, string> = {
  'negative-discrimination': 'Possibly broken: strong learners get it wrong',
  'facility-jump': 'Possibly leaked: suddenly much easier',
  'fast-answers': 'Possibly leaked: answered unusually fast',
  'too-few-responses': 'Too few responses yet',
};
const percent = (n: number) => `${Math.round(n * 100)}%`;

/** Facility, discrimination, timing and flags per item, from finished attempts. */
export function StatisticsPanel({ url }: { url: string }) {
  const stats = useQuery({
    queryKey: [url],
    queryFn: () => api<{ medianSeconds: number; items: ItemStatisticsRow[] }>('GET', url),
  });
  return (
    <Panel title="Item statistics">
      <ErrorMessage error={stats.error} />
      {stats.data && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Statistics per item</caption>
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col">Responses</th>
                <th scope="col">Facility</th>
                <th scope="col">Discrimination</th>
                <th scope="col">Mean time</th>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {stats.data.items.map((row) => (
                <tr key={row.itemId} className={row.retired ? 'retired' : undefined}>
                  <td>
                    {row.stem}
                    {row.retired && <span className="muted"> (retired)</span>}
                  </td>
                  <td>{row.responses}</td>
                  <td>{row.responses ? percent(row.facility) : '—'}</td>
                  <td>{row.discrimination === null ? '—' : row.discrimination.toFixed(2)}</td>
                  <td>{row.responses ? `${Math.round(row.meanSeconds)} s` : '—'}</td>
                  <td>{row.flags.map((f) => flagLabels[f] ?? f).join('; ') || 'None'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
