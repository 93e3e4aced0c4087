import { invalid } from '../platform/errors.js';
import { checkDataModel } from '../vc/data-model.js';
import { unknownContexts } from '../vc/document-loader.js';
import { schemaFor, validateSchema } from '../vc/schemas.js';
import type { Profile } from '../vc/types.js';

export type Credential = Record<string, unknown>;

/**
 * Completes a credential for issuing by an organization: its DID as issuer (with the profile's name), an id,
 * a start date, and the status entries; then checks it against the data model and the OB 3.0 schema.
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
  if ('credentialStatus' in credential) {
    throw invalid('credentialStatus is set by the issuer; leave it out.', { field: 'credential.credentialStatus' });
  }
  const given = credential.issuer;
  const givenId = typeof given === 'string' ? given : (given as { id?: unknown } | undefined)?.id;
  if (givenId !== undefined && givenId !== issuer.did) {
    throw invalid(`This issuer signs as ${issuer.did}; leave issuer out or use that id.`, {
      field: 'credential.issuer',
    });
  }
  // The organization's own profile wins over what the request says about it; extra fields are kept.
  const asked = given && typeof given === 'object' ? (given as Credential) : {};
  credential.issuer = { ...asked, ...issuer.profile, id: issuer.did };
  credential.id ??= fill.credentialId;
  credential.validFrom ??= fill.validFrom;
  credential.credentialStatus = fill.status.length === 1 ? fill.status[0] : fill.status;

  const unknown = unknownContexts(credential);
  if (unknown.length) throw invalid(`Unknown @context: ${unknown.join(', ')}.`, { field: 'credential.@context' });
  const problems = checkDataModel(credential);
  if (problems.length) throw invalid(problems.join(' '), { field: 'credential' });
  const schema = schemaFor(credential);
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
