import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardsDir, standardsJson } from '../../test/helpers/standards.js';
import { createMethodResolver } from './did.js';
import { verifyCredential, type CheckId } from './verify.js';

/**
 * 1EdTech's own validator fixtures: every valid one verifies, every broken one is rejected for its reason.
 * Skillproof verifies VC Data Model 2.0 and 1.1 with eddsa-rdfc-2022, Ed25519Signature2020 (VC 1.1) and VC-JWT;
 * the retired `eddsa-2022` suite name is refused with that reason. Offline, keys at addresses that cannot be
 * fetched fail the proof check.
 */
const folder = 'ob3/fixtures-1edtech-validator';
const statusList = standardsJson(`${folder}/bit-string-list/testlist.json`);
const deps = { resolveMethod: createMethodResolver(), fetchStatusList: async () => statusList };

type Expectation = 'verified' | { check: CheckId; says: RegExp };

const expectations: Record<string, Expectation> = {
  'simple.json': 'verified',
  'complete.json': 'verified',
  'endorsement-valid.json': 'verified',
  'simple-context-alias.json': 'verified',
  'simple-context-version.json': 'verified',
  'simple-did-web-method.json': 'verified',
  'simple-did-key-method.json': 'verified',
  'simple-multiple-proofs.json': 'verified',
  'simple_v1.json': 'verified',
  'complete_v1.json': { check: 'valid-until', says: /expired on 2020-01-01/ },
  'credential-status-revoked.json': { check: 'proof', says: /could not be resolved here/ },
  'endorsement-err-schema-status-refresh.json': { check: 'proof', says: /signature does not match/ },
  'simple-noproof.json': { check: 'proof', says: /no proof/ },
  'simple-eddsa-2022.json': { check: 'proof', says: /retired draft name/ },
  'simple-err-context.json': { check: 'data-model', says: /first @context/ },
  'simple-err-credential-subject-achievement-result-description-type.json': { check: 'proof', says: /resultType/ },
  'simple-err-credential-subject-identifier-type.json': { check: 'schema', says: /identifier/ },
  'simple-err-credential-subject-profile-type.json': { check: 'proof', says: /InvalidProfile/ },
  'simple-err-credential-subject-result-type.json': { check: 'schema', says: /result/ },
  'simple-err-credential-subject-type.json': { check: 'schema', says: /AchievementSubject/ },
  'simple-err-evidence-type.json': { check: 'proof', says: /not defined/ },
  'simple-err-expired.json': { check: 'valid-until', says: /expired on 2010-01-01/ },
  'simple-err-issued.json': { check: 'valid-from', says: /not valid yet/ },
  'simple-err-issuer.json': { check: 'data-model', says: /no issuer/ },
  'simple-err-issuer-otheridentifier-type.json': { check: 'schema', says: /otherIdentifier/ },
  'simple-err-issuer-parentorg-type.json': { check: 'schema', says: /parentOrg/ },
  'simple-err-issuer-type.json': { check: 'schema', says: /issuer\.type/ },
  'simple-err-proof-method.json': { check: 'proof', says: /not an Ed25519 Multikey/ },
  'simple-err-proof-method-no-scheme.json': { check: 'proof', says: /neither a DID nor an HTTPS URL/ },
  'simple-err-proof-method-unknown-did-method.json': { check: 'proof', says: /did:example is not supported/ },
  'simple-err-proof-method-unknown-scheme.json': { check: 'proof', says: /neither a DID nor an HTTPS URL/ },
  'simple-err-proof-value.json': { check: 'proof', says: /signature does not match/ },
  'simple-err-type.json': { check: 'proof', says: /OtherCredential/ },
  'bit-string-list/credential-status-revoked.json': { check: 'status', says: /revoked/ },
  'bit-string-list/credential-status-revoked-blank-nodes.json': { check: 'status', says: /revoked/ },
};

describe('1EdTech validator fixtures', () => {
  it('lists an expectation for every fixture in the folder', () => {
    const files = readdirSync(path.join(standardsDir, folder)).filter((f) => f.endsWith('.json'));
    const missing = files.filter((f) => !(f in expectations));
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(expectations))('%s', async (file, expected) => {
    const result = await verifyCredential(standardsJson(`${folder}/${file}`), deps);
    if (expected === 'verified') {
      expect(result.checks.filter((c) => c.status === 'failed')).toEqual([]);
      expect(result.verified).toBe(true);
    } else {
      expect(result.verified).toBe(false);
      const check = result.checks.find((c) => c.id === expected.check);
      expect(check?.status, JSON.stringify(result.checks, null, 1)).toBe('failed');
      expect(check?.message).toMatch(expected.says);
    }
  });
});

describe('foreign credentials: the spec examples', () => {
  it('the OB 3.0 test vector credential verifies, with its key unconfirmed offline', async () => {
    const vector = standardsJson<{ signedCredential: object }>('ob3/test-vectors/ob3-eddsa-rdfc-2022-test-vector.json');
    const result = await verifyCredential(vector.signedCredential, deps);
    expect(result.verified).toBe(true);
    expect(result.checks.find((c) => c.id === 'issuer')?.status).toBe('warning');
    expect(result.summary?.achievement?.name).toBeTruthy();
  });

  it('the CLR 2.0 fixture verifies', async () => {
    const result = await verifyCredential(standardsJson('clr2/fixtures-1edtech-validator/simple.json'), deps);
    expect(result.checks.filter((c) => c.status === 'failed')).toEqual([]);
  });
});
