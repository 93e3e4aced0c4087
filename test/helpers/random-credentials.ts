/**
 * Random Open Badges 3.0 credentials for differential tests: a seeded PRNG (mulberry32), so a failure
 * replays from its seed. Random subsets of optional fields, unicode- and escape-heavy strings, integers and
 * doubles, dates, language maps, look-alike alignments, results and evidence (blank nodes with identical
 * content, which RDFC-1.0 can only tell apart with the n-degree hash) and nested endorsements with proofs.
 */

import { seededRandom } from '../../src/platform/seeded-random.js';

export type Random = () => number;

export const mulberry32: (seed: number) => Random = seededRandom;

const contexts = {
  v2: 'https://www.w3.org/ns/credentials/v2',
  ob: 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  examples: 'https://www.w3.org/ns/credentials/examples/v2',
};

const pieces = [
  'Data Analysis',
  'SQL',
  'École',
  'naïve café',
  'Zürich',
  '日本語の資格',
  'مرحبا',
  'שלום',
  '😀🎓',
  'e\u0301',
  '"quoted"',
  'back\\slash',
  'tab\there',
  'new\nline',
  'cr\rlf',
  'nul\u0000byte',
  'bell\u0007',
  'del\u007f',
  'line\u2028sep',
  'zero\u200bwidth',
  '<tag>&amp;',
  '{"json": [1, 2]}',
  '   spaced   ',
  '',
  '\\u0041',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
];

