import { invalid } from '../platform/errors.js';
import { contextUrls } from '../vc/contexts.js';
import { checkDataModel, isVc11, languageValueProblem } from '../vc/data-model.js';
import { unknownContexts } from '../vc/document-loader.js';
import { schemaFor, validateSchema } from '../vc/schemas.js';
import type { Profile } from '../vc/types.js';

export type Credential = Record<string, unknown>;

export interface IssuerProfile {
  orgId: string;
  /** The organization's OB 3.0 Profile (name, contact, country, QA facts), as every credential carries it. */
  profile: Profile;
}

/** Whether a credential's contexts define the Open Badges / CLR terms (Profile and its fields). */
export function isOpenBadge(credential: { '@context'?: unknown }): boolean {
  return [credential['@context']]
    .flat()
    .some(
      (c) =>
        typeof c === 'string' &&
        (c.startsWith('https://purl.imsglobal.org/spec/ob/v3p0/context') ||
          c.startsWith('https://purl.imsglobal.org/spec/clr/v2p0/context')),
    );
}

/**
 * What the caller may not leave to us by writing null, or write in a shape we would have to replace:
 * refused with the reason instead of silently filled in.
 */
function refuseMalformed(credential: Credential): void {
  if (credential.id === null)
    throw invalid('The credential id is null: give a URL, or leave id out.', { field: 'credential.id' });
  const given = credential.issuer;
  if (given === null) throw invalid('The issuer is null: give its id.', { field: 'credential.issuer' });
  if (given === undefined || typeof given === 'string') return;
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw invalid('The issuer must be a URL or an object with an id.', { field: 'credential.issuer' });
  }
  const issuer = given as Credential;
  if ('id' in issuer && typeof issuer.id !== 'string') {
    throw invalid('The issuer id must be a URL.', { field: 'credential.issuer.id' });
  }
  for (const field of ['name', 'description'] as const) {
    const problem = field in issuer ? languageValueProblem(issuer[field]) : undefined;
    if (problem) throw invalid(`The issuer ${field} ${problem}`, { field: `credential.issuer.${field}` });
  }
}

/**
 * Completes a credential for issuing by an organization, keeping what the caller wrote and filling only what is
 * missing: the issuer (the caller's form, a URL or an object; Open Badges credentials get the organization's
 * Profile, whose terms only their contexts define), an id, a start date, and our status entries after any
 * the caller gave. Then checks it against the data model and the OB 3.0 schema.
 * Pure: the caller supplies ids, dates and status entries.
 */
export function prepareCredential(
  input: unknown,
  issuer: { did: string; profile: Profile },
  fill: { credentialId: string; validFrom: string; status: Credential[] },
): Credential {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw invalid('The credential must be a JSON object.');
  const credential = { ...(input as Credential) };
  if ('proof' in credential)
    throw invalid('The credential to issue must not have a proof yet.', { field: 'credential.proof' });
  refuseMalformed(credential);
  const given = credential.issuer;
  const givenId = typeof given === 'string' ? given : (given as { id?: string } | undefined)?.id;
  if (givenId !== undefined && givenId !== issuer.did) {
    throw invalid(`This request issues as ${issuer.did}: the credential's issuer must be that id.`, {
      field: 'credential.issuer',
    });
  }
  if (isOpenBadge(credential)) {
    // The organization's own profile wins over what the request says about it; extra fields are kept.
    const asked = given && typeof given === 'object' ? (given as Credential) : {};
    credential.issuer = { ...asked, ...issuer.profile, id: issuer.did };
  } else if (given && typeof given === 'object') {
    credential.issuer = { ...(given as Credential), id: issuer.did };
  } else {
    credential.issuer = issuer.did;
  }
  credential.id ??= fill.credentialId;
  const vc11 = isVc11(credential);
  if (vc11) {
    // VC 1.1 (VC-API issuers take both): issuanceDate, and the contexts that define a Data Integrity proof
    // and our status entries, which the 2018 context does not.
    credential.issuanceDate ??= fill.validFrom;
    const contexts = [credential['@context']].flat();
    const needed = [contextUrls.dataIntegrityV2, ...(fill.status.length ? [contextUrls.statusList] : [])];
    credential['@context'] = [...contexts, ...needed.filter((url) => !contexts.includes(url))];
  } else credential.validFrom ??= fill.validFrom;
  const status = [
    ...(credential.credentialStatus === undefined ? [] : [credential.credentialStatus].flat()),
    ...fill.status,
  ];
  if (status.length === 0) delete credential.credentialStatus;
  else credential.credentialStatus = status.length === 1 ? status[0] : status;

  const unknown = unknownContexts(credential);
  if (unknown.length) throw invalid(`Unknown @context: ${unknown.join(', ')}.`, { field: 'credential.@context' });
  const problems = checkDataModel(credential);
  if (problems.length) throw invalid(problems.join(' '), { field: 'credential' });
  // 1EdTech's schema describes OB 3.0.3 on VC 2.0 only.
  const schema = vc11 ? undefined : schemaFor(credential);
  if (schema) {
    const issues = validateSchema(schema, credential);
    if (issues.length) {
      throw invalid(
        `Not a valid ${schema}: ${issues
          .slice(0, 5)
          .map((i) => `${i.path} ${i.message}`)
          .join('; ')}.`,
        {
          field: 'credential',
        },
      );
    }
  }
  return credential;
}
