import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardsDir } from '../../test/helpers/standards.js';
import { parseEsco, parseOnet, parseSkillFile } from './sources.js';

const skillsDir = path.join(standardsDir, '..', 'skills');
const read = (file: string) => readFileSync(path.join(skillsDir, file));

describe('ESCO', () => {
  const ict = parseEsco(
    read('esco/esco-v1.1.1-classification-en-csv.zip'),
    read('esco/esco-v1.1.1-relations-csv.zip'),
    {
      iscoPrefixes: ['25', '35'],
    },
  );
  it('reads the ICT occupations with their essential and optional skills and alternative labels', () => {
    expect(ict.occupations.length).toBeGreaterThan(50);
    expect(ict.occupations.every((o) => o.group.startsWith('25') || o.group.startsWith('35'))).toBe(true);
    const security = ict.occupations.find((o) => o.name === 'ICT security administrator')!;
    expect(security.altLabels).toContain('CISO');
    const links = ict.links.filter((l) => l.occupation === security.code);
    expect(links.some((l) => l.relation === 'essential')).toBe(true);
    expect(links.some((l) => l.relation === 'optional')).toBe(true);
    const skillCodes = new Set(ict.skills.map((s) => s.code));
    expect(ict.links.every((l) => skillCodes.has(l.skill))).toBe(true);
    expect(ict.skills.find((s) => s.name === 'SQL')?.code).toMatch(/^http:\/\/data\.europa\.eu\/esco\/skill\//);
    expect(ict.credit).toContain('European Commission');
  });
  it("keeps ESCO's skill hierarchy between the kept skills, walking through the skills left out", () => {
    const skillCodes = new Set(ict.skills.map((s) => s.code));
    const broader = ict.broader ?? [];
    expect(broader.length).toBeGreaterThan(300);
    expect(broader.every((b) => skillCodes.has(b.skill) && skillCodes.has(b.broader) && b.skill !== b.broader)).toBe(
      true,
    );
    const name = (code: string) => ict.skills.find((s) => s.code === code)?.name;
    // Haskell is filed under computer programming in ESCO v1.1.1.
    expect(broader.filter((b) => name(b.skill) === 'Haskell').map((b) => name(b.broader))).toContain(
      'computer programming',
    );
  });
  it('refuses files that are not the ESCO archives', () => {
    expect(() => parseEsco(new TextEncoder().encode('nope'), new Uint8Array())).toThrow(/not a zip archive/);
  });
});

describe('O*NET', () => {
  it('reads computer occupations with their technology skills and hot flags', () => {
    const onet = parseOnet(
      {
        occupations: read('onet/Occupation Data.txt').toString('utf8'),
        technologySkills: read('onet/Technology Skills.txt').toString('utf8'),
      },
      { socPrefixes: ['15-'] },
    );
    expect(onet.occupations.find((o) => o.code === '15-1252.00')?.name).toBe('Software Developers');
    const postgres = onet.skills.find((s) => s.name === 'PostgreSQL');
    expect(postgres?.kind).toBe('technology');
    expect(onet.links.some((l) => l.skill === postgres?.code && l.hot)).toBe(true);
    expect(onet.credit).toContain('O*NET 29.2');
  });
});

describe("an issuer's own framework", () => {
  it('reads CSV and JSON, checks required columns, duplicates and addresses', () => {
    const csv =
      'code,name,description,url\nDA-1,Data cleaning,Cleans data,https://acme.example/skills/da-1\nDA-2,"Charts, dashboards",,\n';
    const skills = parseSkillFile(csv, 'csv', 'Acme Skills');
    expect(skills).toHaveLength(2);
    expect(skills[1]).toMatchObject({ framework: 'Acme Skills', code: 'DA-2', name: 'Charts, dashboards' });
    expect(skills[1]!.url).toMatch(/^urn:skill:/);
    expect(
      parseSkillFile(JSON.stringify({ skills: [{ code: 'X', name: 'Y', framework: 'Own' }] }), 'json', 'D')[0]!
        .framework,
    ).toBe('Own');
    expect(() => parseSkillFile('id,title\n1,2\n', 'csv', 'F')).toThrow(/lacks the columns: code, name/);
    expect(() => parseSkillFile('code,name\nA,B\nA,C\n', 'csv', 'F')).toThrow(/repeats the code A/);
    expect(() => parseSkillFile('code,name,url\nA,B,javascript:x\n', 'csv', 'F')).toThrow(/not a web address/);
    expect(() => parseSkillFile('{', 'json', 'F')).toThrow(/not valid JSON/);
  });
});
