/**
 * Open Badges 3.0 data model as TypeScript types (1EdTech OB 3.0, section B). At run time the official JSON
 * Schemas (schemas.ts) are the authority; these types let code build credentials that pass them.
 */
export type LanguageString = string | { '@value': string; '@language'?: string }[];
export type OneOrMany<T> = T | T[];

export interface Image {
  id: string;
  type: 'Image';
  caption?: string;
}

export interface IdentifierEntry {
  type: 'IdentifierEntry';
  identifier: string;
  identifierType: string;
}

export interface Profile {
  id: string;
  type: OneOrMany<string>;
  name?: LanguageString;
  url?: string;
  email?: string;
  phone?: string;
  description?: LanguageString;
  image?: Image;
  address?: Record<string, unknown>;
  otherIdentifier?: IdentifierEntry[];
  official?: string;
  parentOrg?: Profile;
  endorsement?: EndorsementCredential[];
  [extension: string]: unknown;
}

export interface Alignment {
  type: OneOrMany<string>;
  targetName: string;
  targetUrl: string;
  targetCode?: string;
  targetDescription?: string;
  targetFramework?: string;
  targetType?:
    | 'ceasn:Competency'
    | 'ceterms:Credential'
    | 'CFItem'
    | 'CFRubric'
    | 'CFRubricCriterion'
    | 'CFRubricCriterionLevel'
    | 'CTDL'
    | `ext:${string}`;
}

export interface Criteria {
  id?: string;
  narrative?: string;
}

export interface RubricCriterionLevel {
  id: string;
  type: OneOrMany<string>;
  name: string;
  description?: string;
  level?: string;
  points?: string;
  alignment?: Alignment[];
}

export interface ResultDescription {
  id: string;
  type: OneOrMany<string>;
  name: string;
  resultType:
    | 'GradePointAverage'
    | 'LetterGrade'
    | 'Percent'
    | 'PerformanceLevel'
    | 'PredictedScore'
    | 'RawScore'
    | 'Result'
    | 'RubricCriterion'
    | 'RubricCriterionLevel'
    | 'RubricScore'
    | 'ScaledScore'
    | 'Status'
    | `ext:${string}`;
  allowedValue?: string[];
  requiredLevel?: string;
  requiredValue?: string;
  valueMin?: string;
  valueMax?: string;
  rubricCriterionLevel?: RubricCriterionLevel[];
  alignment?: Alignment[];
}

export interface Related {
  id: string;
  type: OneOrMany<string>;
  inLanguage?: string;
  version?: string;
}

export interface Achievement {
  id: string;
  type: OneOrMany<string>;
  name: LanguageString;
  description: LanguageString;
  criteria: Criteria;
  achievementType?: string;
  alignment?: Alignment[];
  creator?: Profile;
  creditsAvailable?: number;
  endorsement?: EndorsementCredential[];
  fieldOfStudy?: string;
  humanCode?: string;
  image?: Image;
  inLanguage?: string;
  otherIdentifier?: IdentifierEntry[];
  related?: Related[];
  resultDescription?: ResultDescription[];
  specialization?: string;
  tag?: string[];
  version?: string;
  [extension: string]: unknown;
}

export interface Result {
  type: OneOrMany<string>;
  resultDescription?: string;
  achievedLevel?: string;
  alignment?: Alignment[];
  status?: 'Completed' | 'Enrolled' | 'Failed' | 'InProgress' | 'OnHold' | 'Provisional' | 'Withdrew';
  value?: string;
}

export interface IdentityObject {
  type: 'IdentityObject';
  hashed: boolean;
  identityHash: string;
  identityType: 'emailAddress' | 'sourcedId' | 'did' | 'studentId' | 'name' | 'phoneNumber' | `ext:${string}` | string;
  salt?: string;
}

export interface Evidence {
  id?: string;
  type: OneOrMany<string>;
  narrative?: string;
  name?: string;
  description?: string;
  genre?: string;
  audience?: string;
}

export interface AchievementSubject {
  id?: string;
  type: OneOrMany<string>;
  achievement: Achievement;
  identifier?: IdentityObject[];
  result?: Result[];
  creditsEarned?: number;
  activityStartDate?: string;
  activityEndDate?: string;
  licenseNumber?: string;
  role?: string;
  term?: string;
  source?: Profile;
}

export interface CredentialStatusEntry {
  id?: string;
  type: string;
  [property: string]: unknown;
}

export interface AchievementCredential {
  '@context': string[];
  id: string;
  type: OneOrMany<string>;
  name?: string;
  description?: string;
  image?: Image;
  issuer: Profile;
  validFrom: string;
  validUntil?: string;
  credentialSubject: AchievementSubject;
  awardedDate?: string;
  evidence?: Evidence[];
  endorsement?: EndorsementCredential[];
  credentialStatus?: CredentialStatusEntry;
  credentialSchema?: { id: string; type: string }[];
  proof?: OneOrMany<Record<string, unknown>>;
  [extension: string]: unknown;
}

export interface EndorsementCredential {
  '@context': string[];
  id: string;
  type: OneOrMany<string>;
  name: string;
  issuer: Profile;
  validFrom: string;
  validUntil?: string;
  credentialSubject: { id: string; type: OneOrMany<string>; endorsementComment?: string };
  proof?: OneOrMany<Record<string, unknown>>;
  [extension: string]: unknown;
}
