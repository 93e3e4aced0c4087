import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialGenerator, mulberry32 } from '../../test/helpers/random-credentials.js';
import { canonicalizeFast, canonicalizeGeneric } from './canonicalize.js';
import { fastPathRefusal } from './fast-rdf.js';
import { deepFreeze } from './frozen.js';

/**
 * Differential test: for thousands of generated Open Badges 3.0 credentials, the fast path's canonical
 * N-Quads equal jsonld.js + rdf-canonize's byte for byte. The seed is printed; replay a failure with
 * SKILLPROOF_DIFF_SEED=<seed> (and SKILLPROOF_DIFF_COUNT to change how many).
 */
const seed = process.env.SKILLPROOF_DIFF_SEED ? Number(process.env.SKILLPROOF_DIFF_SEED) : randomInt(2 ** 31);
const count = Number(process.env.SKILLPROOF_DIFF_COUNT ?? 10_000);

describe(`fast path versus jsonld.js + rdf-canonize (seed ${seed})`, () => {
  it(`gives identical canonical N-Quads for ${count} generated credentials`, { timeout: 1_800_000 }, async () => {
    console.log(`differential test: SKILLPROOF_DIFF_SEED=${seed} SKILLPROOF_DIFF_COUNT=${count}`);
    const generator = new CredentialGenerator(mulberry32(seed));
    let blankNodeHeavy = 0;
    for (let i = 0; i < count; i++) {
      const credential = generator.credential();
      const refusal = fastPathRefusal(credential);
      expect(refusal, `credential #${i} (seed ${seed}) left the fast path: ${refusal}`).toBeUndefined();
      const fast = canonicalizeFast(credential)!;
      const generic = await canonicalizeGeneric(credential);
      if (fast !== generic) {
        expect.fail(
          `credential #${i} (seed ${seed}) differs:\n${JSON.stringify(credential)}\nfast:\n${fast}\ngeneric:\n${generic}`,
        );
      }
      if ((fast.match(/_:c14n\d+ /g) ?? []).length > 10) blankNodeHeavy++;
    }
    // The generator must exercise blank nodes for this to mean anything.
    expect(blankNodeHeavy).toBeGreaterThan(count / 10);
  });

  it('gives identical canonical N-Quads when frozen parts are shared between credentials', async () => {
    // Frozen parts are expanded once, recorded the second time and replayed from then on: each set of parts
    // goes into four credentials, in the places a bulk run shares (the achievement) and elsewhere.
    const generator = new CredentialGenerator(mulberry32(seed + 1));
    const sets = Math.max(50, Math.floor(count / 20));
    for (let i = 0; i < sets; i++) {
      const donor = generator.credential();
      const subject = donor.credentialSubject as Record<string, unknown>;
      const shared = deepFreeze(
        structuredClone({
          achievement: subject.achievement,
          issuer: donor.issuer,
          evidence: donor.evidence,
          endorsement: donor.endorsement,
        }),
      );
      for (let use = 0; use < 4; use++) {
        const credential = generator.credential();
        const target = credential.credentialSubject as Record<string, unknown>;
        target.achievement = shared.achievement;
        if (use % 2 === 1) credential.issuer = shared.issuer;
        if (shared.evidence !== undefined) credential.evidence = shared.evidence;
        if (shared.endorsement !== undefined) credential.endorsement = shared.endorsement;
        const fast = canonicalizeFast(credential);
        const generic = await canonicalizeGeneric(credential);
        if (fast !== generic) {
          expect.fail(
            `set #${i}, use ${use} (seed ${seed}) differs:\n${JSON.stringify(credential)}\nfast:\n${fast}\ngeneric:\n${generic}`,
          );
        }
      }
    }
  });
});
