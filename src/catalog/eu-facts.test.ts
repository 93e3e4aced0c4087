import { describe, expect, it } from 'vitest';
import { toAchievement, type MicroCredentialDefinition } from './definition.js';
import { euFactsOf, periodInWords } from '../vc/eu-elements.js';
import { summarize } from '../vc/summary.js';

const definition: MicroCredentialDefinition = {
  title: 'Data Analysis with SQL',
  description: 'Writes SQL queries.',
  learningOutcomes: ['Write SELECT queries with joins', 'Explain a query plan'],
  workloadHours: 25,
  ectsCredits: 1,
  eqfLevel: 4,
  nqfLevel: 'NQF 4',
  assessmentType: 'skill-test',
  participationForm: 'online',
  qualityAssurance: 'internal',
  prerequisites: [],
  criteria: 'Pass the test.',
  validity: 'P2Y',
  language: 'en',
  tags: [],
  skills: [{ code: 'esco:sql', name: 'SQL', framework: 'ESCO', url: 'http://data.europa.eu/esco/skill/sql' }],
};
const achievement = toAchievement(definition, { id: 'https://skillproof.test/achievements/a/versions/1', version: 1 });

describe('EU elements in plain words', () => {
  it('labels each element apart from the skills', () => {
    const { facts, learningOutcomes } = euFactsOf(achievement);
    expect(facts).toEqual([
      { label: 'Workload', value: '25 hours · 1 ECTS credit' },
      { label: 'Level', value: 'EQF level 4 · national level NQF 4' },
      { label: 'Assessment', value: 'skill test, online' },
      { label: 'Quality assurance', value: 'internal quality assurance' },
      { label: 'Valid for', value: '2 years' },
    ]);
    expect(learningOutcomes).toEqual(definition.learningOutcomes);
  });

  it("the verifier's summary lists skills only, and the EU elements as facts", () => {
    const summary = summarize({ credentialSubject: { achievement } });
    expect(summary.skills.map((s) => s.name)).toEqual(['SQL']);
    expect(summary.facts.find((f) => f.label === 'Valid for')?.value).toBe('2 years');
    // Alignments of other kinds (a competency framework) are still read as skills.
    const foreign = summarize({
      credentialSubject: {
        achievement: {
          alignment: [
            { targetName: 'Teamwork', targetType: 'ceasn:Competency', targetUrl: 'https://example.org/t' },
            { targetName: '10 hours', targetType: 'ext:NotionalWorkload', targetCode: 'PT10H' },
          ],
        },
      },
    });
    expect(foreign.skills.map((s) => s.name)).toEqual(['Teamwork']);
    expect(foreign.facts).toEqual([{ label: 'Workload', value: '10 hours' }]);
  });

  it('says periods in words and leaves anything else as written', () => {
    expect(periodInWords('P1Y6M')).toBe('1 year 6 months');
    expect(periodInWords('P2W1D')).toBe('2 weeks 1 day');
    expect(periodInWords('two years')).toBe('two years');
    expect(euFactsOf(undefined)).toEqual({ facts: [], learningOutcomes: [] });
  });
});
