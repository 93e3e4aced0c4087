import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import achievementCredential from './schemas/ob_v3p0_achievementcredential_schema.json' with { type: 'json' };
import clrCredential from './schemas/clr_v2p0_clrcredential_schema.json' with { type: 'json' };
import endorsementCredential from './schemas/ob_v3p0_endorsementcredential_schema.json' with { type: 'json' };
import profile from './schemas/ob_v3p0_profile_schema.json' with { type: 'json' };

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

/** Validates against the named schema; an empty list means valid. */
export function validateSchema(name: SchemaName, document: unknown): SchemaIssue[] {
  if (validatorFor(name, 'quick')(document)) return [];
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
