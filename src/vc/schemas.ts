import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import achievementCredential from './schemas/ob_v3p0_achievementcredential_schema.json' with { type: 'json' };
import clrCredential from './schemas/clr_v2p0_clrcredential_schema.json' with { type: 'json' };
import endorsementCredential from './schemas/ob_v3p0_endorsementcredential_schema.json' with { type: 'json' };
import profile from './schemas/ob_v3p0_profile_schema.json' with { type: 'json' };
import { isDeeplyFrozen } from './frozen.js';

/** 1EdTech's official JSON Schemas (draft 2019-09) for the credential types Skillproof reads and writes. */
export type SchemaName = 'AchievementCredential' | 'EndorsementCredential' | 'ClrCredential' | 'Profile';

// Two compilations of each schema, with the same verdict: a quick one that stops at the first error, run on
// every credential, and one that collects every error, run only on a credential that failed, to report them.
// The quick one keeps each definition a function of its own: inlined, the AchievementCredential schema makes
// one function of some 200 KB of source, too large for V8 to optimize, and checks a credential 6× slower.
const quickAjv = new Ajv2019({ allErrors: false, strict: false, validateFormats: true, inlineRefs: false });
const fullAjv = new Ajv2019({ allErrors: true, strict: false, validateFormats: true });
addFormats.default(quickAjv);
addFormats.default(fullAjv);

const compiled = { quick: new Map<SchemaName, ValidateFunction>(), full: new Map<SchemaName, ValidateFunction>() };
const sources: Record<SchemaName, object> = {
  AchievementCredential: achievementCredential,
  EndorsementCredential: endorsementCredential,
  ClrCredential: clrCredential,
  Profile: profile,
};

function validatorFor(name: SchemaName, kind: 'quick' | 'full'): ValidateFunction {
  let validate = compiled[kind].get(name);
  if (!validate) {
    validate = (kind === 'quick' ? quickAjv : fullAjv).compile(sources[name]);
    compiled[kind].set(name, validate);
  }
  return validate;
}

export interface SchemaIssue {
  path: string;
  message: string;
}

/** Which official schema applies to a credential, from its types. */
export function schemaFor(credential: { type?: unknown }): SchemaName | undefined {
  const types = [credential.type].flat();
  if (types.includes('ClrCredential')) return 'ClrCredential';
  if (types.includes('EndorsementCredential')) return 'EndorsementCredential';
  if (types.includes('OpenBadgeCredential') || types.includes('AchievementCredential')) return 'AchievementCredential';
  return undefined;
}

// An AchievementCredential's achievement is checked by the schema at one place only: the subject's
// `achievement`, against the Achievement definition, which nothing else refers to. So a credential whose
// achievement is deeply frozen and was part of a valid credential before is valid exactly when the rest is,
// checked against the schema with that one place left open. Bulk issuance signs a cohort's credentials with
// one frozen achievement, which is then checked once per batch instead of once per credential.
const validAchievements = new WeakSet<object>();
let openAchievement: ValidateFunction | null | undefined;

function achievementLeftOpen(): ValidateFunction | null {
  if (openAchievement !== undefined) return openAchievement;
  const schema = structuredClone(achievementCredential) as Record<string, unknown> & {
    properties: Record<string, unknown>;
    $defs: Record<string, { properties?: Record<string, unknown> }>;
  };
  const text = JSON.stringify(schema);
  const refersOnce = (def: string) => text.split(`"#/$defs/${def}"`).length === 2;
  const subject = schema.$defs.AchievementSubject?.properties;
  const usable =
    refersOnce('Achievement') &&
    refersOnce('AchievementSubject') &&
    JSON.stringify(schema.properties.credentialSubject) === '{"$ref":"#/$defs/AchievementSubject"}' &&
    JSON.stringify(subject?.achievement) === '{"$ref":"#/$defs/Achievement"}';
  if (usable) subject!.achievement = true;
  delete schema.$id; // a second compilation of the same schema must not claim its id
  openAchievement = usable ? quickAjv.compile(schema) : null;
  return openAchievement;
}

/** Whether the schema has the shape that lets a shared achievement be checked once (for tests). */
export function achievementCheckedOnce(): boolean {
  return achievementLeftOpen() !== null;
}

function sharedAchievement(document: unknown): object | undefined {
  const subject = (document as { credentialSubject?: unknown } | null)?.credentialSubject;
  const achievement = (subject as { achievement?: unknown } | null | undefined)?.achievement;
  return typeof achievement === 'object' && achievement !== null && isDeeplyFrozen(achievement)
    ? achievement
    : undefined;
}

/** Validates against the named schema; an empty list means valid. */
export function validateSchema(name: SchemaName, document: unknown): SchemaIssue[] {
  const shared = name === 'AchievementCredential' ? sharedAchievement(document) : undefined;
  const open = shared && validAchievements.has(shared) ? achievementLeftOpen() : null;
  if ((open ?? validatorFor(name, 'quick'))(document)) {
    if (shared) validAchievements.add(shared);
    return [];
  }
  const validate = validatorFor(name, 'full');
  if (validate(document)) return [];
  return summarize(validate.errors ?? []);
}

// ajv reports every branch of a failed anyOf; keep the most specific errors, one per path.
function summarize(errors: ErrorObject[]): SchemaIssue[] {
  const byPath = new Map<string, SchemaIssue>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue;
    const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(document)';
    const detail =
      error.keyword === 'required'
        ? `needs "${(error.params as { missingProperty: string }).missingProperty}"`
        : error.keyword === 'enum' || error.keyword === 'const'
          ? `${error.message} (${JSON.stringify(error.params)})`
          : (error.message ?? 'is not valid');
    if (!byPath.has(path)) byPath.set(path, { path, message: detail });
  }
  return [...byPath.values()];
}
