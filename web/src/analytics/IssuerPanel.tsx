import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel, Select } from '../platform/components';

type Withheld = { suppressed: true; reason: string };
type Rate = { successes: number; trials: number; estimate: number; ciLow: number; ciHigh: number } | Withheld;
type Estimate = { estimate: number; stdError: number; ciLow: number; ciHigh: number } | Withheld;

interface IssuerReport {
  outcome: string;
  privacyFloor: number;
  achievements: {
    achievementId: string;
    code: string;
    title: string;
    status: string;
    attempts: number | null;
    candidates: number | null;
    passRate: Rate;
    issued: number | null;
    holders: number | null;
    shareRate: Rate;
    eventStudy: Estimate;
  }[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const count = (n: number | null) => (n === null ? 'withheld' : n.toLocaleString('en'));

function RateCell({ rate }: { rate: Rate }) {
  if ('suppressed' in rate) return <td title={rate.reason}>withheld</td>;
  return (
    <td>
      {pct(rate.estimate)}{' '}
      <span className="hint">
        ({pct(rate.ciLow)} to {pct(rate.ciHigh)})
      </span>
    </td>
  );
}

/**
 * The issuer dashboard: per micro-credential of the organization, candidates and pass rate, credentials issued and
 * share rate (95% Wilson intervals), and the change in the holders' earnings after earning it (the event study's
 * post coefficient) with its coefficient plot. Cells from fewer than 10 workers are withheld; no one is listed.
 */
export function IssuerPanel({ orgId }: { orgId: string }) {
  const base = `/api/orgs/${orgId}/analytics`;
  const report = useQuery({
    queryKey: ['analytics', 'issuer', orgId],
    queryFn: () => api<IssuerReport>('GET', `${base}/issuer`),
  });
  const [chosen, setChosen] = useState<string>('');
  const rows = report.data?.achievements ?? [];
  const studied = chosen || rows[0]?.achievementId || '';
  const studiedRow = rows.find((r) => r.achievementId === studied);
  const studyQuery = `outcome=log-earnings&achievementId=${studied}`;
  return (
    <Panel title="Your micro-credentials">
      <p>
        For each micro-credential your organization published: the people who finished its skill test and the share who
        passed, the credentials issued and the share of holders who shared theirs at least once (with 95% Wilson
        intervals), and the change in holders&apos; earnings, log(1 + amount), in the 14 days after earning it against
        the 14 days before. Figures from fewer than 10 people are withheld.
      </p>
      <ErrorMessage error={report.error} />
      {!report.data ? (
        !report.error && <Loading />
      ) : rows.length === 0 ? (
        <p>Your organization has not published a micro-credential yet.</p>
      ) : (
        <>
          <figure>
            <img
              src={`${base}/issuer.svg`}
              alt="Bar chart of the pass rate and the share rate of each micro-credential with 95% intervals; the table below gives the same numbers."
            />
            <figcaption>
              <a href={`${base}/issuer.svg`} download="issuer.svg">
                Download the rates chart (SVG)
              </a>{' '}
              ·{' '}
              <a href={`${base}/issuer.csv`} download="issuer.csv">
                Download the issuer table (CSV)
              </a>
            </figcaption>
          </figure>
          <div className="table-scroll">
            <table>
              <caption>Micro-credentials: pass rate, share rate and holders&apos; outcomes</caption>
              <thead>
                <tr>
                  <th scope="col">Micro-credential</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Candidates</th>
                  <th scope="col">Pass rate (95% CI)</th>
                  <th scope="col">Credentials issued</th>
                  <th scope="col">Holders</th>
                  <th scope="col">Share rate (95% CI)</th>
                  <th scope="col">Change in earnings after (95% CI)</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.achievementId}>
                    <th scope="row">
                      {row.title} <span className="hint">({row.code})</span>
                    </th>
                    <td>{count(row.attempts)}</td>
                    <td>{count(row.candidates)}</td>
                    <RateCell rate={row.passRate} />
                    <td>{count(row.issued)}</td>
                    <td>{count(row.holders)}</td>
                    <RateCell rate={row.shareRate} />
                    {'suppressed' in row.eventStudy ? (
                      <td title={row.eventStudy.reason}>withheld</td>
                    ) : (
                      <td>
                        {row.eventStudy.estimate.toFixed(3)}{' '}
                        <span className="hint">
                          ({row.eventStudy.ciLow.toFixed(3)} to {row.eventStudy.ciHigh.toFixed(3)})
                        </span>{' '}
                        <a
                          href={`${base}/event-study.svg?outcome=log-earnings&achievementId=${row.achievementId}`}
                          download="event-study.svg"
                        >
                          Plot<span className="visually-hidden"> of {row.title} (SVG)</span>
                        </a>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">
            Withheld cells: fewer than {report.data.privacyFloor} people, or no holder with both windows observed.
          </p>
          <Select
            label="Micro-credential for the coefficient plot"
            name="issuer-study"
            value={studied}
            options={rows.map((r) => [r.achievementId, `${r.title} (${r.code})`] as const)}
            onChange={(e) => setChosen(e.target.value)}
          />
          {studiedRow && (
            <figure>
              <img
                src={`${base}/event-study.svg?${studyQuery}`}
                alt={`Event-study coefficients for ${studiedRow.title}: post, the change in earnings after earning it for holders who had earned before, and post:new_entrant, the difference for new entrants, with 95% intervals (withheld below 10 workers); the table's column pools both groups.`}
              />
              <figcaption>
                <a href={`${base}/event-study.svg?${studyQuery}`} download="event-study.svg">
                  Download this coefficient plot (SVG)
                </a>{' '}
                ·{' '}
                <a href={`${base}/event-study.csv?${studyQuery}`} download="event-study.csv">
                  Download its estimates (CSV)
                </a>
              </figcaption>
            </figure>
          )}
        </>
      )}
    </Panel>
  );
}
