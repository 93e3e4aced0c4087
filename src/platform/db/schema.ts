import type { ColumnType, Generated } from 'kysely';

/** Timestamps are written by the database's default and read back as Date. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UsersTable {
  id: string;
  /** Lower-cased and trimmed, so sign-in is case-insensitive. */
  email: string;
  name: string;
  password_hash: string;
  created_at: CreatedAt;
  email_confirmed_at: NullableTimestamp;
}

export interface AccountTokensTable {
  id: string;
  user_id: string;
  purpose: 'confirm-email' | 'change-email' | 'reset-password';
  email: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: NullableTimestamp;
}

export interface SignInFailuresTable {
  email: string;
  failed_at: CreatedAt;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface MembershipsTable {
  org_id: string;
  user_id: string;
  role: string;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scopes: string[];
  created_at: CreatedAt;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface JobRunsTable {
  /** Same id as the pg-boss job. */
  id: string;
  queue: string;
  /** Idempotency key: one run per (queue, key). */
  key: string;
  user_id: string | null;
  state: string;
  done: Generated<number>;
  total: Generated<number>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  attempts: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface OutcomeEventsTable {
  id: Generated<string>;
  user_id: string;
  /** A calendar day, as 'YYYY-MM-DD'. */
  occurred_on: ColumnType<string, string, string>;
  kind: 'earnings' | 'project' | 'job-start';
  value: ColumnType<number, number | undefined, number>;
  source: 'engagement' | 'employer' | 'self' | 'import';
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface OutcomeOptOutsTable {
  user_id: string;
  opted_out_at: CreatedAt;
}

export interface SampleCountItemsTable {
  run_id: string;
  item: number;
}

export interface IssuerKeysTable {
  id: string;
  /** Null for the instance's own key. */
  org_id: string | null;
  fragment: string;
  algorithm: 'Ed25519' | 'RSA';
  public_multibase: string | null;
  public_jwk: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  private_sealed: string;
  created_at: CreatedAt;
  retired_at: NullableTimestamp;
}

export interface StatusListsTable {
  id: string;
  org_id: string;
  purpose: 'revocation' | 'suspension';
  length: number;
  bits: Uint8Array;
  allocated: Generated<number>;
  version: Generated<number>;
  /** The signed BitstringStatusListCredential, as served. */
  published: string | null;
  updated_at: Timestamp;
}

export interface CredentialsTable {
  id: string;
  org_id: string;
  credential_id: string;
  format: 'ldp_vc' | 'jwt';
  /** The document as signed: as text in rows stored before 0016, deflated since (exactly one is set). */
  document: string | null;
  document_deflated: Uint8Array | null;
  subject_id: string | null;
  name: string | null;
  issued_by: string | null;
  issued_at: CreatedAt;
  valid_until: NullableTimestamp;
  revocation_list_id: string | null;
  revocation_index: number | null;
  suspension_list_id: string | null;
  suspension_index: number | null;
  revoked_at: NullableTimestamp;
  revocation_reason: string | null;
  suspended_at: NullableTimestamp;
  recipient_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  achievement_id: ColumnType<string | null, string | null | undefined, string | null>;
  achievement_version: ColumnType<number | null, number | null | undefined, number | null>;
  source_key: ColumnType<string | null, string | null | undefined, string | null>;
}

type Json<T> = ColumnType<T, string, string>;

export interface IssuerProfilesTable {
  org_id: string;
  details: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface AchievementsTable {
  id: string;
  org_id: string;
  status: 'draft' | 'published' | 'retired';
  draft: Json<Record<string, unknown>>;
  /** The human-readable code (OB 3.0 humanCode), unique in the organization in any case. */
  code: string;
  latest_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface BadgeImagesTable {
  id: string;
  org_id: string;
  media_type: 'image/png' | 'image/jpeg';
  bytes: Uint8Array;
  sha256: string;
  created_at: CreatedAt;
}

export interface AchievementVersionsTable {
  achievement_id: string;
  version: number;
  definition: Json<Record<string, unknown>>;
  achievement: Json<Record<string, unknown>>;
  title: string;
  eqf_level: number | null;
  workload_hours: number;
  skill_codes: string[];
  published_at: CreatedAt;
}

export interface SkillFrameworksTable {
  name: string;
  credit: string;
  org_id: string | null;
  updated_at: Timestamp;
}

export interface SkillsTable {
  id: string;
  framework: string;
  code: string;
  name: string;
  description: string;
  url: string;
  alt_labels: string[];
  kind: string;
}

export interface OccupationsTable {
  id: string;
  framework: string;
  code: string;
  name: string;
  description: string;
  url: string;
  alt_labels: string[];
  group_code: string;
}

export interface SkillBroaderTable {
  skill_id: string;
  broader_id: string;
}

export interface OccupationSkillsTable {
  occupation_id: string;
  skill_id: string;
  relation: 'essential' | 'optional';
  hot: Generated<boolean>;
}

export interface ItemsTable {
  id: string;
  achievement_id: string;
  stem: string;
  options: Json<{ id: string; text: string }[]>;
  correct: string[];
  multiple: boolean;
  skills: string[];
  difficulty: number;
  draws: Generated<number>;
  retired: Generated<boolean>;
  created_at: CreatedAt;
}

export interface TestPoliciesTable {
  achievement_id: string;
  policy: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface AttemptsTable {
  id: string;
  achievement_id: string;
  version: number;
  user_id: string;
  policy: Json<Record<string, unknown>>;
  started_at: Timestamp;
  deadline: Timestamp;
  finished_at: NullableTimestamp;
  score: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  passed: boolean | null;
  integrity: ColumnType<{ type: string; at: string; detail?: string }[], string | undefined, string>;
}

export interface AttemptItemsTable {
  attempt_id: string;
  item_id: string;
  position: number;
  option_order: string[];
  chosen: string[] | null;
  answered_at: NullableTimestamp;
  seconds: number | null;
  correct: boolean | null;
}

export interface RubricsTable {
  achievement_id: string;
  rubric: Json<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface SubmissionsTable {
  id: string;
  achievement_id: string;
  org_id: string;
  user_id: string;
  status: 'open' | 'returned' | 'accepted';
  narrative: string;
  links: string[];
  submitted_at: Timestamp;
  reviewed_at: NullableTimestamp;
  reviewer_id: string | null;
  feedback: string | null;
  score: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  credential_id: string | null;
}

export interface SubmissionFilesTable {
  id: string;
  submission_id: string;
  position: number;
  name: string;
  media_type: string;
  size: number;
  content: Uint8Array;
}

export interface BulkUploadsTable {
  id: string;
  org_id: string;
  /** SHA-256 of the uploaded bytes: one upload, and one job, per organization and file. */
  content_hash: string;
  content: string;
  row_count: number;
  created_by: string | null;
  run_id: string | null;
  created_at: CreatedAt;
}

export interface BulkRowsTable {
  upload_id: string;
  row: number;
  email: string;
  achievement: string;
  status: 'issued' | 'existing' | 'error' | 'duplicate';
  message: string | null;
  credential_id: string | null;
}

export interface ClaimsTable {
  id: string;
  /** SHA-256 of the claim link's token; the token itself is never stored. */
  token_hash: string;
  credential_id: string;
  org_id: string;
  email: string;
  name: string | null;
  upload_id: string | null;
  created_at: CreatedAt;
  claimed_at: NullableTimestamp;
  claimed_by: string | null;
}

export interface OutboxTable {
  id: string;
  org_id: string | null;
  to_email: string;
  subject: string;
  text: string;
  claim_id: string | null;
  created_at: CreatedAt;
  state: ColumnType<OutboxState, OutboxState | undefined, OutboxState>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  sent_at: NullableTimestamp;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type OutboxState = 'kept' | 'pending' | 'queued' | 'retrying' | 'sent' | 'dead';

export interface ImportedCredentialsTable {
  id: string;
  user_id: string;
  format: 'ldp_vc' | 'jwt' | 'ob2';
  document: string;
  digest: string;
  source: 'json' | 'jwt' | 'png' | 'svg' | 'url';
  source_url: string | null;
  credential_id: string | null;
  issuer_id: string | null;
  name: string | null;
  valid_from: Date | null;
  valid_until: Date | null;
  imported_at: CreatedAt;
}

export interface SharesTable {
  id: string;
  token: string;
  user_id: string;
  holding_id: string;
  display_name: string | null;
  created_at: CreatedAt;
  withdrawn_at: NullableTimestamp;
}

export interface PublicProfilesTable {
  user_id: string;
  handle: string;
  display_name: string;
  enabled: boolean;
  holding_ids: Json<string[]>;
  updated_at: Timestamp;
}

export type ShareEventKind =
  'linkedin-profile' | 'linkedin-feed' | 'copy' | 'email' | 'embed' | 'download' | 'certificate' | 'view';

export interface ShareEventsTable {
  id: string;
  holding_id: string;
  user_id: string;
  org_id: string | null;
  achievement_id: string | null;
  kind: ShareEventKind;
  at: CreatedAt;
}

export interface ShareRemindersTable {
  user_id: string;
  holding_id: string;
  shown_at: NullableTimestamp;
  dismissed_at: NullableTimestamp;
}

export interface InstanceAdminsTable {
  user_id: string;
  granted_at: CreatedAt;
}

export interface TrustRegistriesTable {
  name: string;
  /** The registry file's own `meta` (created, updated, …). */
  meta: Json<Record<string, unknown>>;
  entry_count: number;
  imported_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TrustRegistrySourcesTable {
  name: string;
  url: string;
  interval_minutes: number;
  created_by: string | null;
  created_at: CreatedAt;
  next_refresh_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_status: ColumnType<'pending' | 'ok' | 'failed', 'pending' | 'ok' | 'failed' | undefined>;
  last_error: string | null;
  last_entry_count: number | null;
}

export interface TrustedIssuersTable {
  registry_name: string;
  did: string;
  name: string;
  url: string | null;
  location: string | null;
  entry: Json<Record<string, unknown>>;
}

export interface DidChallengesTable {
  id: string;
  user_id: string;
  challenge_hash: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface LinkedDidsTable {
  did: string;
  user_id: string;
  verified_at: Date;
}

export interface EmailVerificationsTable {
  id: string;
  user_id: string;
  email: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface LinkedEmailsTable {
  email: string;
  user_id: string;
  verified_at: Date;
}

export interface Database {
  users: UsersTable;
  account_tokens: AccountTokensTable;
  sign_in_failures: SignInFailuresTable;
  organizations: OrganizationsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  job_runs: JobRunsTable;
  sample_count_items: SampleCountItemsTable;
  outcome_events: OutcomeEventsTable;
  outcome_opt_outs: OutcomeOptOutsTable;
  issuer_keys: IssuerKeysTable;
  status_lists: StatusListsTable;
  credentials: CredentialsTable;
  issuer_profiles: IssuerProfilesTable;
  achievements: AchievementsTable;
  achievement_versions: AchievementVersionsTable;
  badge_images: BadgeImagesTable;
  skill_frameworks: SkillFrameworksTable;
  skills: SkillsTable;
  occupations: OccupationsTable;
  occupation_skills: OccupationSkillsTable;
  skill_broader: SkillBroaderTable;
  items: ItemsTable;
  test_policies: TestPoliciesTable;
  attempts: AttemptsTable;
  attempt_items: AttemptItemsTable;
  rubrics: RubricsTable;
  submissions: SubmissionsTable;
  submission_files: SubmissionFilesTable;
  bulk_uploads: BulkUploadsTable;
  bulk_rows: BulkRowsTable;
  claims: ClaimsTable;
  outbox: OutboxTable;
  imported_credentials: ImportedCredentialsTable;
  shares: SharesTable;
  public_profiles: PublicProfilesTable;
  share_events: ShareEventsTable;
  share_reminders: ShareRemindersTable;
  instance_admins: InstanceAdminsTable;
  trust_registries: TrustRegistriesTable;
  trusted_issuers: TrustedIssuersTable;
  did_challenges: DidChallengesTable;
  linked_dids: LinkedDidsTable;
  email_verifications: EmailVerificationsTable;
  linked_emails: LinkedEmailsTable;
  audit_log: AuditLogTable;
  talent_profiles: TalentProfilesTable;
  hiring_jobs: HiringJobsTable;
  talent_evidence: TalentEvidenceTable;
  talent_records: TalentRecordsTable;
  talent_dirty: TalentDirtyTable;
  hiring_reveals: HiringRevealsTable;
  pathways: PathwaysTable;
  pathway_versions: PathwayVersionsTable;
  pathway_awards: PathwayAwardsTable;
  pathway_award_flags: PathwayAwardFlagsTable;
  trust_registry_sources: TrustRegistrySourcesTable;
  oid4vci_offers: Oid4vciOffersTable;
  oid4vci_nonces: Oid4vciNoncesTable;
  oid4vci_deliveries: Oid4vciDeliveriesTable;

  hiring_applications: HiringApplicationsTable;
  hiring_application_events: HiringApplicationEventsTable;
  hiring_engagements: HiringEngagementsTable;
  hiring_funnel_counts: HiringFunnelCountsTable;
  pathway_notices: PathwayNoticesTable;
  share_experiments: ShareExperimentsTable;
  share_experiment_exposures: ShareExperimentExposuresTable;
  oauth_records: OAuthRecordsTable;
  ob_profiles: ObProfilesTable;
  funnel_sharing: FunnelSharingTable;
  pathway_holding_facts: PathwayHoldingFactsTable;
  pathway_facts_dirty: PathwayFactsDirtyTable;
}

/** One sensitive action (append-only: the database refuses updates, and deletes outside the retention purge). */
export interface AuditLogTable {
  id: string;
  at: CreatedAt;
  action: string;
  outcome: 'done' | 'refused';
  actor_kind: 'session' | 'token' | 'anonymous' | 'command';
  actor_user_id: string | null;
  actor_email: string | null;
  org_id: string | null;
  target: string | null;
  details: Json<Record<string, unknown>>;
  ip: string | null;
  user_agent: string | null;
}

export interface TalentProfilesTable {
  id: Generated<string>;
  user_id: string;
  discoverable: boolean;
  headline: string;
  available_from: ColumnType<string | null, string | null | undefined, string | null>;
  days_per_week: number | null;
  day_rate: number | null;
  desired_roles: Json<string[]>;
  holding_ids: ColumnType<string[] | null, string | null, string | null>;
  updated_at: Timestamp;
}

export interface HiringJobsTable {
  id: Generated<string>;
  org_id: string;
  title: string;
  description: string;
  kind: 'job' | 'project';
  status: 'draft' | 'open' | 'closed';
  skills: Json<
    { skill: string; label: string; weight: number; minLevel: number | null; required: boolean; members?: number }[]
  >;
  weights: Json<{ credentials: number; workHistory: number; references: number }>;
  location: string | null;
  remote: boolean;
  blind: boolean;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** A project's largest team (issue 20, item 4; migration 0030). */
  team_max_size: Generated<number | null>;
  /** The most a project team's day rates may add up to. */
  team_budget: Generated<number | null>;
}

export interface TalentEvidenceTable {
  user_id: string;
  holding_id: string;
  skill: string;
  kind: 'credential' | 'work';
  status: string;
  valid_until: Date | null;
  facts: Json<Record<string, unknown>>;
}

export interface TalentRecordsTable {
  user_id: string;
  holding_id: string;
  kind: 'work' | 'reference';
  status: string;
  valid_until: Date | null;
  facts: Json<Record<string, unknown>>;
}

export interface TalentDirtyTable {
  user_id: string;
  marked_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface HiringRevealsTable {
  id: Generated<string>;
  job_id: string;
  user_id: string;
  revealed_by: string | null;
  revealed_at: CreatedAt;
}

export interface PathwaysTable {
  id: string;
  org_id: string;
  status: 'draft' | 'published' | 'retired';
  draft: Json<Record<string, unknown>>;
  latest_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PathwayVersionsTable {
  pathway_id: string;
  version: number;
  definition: Json<Record<string, unknown>>;
  destination: string;
  matches: string[];
  published_at: CreatedAt;
}

export interface PathwayAwardsTable {
  id: string;
  pathway_id: string;
  version: number;
  user_id: string;
  state: 'pending' | 'issued';
  credential_id: string | null;
  components: Json<unknown[]>;
  created_at: CreatedAt;
  issued_at: NullableTimestamp;
}

export interface PathwayAwardFlagsTable {
  id: string;
  award_id: string;
  component_holding_id: string;
  reason: string;
  created_at: CreatedAt;
  decision: 'revoke' | 'keep' | null;
  note: string | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
}

export interface Oid4vciOffersTable {
  id: string;
  user_id: string;
  credential_id: string;
  code_hash: string;
  tx_code_hash: string;
  tx_code_failures: Generated<number>;
  configuration_ids: string[];
  created_at: CreatedAt;
  expires_at: Timestamp;
  redeemed_at: NullableTimestamp;
  access_token_hash: string | null;
  token_expires_at: NullableTimestamp;
}

export interface Oid4vciNoncesTable {
  nonce_hash: string;
  expires_at: Timestamp;
}

export interface Oid4vciDeliveriesTable {
  id: string;
  offer_id: string;
  original_id: string;
  user_id: string;
  credential_id: string;
  configuration_id: string;
  subject_id: string;
  key_thumbprint: string;
  document: string;
  delivered_at: CreatedAt;
}

export interface HiringApplicationsTable {
  id: Generated<string>;
  job_id: string;
  org_id: string;
  user_id: string;
  origin: 'applied' | 'invited';
  stage: string;
  furthest: ColumnType<number, number | undefined, number>;
  note: ColumnType<string, string | undefined, string>;
  invitation_note: ColumnType<string, string | undefined, string>;
  holdings: Json<unknown[]>;
  aligned: boolean | null;
  rejection_reason: string | null;
  rejection_note: string | null;
  revealed_at: NullableTimestamp;
  applied_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface HiringApplicationEventsTable {
  id: Generated<string>;
  application_id: string;
  from_stage: string | null;
  to_stage: string;
  by_user: string | null;
  by_role: 'candidate' | 'employer';
  reason: string | null;
  note: string | null;
  at: CreatedAt;
}

export interface HiringEngagementsTable {
  id: Generated<string>;
  org_id: string;
  job_id: string | null;
  application_id: string | null;
  user_id: string;
  role: string;
  start_date: ColumnType<string, string, string>;
  day_rate: number | null;
  agreed_value: number | null;
  status: ColumnType<
    'open' | 'closing' | 'closed',
    'open' | 'closing' | 'closed' | undefined,
    'open' | 'closing' | 'closed'
  >;
  end_date: ColumnType<string | null, string | null | undefined, string | null>;
  value: number | null;
  ratings: ColumnType<unknown, string | null | undefined, string | null>;
  credentials_at_hire: Json<unknown[]>;
  work_history_id: string | null;
  reference_id: string | null;
  opened_by: string | null;
  closed_by: string | null;
  opened_at: CreatedAt;
  closed_at: NullableTimestamp;
}

export interface HiringFunnelCountsTable {
  job_id: string;
  org_id: string;
  day: ColumnType<string, string, string>;
  aligned: boolean;
  furthest: number;
  stage: string;
  count: number;
}

export interface PathwayNoticesTable {
  key: string;
  user_id: string;
  outbox_id: string | null;
  created_at: CreatedAt;
}

export interface ShareExperimentsTable {
  id: string;
  name: string;
  baseline_rate: number;
  effect: number;
  power: number;
  planned_size: number;
  created_by: string | null;
  started_at: CreatedAt;
  stopped_at: Date | null;
}

export interface ShareExperimentExposuresTable {
  experiment_id: string;
  user_id: string;
  variant: 'none' | 'reminder' | 'reminder+panel';
  stratum: string;
  first_surface: 'dashboard' | 'result';
  first_exposed_at: Date;
  last_exposed_at: Date;
  exposures: ColumnType<number, number | undefined, number>;
  prior_engagements: number;
  credentials_held: number;
  months_on_platform: number;
}

/** One record of the OAuth 2.0 server (client, grant, code, token, session, interaction), found by its id's hash. */
export interface OAuthRecordsTable {
  model: string;
  key: string;
  payload: Json<Record<string, unknown>>;
  grant_id: string | null;
  uid_key: string | null;
  account_id: string | null;
  client_id: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
  created_at: CreatedAt;
}

export interface ObProfilesTable {
  user_id: string;
  profile: Json<Record<string, unknown>>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** An employer whose hiring funnel counts in the pooled funnel (opt-in). */
export interface FunnelSharingTable {
  org_id: string;
  shared_by: string | null;
  shared_at: CreatedAt;
}

/** What a pathway reads of one wallet holding, as the per-learner path last found it (migration 0036). */
export interface PathwayHoldingFactsTable {
  user_id: string;
  position: number;
  holding_id: string;
  name: string;
  issuer_id: string | null;
  issuer_name: string | null;
  status: number;
  achievement_id: string | null;
  achievement_url: string | null;
  skills: string[];
  eqf_level: number | null;
  ects: number | null;
  hours: number | null;
  issued_at: string | null;
  valid_until: NullableTimestamp;
  issuer_accepted: boolean;
  refreshed_at: CreatedAt;
}

export interface PathwayFactsDirtyTable {
  user_id: string;
  marked_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