export class CredentialGenerator {
  private serial = 0;
  constructor(private readonly random: Random) {}

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }
  private chance(p: number): boolean {
    return this.random() < p;
  }
  private pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  private text(): string {
    const n = 1 + this.int(3);
    return Array.from({ length: n }, () => this.pick(pieces)).join(' ');
  }
  private number(): number {
    return this.pick([
      () => this.int(100),
      () => -this.int(1000),
      () => this.int(1_000_000) / 8,
      () => Math.round(this.random() * 1e6) / 1e3,
      () => this.random(),
      () => 1e21,
      () => 1.5e-9,
      () => 0,
      () => Number.MAX_SAFE_INTEGER,
    ])();
  }
  private uuid(): string {
    const hex = () => this.int(16).toString(16);
    const part = (n: number) => Array.from({ length: n }, hex).join('');
    return `urn:uuid:${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
  }
  private url(path: string): string {
    return `https://${this.pick(['issuer.example', 'skillproof.test', 'example.org'])}/${path}/${this.serial++}`;
  }
  private dateTime(): string {
    const d = new Date(Date.UTC(2000 + this.int(40), this.int(12), 1 + this.int(28), this.int(24), this.int(60)));
    return this.chance(0.5) ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : d.toISOString();
  }
  private date(): string {
    return this.dateTime().slice(0, 10);
  }

  private optional(target: Record<string, unknown>, key: string, p: number, make: () => unknown): void {
    if (this.chance(p)) target[key] = make();
  }

  private image(): Record<string, unknown> {
    const image: Record<string, unknown> = { id: this.url('images'), type: 'Image' };
    this.optional(image, 'caption', 0.5, () => this.text());
    return image;
  }

  profile(): Record<string, unknown> | string {
    if (this.chance(0.2)) return `did:web:${this.pick(['a', 'b', 'c'])}.example`;
    const profile: Record<string, unknown> = {
      id: this.chance(0.5) ? this.url('issuers') : `did:key:z6Mk${this.serial++}`,
      type: this.chance(0.5) ? ['Profile'] : 'Profile',
    };
    this.optional(profile, 'name', 0.9, () => this.text());
    this.optional(profile, 'url', 0.4, () => this.url('home'));
    this.optional(profile, 'email', 0.3, () => `info${this.serial++}@issuer.example`);
    this.optional(profile, 'description', 0.3, () => this.text());
    this.optional(profile, 'image', 0.3, () => this.image());
    return profile;
  }

  /** Alignments: several identical ones (look-alikes) and a few different ones. */
  private alignments(): Record<string, unknown>[] {
    const make = () => {
      const a: Record<string, unknown> = {
        type: ['Alignment'],
        targetName: this.text(),
        targetUrl: this.url('skills'),
      };
      this.optional(a, 'targetCode', 0.5, () => this.pick(['SQL', 'S1.2', this.text()]));
      this.optional(a, 'targetFramework', 0.5, () => this.pick(['ESCO', 'O*NET', this.text()]));
      this.optional(a, 'targetType', 0.5, () => this.pick(['ext:ESCOSkill', 'CFItem', 'CTDL']));
      this.optional(a, 'targetDescription', 0.3, () => this.text());
      return a;
    };
    const list: Record<string, unknown>[] = [];
    const shared = make();
    const copies = this.int(4);
    for (let i = 0; i < copies; i++) list.push(structuredClone(shared));
    const others = this.int(3);
    for (let i = 0; i < others; i++) list.push(make());
    return list;
  }

  private results(): Record<string, unknown>[] {
    const make = () => {
      const r: Record<string, unknown> = { type: ['Result'] };
      this.optional(r, 'value', 0.8, () => String(this.int(100)));
      this.optional(r, 'status', 0.4, () => this.pick(['Completed', 'Enrolled', 'Failed', 'InProgress']));
      this.optional(r, 'achievedLevel', 0.3, () => this.url('levels'));
      this.optional(r, 'resultDescription', 0.3, () => this.url('result-descriptions'));
      if (Object.keys(r).length === 1) r.value = 'pass';
      return r;
    };
    const shared = make();
    const list = Array.from({ length: this.int(3) }, () => structuredClone(shared));
    if (this.chance(0.5)) list.push(make());
    return list.length ? list : [make()];
  }

  private evidence(): Record<string, unknown>[] {
    const make = () => {
      const e: Record<string, unknown> = { type: ['Evidence'] };
      this.optional(e, 'id', 0.3, () => this.url('evidence'));
      this.optional(e, 'name', 0.7, () => this.text());
      this.optional(e, 'narrative', 0.5, () => this.text());
      this.optional(e, 'description', 0.3, () => this.text());
      this.optional(e, 'genre', 0.3, () => this.pick(['Project', 'Test']));
      this.optional(e, 'audience', 0.2, () => this.text());
      return e;
    };
    const shared = make();
    const list = Array.from({ length: this.int(3) }, () => structuredClone(shared));
    if (this.chance(0.4)) list.push(make());
    return list;
  }

  private achievement(): Record<string, unknown> {
    const a: Record<string, unknown> = {
      id: this.url('achievements'),
      type: ['Achievement'],
      name: this.text(),
      criteria: this.chance(0.8) ? { narrative: this.text() } : { id: this.url('criteria') },
    };
    this.optional(a, 'description', 0.8, () => this.text());
    this.optional(a, 'achievementType', 0.6, () =>
      this.pick(['MicroCredential', 'Badge', 'Certificate', 'ext:Custom']),
    );
    this.optional(a, 'creditsAvailable', 0.5, () => this.number());
    this.optional(a, 'alignment', 0.8, () => this.alignments());
    this.optional(a, 'tag', 0.4, () => Array.from({ length: 1 + this.int(3) }, () => this.text()));
    this.optional(a, 'image', 0.4, () => this.image());
    this.optional(a, 'inLanguage', 0.3, () => this.pick(['en', 'fr-CA', 'de']));
    this.optional(a, 'version', 0.3, () => `${this.int(5)}.${this.int(10)}`);
    this.optional(a, 'humanCode', 0.3, () => `SQL-${this.int(1000)}`);
    this.optional(a, 'fieldOfStudy', 0.3, () => this.text());
    this.optional(a, 'specialization', 0.2, () => this.text());
    this.optional(a, 'creator', 0.3, () => this.profile());
    this.optional(a, 'resultDescription', 0.3, () => [
      {
        id: this.url('result-descriptions'),
        type: ['ResultDescription'],
        name: this.text(),
        resultType: this.pick(['Percent', 'GradePointAverage', 'Status']),
        ...(this.chance(0.5) ? { allowedValue: ['A', 'B', this.text()] } : {}),
        ...(this.chance(0.5) ? { requiredValue: String(this.int(100)) } : {}),
      },
    ]);
    return a;
  }

  /** A proof object as Data Integrity puts it (inside a @graph container in VC 2.0). */
  private proof(): Record<string, unknown> {
    return {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: this.dateTime(),
      verificationMethod: `did:web:endorser.example#key-${this.int(3)}`,
      proofPurpose: 'assertionMethod',
      proofValue: `z${this.int(1e9).toString(36)}`,
    };
  }

  private endorsement(): Record<string, unknown> {
    const e: Record<string, unknown> = {
      '@context': [contexts.v2, contexts.ob],
      id: this.uuid(),
      type: ['VerifiableCredential', 'EndorsementCredential'],
      issuer: this.profile(),
      validFrom: this.dateTime(),
      credentialSubject: {
        id: this.url('achievements'),
        type: ['EndorsementSubject'],
        ...(this.chance(0.7) ? { endorsementComment: this.text() } : {}),
      },
    };
    this.optional(e, 'name', 0.5, () => this.text());
    this.optional(e, 'proof', 0.6, () => this.proof());
    return e;
  }

  /** One OB 3.0 AchievementCredential; `languageMap` adds a language-map term through an extra context. */
  credential(): Record<string, unknown> {
    const languageMap = this.chance(0.1);
    const subject: Record<string, unknown> = {
      type: ['AchievementSubject'],
      achievement: this.achievement(),
    };
    this.optional(subject, 'id', 0.8, () => (this.chance(0.5) ? `did:example:learner-${this.serial++}` : this.uuid()));
    this.optional(subject, 'result', 0.6, () => this.results());
    this.optional(subject, 'creditsEarned', 0.3, () => this.number());
    this.optional(subject, 'activityStartDate', 0.3, () => this.date());
    this.optional(subject, 'activityEndDate', 0.3, () => this.date());
    this.optional(subject, 'licenseNumber', 0.1, () => `L-${this.int(1e6)}`);
    this.optional(subject, 'role', 0.1, () => this.text());
    this.optional(subject, 'term', 0.1, () => this.text());
    this.optional(subject, 'narrative', 0.2, () => this.text());
    if (!subject.id && this.chance(0.5)) {
      subject.identifier = [
        {
          type: 'IdentityObject',
          hashed: this.chance(0.5),
          identityHash: `learner${this.int(1e6)}@example.org`,
          identityType: 'emailAddress',
          ...(this.chance(0.5) ? { salt: this.text() } : {}),
        },
      ];
    }
    const context: unknown[] = [contexts.v2, contexts.ob];
    if (languageMap) {
      context.push(contexts.examples, {
        localizedName: { '@id': 'https://example.org/localizedName', '@container': '@language' },
      });
    }
    const credential: Record<string, unknown> = {
      '@context': context,
      type: this.chance(0.5)
        ? ['VerifiableCredential', 'OpenBadgeCredential']
        : ['VerifiableCredential', 'AchievementCredential'],
      issuer: this.profile(),
      credentialSubject: subject,
    };
    this.optional(credential, 'id', 0.8, () => (this.chance(0.5) ? this.uuid() : this.url('credentials')));
    this.optional(credential, 'name', 0.8, () => this.text());
    this.optional(credential, 'description', 0.4, () => this.text());
    this.optional(credential, 'validFrom', 0.9, () => this.dateTime());
    this.optional(credential, 'validUntil', 0.3, () => this.dateTime());
    this.optional(credential, 'image', 0.2, () => this.image());
    this.optional(credential, 'evidence', 0.4, () => this.evidence());
    this.optional(credential, 'credentialStatus', 0.5, () => ({
      id: `${this.url('status-lists')}#${this.int(131072)}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: this.pick(['revocation', 'suspension']),
      statusListIndex: String(this.int(131072)),
      statusListCredential: this.url('status-lists'),
    }));
    this.optional(credential, 'credentialSchema', 0.3, () => [
      {
        id: 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json',
        type: 'JsonSchema',
      },
    ]);
    this.optional(credential, 'endorsement', 0.05, () =>
      Array.from({ length: 1 + this.int(2) }, () => this.endorsement()),
    );
    if (languageMap) {
      const map: Record<string, unknown> = { en: this.text(), 'fr-CA': [this.text(), this.text()] };
      if (this.chance(0.5)) map['zh-Hant-TW'] = this.text();
      credential.localizedName = map;
    }
    return credential;
  }
}
