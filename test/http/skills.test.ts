import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, createTestApp, signUp, type Client, type TestApp } from '../helpers/app.js';

let t: TestApp;
let owner: Client;
let orgId: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.platform.skills.loadBundled();
  owner = await signUp(t.app, 'Skills Owner');
  orgId = await createOrg(t.app, owner, 'Acme Academy');
});
afterAll(() => t.close());

const get = async (url: string) => (await t.app.inject({ method: 'GET', url })).json();

describe('bundled taxonomies', () => {
  it('loads ESCO ICT and O*NET computer occupations once, with their credit lines', async () => {
    const again = await t.platform.skills.loadBundled();
    expect(again.map((r) => r.framework)).toEqual(['ESCO', 'O*NET']);
    const { frameworks } = await get('/api/skills/frameworks');
    const esco = frameworks.find((f: { name: string }) => f.name === 'ESCO');
    expect(esco.skills).toBe(again[0]!.skills);
    expect(esco.credit).toContain('European Commission');
    expect(frameworks.find((f: { name: string }) => f.name === 'O*NET').credit).toContain('USDOL/ETA');
  });

  it('finds skills by name or alternative label, exact matches first', async () => {
    const { skills } = await get('/api/skills?q=SQL&framework=ESCO');
    expect(skills[0].name).toBe('SQL');
    expect(skills[0].url).toMatch(/^http:\/\/data\.europa\.eu\/esco\/skill\//);
    const postgres = await get('/api/skills?q=postgresql');
    expect(postgres.skills.some((s: { framework: string }) => s.framework === 'O*NET')).toBe(true);
    expect((await get('/api/skills?q=%25%25%25')).skills).toEqual([]);
  });

  it('shows an occupation with its essential and optional skills', async () => {
    const { occupations } = await get('/api/occupations?q=CISO');
    expect(occupations[0].name).toBe('ICT security administrator');
    const detail = await get(`/api/occupations/${occupations[0].id}`);
    const relations = new Set(detail.skills.map((s: { relation: string }) => s.relation));
    expect(relations).toEqual(new Set(['essential', 'optional']));
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/occupations/00000000-0000-4000-8000-000000000000' })).statusCode,
    ).toBe(404);
  });
});

describe("an issuer's own framework", () => {
  const importSkills = (body: object, client = owner, org = orgId) =>
    t.app.inject({ method: 'POST', url: `/api/orgs/${org}/skills/import`, headers: client.headers, payload: body });

  it('imports CSV, refuses bad rows, and keeps framework names to their owner', async () => {
    const csv =
      'code,name,description,url\nACME-1,Data storytelling,Tells stories with data,https://acme.example/s/1\nACME-2,"=cmd|\' /C calc\'!A0",,\n';
    const imported = await importSkills({ framework: 'Acme Skills', format: 'csv', content: csv });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ framework: 'Acme Skills', skills: 2 });
    const found = await get('/api/skills?q=storytelling');
    expect(found.skills[0]).toMatchObject({ framework: 'Acme Skills', code: 'ACME-1' });

    expect(
      (await importSkills({ framework: 'Acme Skills', format: 'csv', content: 'code,name\nX,Y\nX,Z\n' })).statusCode,
    ).toBe(400);
    expect((await importSkills({ framework: 'Acme Skills', format: 'csv', content: 'title\nfoo\n' })).statusCode).toBe(
      400,
    );
    expect(
      (await importSkills({ framework: 'ESCO', format: 'json', content: '[{"code":"x","name":"y"}]' })).statusCode,
    ).toBe(409);

    const other = await signUp(t.app, 'Other');
    const otherOrg = await createOrg(t.app, other, 'Other Org');
    expect(
      (
        await importSkills(
          { framework: 'Acme Skills', format: 'json', content: '[{"code":"x","name":"y"}]' },
          other,
          otherOrg,
        )
      ).statusCode,
    ).toBe(409);
  });
});
