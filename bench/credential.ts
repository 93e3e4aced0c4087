import { generateEd25519KeyPair, keyPairFromSecret, rawSecretSeed } from '../src/vc/multikey.js';
import { contextUrls } from '../src/vc/contexts.js';
import { buildDidDocument, type DidDocument } from '../src/vc/did.js';

/**
 * The credential every signing and verifying figure uses: a realistic Open Badges 3.0 AchievementCredential
 * (issuer profile, achievement with three alignments, criteria, result, evidence, status entry), about 2.5 KB.
 */
export const issuerDid = 'did:web:issuer.bench.example';
export const created = '2026-01-15T09:30:00Z';

export function benchCredential(): Record<string, unknown> {
  const skill = (name: string, code: string) => ({
    type: ['Alignment'],
    targetName: name,
    targetCode: code,
    targetFramework: 'ESCO',
    targetType: 'ext:ESCOSkill',
    targetUrl: `http://data.europa.eu/esco/skill/${code}`,
    targetDescription: `The ability to ${name.toLowerCase()} in day-to-day analytical work.`,
  });
  return {
    '@context': [contextUrls.credentialsV2, contextUrls.ob],
    id: 'urn:uuid:6a1f8b5e-2f4c-4d7a-9a3e-1c2b3d4e5f60',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Data Analysis with SQL — Micro-credential',
    description: 'Awarded for writing correct, efficient SQL to answer business questions.',
    issuer: {
      id: issuerDid,
      type: ['Profile'],
      name: 'Northwind Institute of Technology',
      url: 'https://northwind.example',
      email: 'credentials@northwind.example',
      image: { id: 'https://northwind.example/logo.png', type: 'Image', caption: 'Northwind logo' },
    },
    validFrom: '2026-01-15T09:30:00Z',
    credentialSubject: {
      id: 'did:example:learner-4711',
      type: ['AchievementSubject'],
      activityEndDate: '2026-01-10T17:00:00Z',
      achievement: {
        id: 'https://northwind.example/achievements/sql-analysis/v1',
        type: ['Achievement'],
        achievementType: 'MicroCredential',
        name: 'Data Analysis with SQL',
        description: 'Writes SQL queries to answer business questions from relational data.',
        criteria: {
          id: 'https://northwind.example/achievements/sql-analysis/v1/criteria',
          narrative: 'Pass an automatically scored skill test of 20 items with at least 70%, then a reviewed project.',
        },
        creditsAvailable: 1.5,
        alignment: [
          skill('Use SQL', 'ccd0a1d9-afda-43d9-b901-96344886e14d'),
          skill('Analyse data', '0b3b5d0e-7d4f-4a5e-9c6f-2f3a4b5c6d7e'),
          skill('Design database schemas', '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'),
        ],
        tag: ['sql', 'data', 'analytics'],
      },
      result: [{ type: ['Result'], value: '85', status: 'Completed' }],
    },
    evidence: [
      {
        id: 'https://northwind.example/evidence/4711/project',
        type: ['Evidence'],
        name: 'Capstone project',
        narrative: 'A reviewed analysis of a retail sales database with 12 queries.',
        genre: 'Project',
      },
    ],
    credentialStatus: {
      id: 'https://northwind.example/status-lists/3f2a#4711',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '4711',
      statusListCredential: 'https://northwind.example/status-lists/3f2a',
    },
  };
}

/** One Ed25519 key for both stacks, and the DID document that lists it. */
export function benchKey() {
  const pair = keyPairFromSecret(rawSecretSeed(generateEd25519KeyPair().privateKey!));
  const verificationMethod = `${issuerDid}#${pair.publicKeyMultibase}`;
  const didDocument: DidDocument = buildDidDocument(issuerDid, [
    { id: verificationMethod, type: 'Multikey', controller: issuerDid, publicKeyMultibase: pair.publicKeyMultibase },
  ]);
  return { pair, verificationMethod, didDocument };
}
