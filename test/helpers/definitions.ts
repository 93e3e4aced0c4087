import type { MicroCredentialDefinition } from '../../src/catalog/definition.js';

/** A complete, valid micro-credential definition with every EU element filled in. */
export function sqlDefinition(overrides: Partial<MicroCredentialDefinition> = {}): MicroCredentialDefinition {
  return {
    title: 'Data Analysis with SQL',
    description: 'Writes SQL queries that answer business questions from relational data.',
    learningOutcomes: [
      'Write SELECT queries with joins and aggregates',
      'Explain a query plan',
      'Model a small relational schema',
    ],
    workloadHours: 50,
    ectsCredits: 2,
    eqfLevel: 5,
    nqfLevel: 'NQF 5',
    assessmentType: 'skill-test',
    participationForm: 'online',
    qualityAssurance: 'accredited',
    prerequisites: ['https://skillproof.test/achievements/intro-data/versions/1'],
    criteria: 'Pass a 20-item automatically scored skill test with at least 70%.',
    validity: 'P2Y',
    stackability: 'Counts towards the Data Analyst pathway.',
    image: 'https://skillproof.test/images/sql.png',
    language: 'en',
    tags: ['data', 'sql'],
    skills: [
      {
        code: 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d',
        name: 'SQL',
        framework: 'ESCO',
        url: 'http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d',
      },
    ],
    ...overrides,
  };
}
