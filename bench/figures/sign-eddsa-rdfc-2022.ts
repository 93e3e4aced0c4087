import { signEddsaRdfc2022, proofsOf } from '../../src/vc/data-integrity.js';
import { benchCredential, benchKey, created } from '../credential.js';
import { perSecond, secondsFor, type Figure } from '../figure.js';
import { referenceStack } from '../reference.js';

export const figure: Figure = {
  name: 'sign-eddsa-rdfc-2022',
  unit: 'credentials/s',
  hasReference: true,
  async measure({ quick, side }) {
    const credential = benchCredential();
    const { pair, verificationMethod, didDocument } = benchKey();
    const reference = await referenceStack(pair, verificationMethod, didDocument);
    const ours = () => signEddsaRdfc2022(credential, pair.privateKey!, { verificationMethod, created });
    const theirs = () => reference.sign(credential, created);
    const identical = proofsOf(await ours())[0]!.proofValue === proofsOf(await theirs())[0]!.proofValue;
    const seconds = secondsFor(quick);
    if (side === 'reference') return { skillproof: null, reference: await perSecond(theirs, seconds), identical: null };
    return { skillproof: await perSecond(ours, seconds), reference: null, identical };
  },
};
