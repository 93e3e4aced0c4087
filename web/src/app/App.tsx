import type { ReactNode } from 'react';
import { Link, Navigate, NavLink, Outlet, Route, Routes, useNavigate } from 'react-router';
import { useSession } from '../accounts/session';
import { SignInPage, SignUpPage } from '../accounts/AuthPages';
import {
  AccountSettingsPage,
  ConfirmEmailLandingPage,
  ForgotPasswordPage,
  ResetPasswordPage,
} from '../accounts/AccountPages';
import { BulkIssuePage } from '../issuance/BulkIssuePage';
import { ClaimPage } from '../issuance/ClaimPage';
import { DashboardPage } from '../accounts/DashboardPage';
import { IssuedCredentialsPage } from '../issuance/IssuedCredentialsPage';
import { ProfilePage } from '../sharing/ProfilePage';
import { ReviewPage, ReviewQueuePage } from '../review/ReviewPages';
import { MySubmissionsPage, SubmitWorkPage } from '../review/SubmissionPages';
import { VerifyPage } from '../verification/VerifyPage';
import { BatchVerifyPage } from '../verification/BatchVerifyPage';
import { TrustRegistriesPage } from '../trust/TrustRegistriesPage';
import { AchievementEditorPage, NewAchievementPage } from '../catalog/AchievementEditorPage';
import { IssuerConsolePage } from '../catalog/IssuerConsolePage';
import { ItemBankPage } from '../assessment/ItemBankPage';
import { AchievementPage } from '../catalog/AchievementPage';
import { CatalogPage } from '../catalog/CatalogPage';
import { TestPage } from '../assessment/TestPage';
import { HoldingPage } from '../wallet/HoldingPage';
import { ImportPage } from '../wallet/ImportPage';
import { ConfirmEmailPage, IdentitiesPage } from '../identities/IdentitiesPage';
import { WalletPage } from '../wallet/WalletPage';
import { AdvicePage } from '../advice/AdvicePage';
import { WhatIfPage } from '../advice/WhatIfPage';
import { useIssuerOrg } from '../accounts/issuer';
import { AuditPage } from '../audit/AuditPage';
import { TeamBuilderPage } from '../hiring/team/TeamBuilderPage';
import { useEmployerOrg } from '../hiring/hiring-api';
import { JobsPage } from '../hiring/JobsPage';
import { JobEditorPage } from '../hiring/JobEditorPage';
import { CandidatesPage } from '../hiring/CandidatesPage';
import { CandidatePage } from '../hiring/CandidatePage';
import { TalentPage } from '../hiring/TalentPage';
import { MyApplicationsPage } from '../hiring/MyApplicationsPage';
import { PipelineBoardPage } from '../hiring/PipelineBoardPage';
import { JobBoardPage, JobPostingPage } from '../hiring/JobBoardPage';
import { PathwaysPage } from '../pathways/PathwaysPage';
import { PathwayProgressPage } from '../pathways/PathwayProgressPage';
import { PathwayBuilderPage, PathwayListPage } from '../pathways/PathwayBuilderPage';
import { AnalyticsPage } from '../analytics/AnalyticsPage';
import { ConsentPage } from '../oauth/ConsentPage';
import { ConnectedAppsPage } from '../oauth/ConnectedAppsPage';

