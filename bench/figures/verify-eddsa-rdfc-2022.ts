import { signEddsaRdfc2022 } from '../../src/vc/data-integrity.js';
import { methodInDocument } from '../../src/vc/did.js';
import { verifyCredential } from '../../src/vc/verify.js';
import { benchCredential, benchKey, created } from '../credential.js';
import { perSecond, secondsFor, type Figure } from '../figure.js';
import { referenceStack } from '../reference.js';

/**
 * Verifying one credential end to end, as each library's verifier does it (proof, key and controller
 * document, purpose, dates); the status list is not fetched on either side (the endpoint figure does that).
 */
export const figure: Figure = {
  name: 'verify-eddsa-rdfc-2022',
  unit: 'credentials/s',
  hasReference: true,
  async measure({ quick, side }) {
    const { pair, verificationMethod, didDocument } = benchKey();
    const credential = benchCredential();
    const signed = await signEddsaRdfc2022(credential, pair.privateKey!, { verificationMethod, created });
    const reference = await referenceStack(pair, verificationMethod, didDocument);
    const deps = { resolveMethod: async (id: string) => methodInDocument(didDocument, id) };
    const ours = async () => {
      if (!(await verifyCredential(signed, deps)).verified) throw new Error('Skillproof did not verify');
    };
    const theirs = async () => {
      if (!(await reference.verify(signed))) throw new Error('the reference did not verify');
    };
    // Both must also refuse a changed credential, or the figures mean nothing.
    const tampered = { ...signed, name: 'Changed after signing' };
    const bothRefuse = !(await verifyCredential(tampered, deps)).verified && !(await reference.verify(tampered));
    const seconds = secondsFor(quick);
    if (side === 'reference') return { skillproof: null, reference: await perSecond(theirs, seconds), identical: null };
    return { skillproof: await perSecond(ours, seconds), reference: null, identical: bothRefuse };
  },
};
