import { resultText } from './holding-text';
import { isWebLink, type HoldingDetail } from './wallet-api';

/** The results the credential records and the evidence it points to; nothing when it has neither. */
export function ResultsSection({ results, evidence }: Pick<HoldingDetail, 'results' | 'evidence'>) {
  if (results.length === 0 && evidence.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="result-heading">
      <h2 id="result-heading">Result and evidence</h2>
      {results.length > 0 && (
        <dl className="facts">
          {results.map((result, i) => (
            <div key={`${result.label}-${i}`}>
              <dt>{result.label}</dt>
              <dd>{resultText(result)}</dd>
            </div>
          ))}
        </dl>
      )}
      {evidence.length > 0 && (
        <ul>
          {evidence.map((item, i) => (
            <li key={`${item.name}-${i}`}>
              <strong>{item.name ?? 'Evidence'}</strong>
              {item.narrative && <span>: {item.narrative}</span>}
              {isWebLink(item.url) && (
                <>
                  {' '}
                  <a href={item.url}>See the evidence</a>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
