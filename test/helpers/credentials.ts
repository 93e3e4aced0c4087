/** A realistic unsigned Open Badges 3.0 credential, as an issuer sends it to be signed. */
export function achievementCredential(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Data Analysis with SQL',
    credentialSubject: {
      id: 'did:example:learner-1',
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://skillproof.test/achievements/sql-analysis/v1',
        type: ['Achievement'],
        achievementType: 'MicroCredential',
        name: 'Data Analysis with SQL',
        description: 'Writes SQL queries to answer business questions from relational data.',
        criteria: { narrative: 'Passed an automatically scored skill test of 20 items with at least 70%.' },
        creditsAvailable: 1,
        alignment: [
          {
            type: ['Alignment'],
            targetName: 'SQL',
            targetCode: 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d',
            targetFramework: 'ESCO',
            targetType: 'ext:ESCOSkill',
            targetUrl: 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d',
          },
        ],
      },
      result: [{ type: ['Result'], value: '85' }],
    },
    ...overrides,
  };
}

/** An organization's did:web on the test instance (https://skillproof.test): the issuer a VC-API request names. */
export function issuerDid(orgId: string): string {
  return `did:web:skillproof.test:issuers:${orgId}`;
}
