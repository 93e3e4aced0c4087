import { euFactsOf, isEuElement } from './eu-elements.js';
import { obj, str, type Obj } from './ob2-document.js';
import type { CredentialSummary } from './summary.js';

/** What an OB 2.0 assertion says, in the summary every verification result carries. */
export function summarizeOb2(assertion: Obj, badge: Obj | undefined, issuer: Obj | undefined): CredentialSummary {
  const alignments = [badge?.alignment].flat().map(obj).filter(Boolean) as Obj[];
  return {
    types: ['Assertion'],
    issuer: { id: str(issuer?.id), name: str(issuer?.name), url: str(issuer?.url) },
    achievement: {
      id: str(badge?.id),
      name: str(badge?.name),
      description: str(badge?.description),
      criteria: str(obj(badge?.criteria)?.narrative) ?? str(badge?.criteria),
      image: str(badge?.image) ?? str(obj(badge?.image)?.id),
    },
    subject: {
      identifier: obj(assertion.recipient)?.hashed ? 'a hashed identity' : str(obj(assertion.recipient)?.identity),
    },
    skills: alignments
      .filter((a) => !isEuElement(a.targetType))
      .map((a) => ({
        name: str(a.targetName) ?? 'skill',
        code: str(a.targetCode),
        framework: str(a.targetFramework),
        url: str(a.targetUrl),
      })),
    ...euFactsOf(badge),
    validFrom: str(assertion.issuedOn),
    validUntil: str(assertion.expires),
  };
}
