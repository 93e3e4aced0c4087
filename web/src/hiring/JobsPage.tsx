import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../platform/api';
import { ErrorMessage, Loading, Panel, formatDate } from '../platform/components';
import { EngagementPanel } from './EngagementPanel';
import { jobPage, jobsPath, useEmployerOrg, type Job } from './hiring-api';

export const jobStatusLabels = { draft: 'Draft', open: 'Open', closed: 'Closed' } as const;

/** Shown when the organization the user acts for does not hire through them. */
export function NotAnEmployer() {
  return (
    <div>
      <h1>Hiring</h1>
      <p>
        You do not hire for the organization you are acting for. Choose another organization in the header, or ask its
        owner for the employer role.
      </p>
    </div>
  );
}

/** For employers of the current organization: its jobs and projects, each with its ranked candidates. */
export function JobsPage() {
  const membership = useEmployerOrg();
  if (!membership) return <NotAnEmployer />;
  const orgId = membership.org.id;
  return (
    <div className="hiring">
      <h1>Hiring</h1>
      <p className="lede">{membership.org.name}</p>
      <p className="hint">
        Describe the skills a job needs; candidates who chose to be found are ranked by the credentials, work history
        and references that verify now, and every point is explained.
      </p>
      <JobsPanel orgId={orgId} />
      <EngagementPanel orgId={orgId} />
    </div>
  );
}

function JobsPanel({ orgId }: { orgId: string }) {
  const list = useQuery({
    queryKey: ['orgs', orgId, 'jobs'],
    queryFn: () => api<{ jobs: Job[] }>('GET', jobsPath(orgId)).then((r) => r.jobs),
  });
  return (
    <Panel title="Jobs and projects">
      <p>
        <Link to={`/hiring/${orgId}/jobs/new`} className="button">
          Post a job or project
        </Link>
      </p>
      <ErrorMessage error={list.error} />
      {list.isPending && <Loading />}
      {list.data?.length === 0 && <p className="empty">No jobs or projects yet.</p>}
      {list.data && list.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Jobs and projects</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Skills asked</th>
                <th scope="col">Review</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((job) => (
                <tr key={job.id}>
                  <td>
                    <Link to={jobPage(orgId, job.id)}>{job.title}</Link>
                  </td>
                  <td>{job.kind === 'project' ? 'Project' : 'Job'}</td>
                  <td>
                    <span className={`badge ${job.status}`}>{jobStatusLabels[job.status]}</span>
                  </td>
                  <td>
                    {job.skills.map((s, i) => (
                      <span key={s.skill}>
                        {i > 0 && ', '}
                        {s.label}
                        {s.required && <span className="muted"> (required)</span>}
                      </span>
                    ))}
                  </td>
                  <td>{job.blind ? 'Blind' : 'Named'}</td>
                  <td>{formatDate(job.updatedAt)}</td>
                  <td>
                    <Link to={jobPage(orgId, job.id, '/edit')}>
                      Edit<span className="visually-hidden"> {job.title}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