function OrgSwitcher() {
  const { session, currentOrg, switchOrg } = useSession();
  if (!session || session.memberships.length === 0) return null;
  return (
    <div className="org-switcher">
      <label htmlFor="org-switcher">Organization</label>
      <select id="org-switcher" value={currentOrg?.org.id ?? ''} onChange={(e) => switchOrg(e.target.value || null)}>
        {session.memberships.map((m) => (
          <option key={m.org.id} value={m.org.id}>
            {m.org.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function Layout() {
  const { session, currentOrg, signOut } = useSession();
  const issuer = useIssuerOrg();
  const employer = useEmployerOrg();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Skillproof
        </Link>
        <nav aria-label="Main">
          {session && <NavLink to="/dashboard">Dashboard</NavLink>}
          <NavLink to="/catalog">Catalog</NavLink>
          {session && <NavLink to="/wallet">My credentials</NavLink>}
          {session && <NavLink to="/pathways">Pathways</NavLink>}
          {session ? (
            <NavLink to="/advice" end>
              Advice
            </NavLink>
          ) : (
            <NavLink to="/advice/what-if">What would it take?</NavLink>
          )}
          {issuer && <NavLink to="/issuer">Issuer console</NavLink>}
          {session && <NavLink to="/talent">Talent profile</NavLink>}
          {session && <NavLink to="/jobs">Jobs</NavLink>}
          {employer && <NavLink to="/hiring">Hiring</NavLink>}
          <NavLink to="/verify" end>
            Verify a credential
          </NavLink>
          {session?.isAdmin && <NavLink to="/admin/trust">Trusted issuers</NavLink>}
          {(session?.isAdmin || currentOrg?.roles.includes('owner')) && <NavLink to="/audit">Audit log</NavLink>}
          {(session?.isAdmin || issuer || employer) && <NavLink to="/analytics">Analytics</NavLink>}
          <a href="/docs">API</a>
        </nav>
        <div className="account">
          <OrgSwitcher />
          {session ? (
            <>
              <Link to="/account" className="who" title="Account settings">
                {session.user.name}
              </Link>
              <button
                type="button"
                className="secondary"
                onClick={async () => {
                  await signOut();
                  navigate('/sign-in');
                }}
              >
                Sign out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/sign-in">Sign in</NavLink>
              <NavLink to="/sign-up">Sign up</NavLink>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {session && !session.user.emailConfirmed && (
          <p className="notice warn" role="status">
            Confirm your email address with the link we sent to {session.user.email}: credentials sent to it reach your
            wallet only then. <Link to="/account">Send it again</Link>
          </p>
        )}
        <Outlet />
      </main>
    </>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const { session, loading } = useSession();
  if (loading) return <p aria-busy="true">Loading…</p>;
  return session ? children : <Navigate to="/sign-in" replace />;
}

function Home() {
  const { session, loading } = useSession();
  if (loading) return <p aria-busy="true">Loading…</p>;
  return <Navigate to={session ? '/dashboard' : '/sign-in'} replace />;
}

function NotFoundPage() {
  return (
    <div className="not-found">
      <h1>Page not found</h1>
      <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </div>
  );
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="sign-up" element={<SignUpPage />} />
        <Route path="confirm-email" element={<ConfirmEmailLandingPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="verify" element={<VerifyPage />} />
        <Route path="verify/batch" element={<BatchVerifyPage />} />
        <Route
          path="dashboard"
          element={
            <RequireSession>
              <DashboardPage />
            </RequireSession>
          }
        />
        {[
          ['issuer', <IssuerConsolePage />],
          ['issuer/achievements/new', <NewAchievementPage />],
          ['issuer/achievements/:achievementId', <AchievementEditorPage />],
          ['issuer/achievements/:achievementId/test', <ItemBankPage />],
          ['attempts/:attemptId', <TestPage />],
          ['wallet', <WalletPage />],
          ['advice', <AdvicePage />],
          ['wallet/import', <ImportPage />],
          ['wallet/:holdingId', <HoldingPage />],
          ['reviews', <ReviewQueuePage />],
          ['reviews/:submissionId', <ReviewPage />],
          ['submissions', <MySubmissionsPage />],
          ['achievements/:achievementId/submit', <SubmitWorkPage />],
          ['issued', <IssuedCredentialsPage />],
          ['bulk-issue', <BulkIssuePage />],
          ['profile', <ProfilePage />],
          ['account', <AccountSettingsPage />],
          ['identities', <IdentitiesPage />],
          ['identities/email/:token', <ConfirmEmailPage />],
          ['admin/trust', <TrustRegistriesPage />],
          ['audit', <AuditPage />],
          ['hiring/:orgId/jobs/:jobId/team', <TeamBuilderPage />],
          ['talent', <TalentPage />],
          ['hiring', <JobsPage />],
          ['hiring/:orgId/jobs/new', <JobEditorPage />],
          ['hiring/:orgId/jobs/:jobId', <CandidatesPage />],
          ['hiring/:orgId/jobs/:jobId/edit', <JobEditorPage />],
          ['hiring/:orgId/jobs/:jobId/candidates/:candidateId', <CandidatePage />],
          ['hiring/applications', <MyApplicationsPage />],
          ['hiring/jobs/:jobId/pipeline', <PipelineBoardPage />],
          ['pathways', <PathwaysPage />],
          ['pathways/:pathwayId', <PathwayProgressPage />],
          ['issuer/pathways', <PathwayListPage />],
          ['issuer/pathways/new', <PathwayBuilderPage />],
          ['issuer/pathways/:pathwayId', <PathwayBuilderPage />],
          ['analytics', <AnalyticsPage />],
          ['connected-apps', <ConnectedAppsPage />],
          ['jobs', <JobBoardPage />],
          ['jobs/:jobId', <JobPostingPage />],
        ].map(([path, page]) => (
          <Route key={path as string} path={path as string} element={<RequireSession>{page}</RequireSession>} />
        ))}
        {/* The wallet replaced "My credentials"; old links keep working. */}
        <Route path="credentials" element={<Navigate to="/wallet" replace />} />
        <Route path="advice/what-if" element={<WhatIfPage />} />
        <Route path="catalog" element={<CatalogPage />} />
        <Route path="catalog/:achievementId" element={<AchievementPage />} />
        <Route path="claim/:token" element={<ClaimPage />} />
        <Route path="connect/:uid" element={<ConsentPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
