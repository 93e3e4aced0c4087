import { jwtVerify } from 'jose';
import { methodInDocument } from '../../src/vc/did.js';
import { signCredentialJwt, verifyCredentialJwt } from '../../src/vc/jwt.js';
import { benchCredential, benchKey } from '../credential.js';
import { perSecond, secondsFor, type Figure } from '../figure.js';

/**
 * VC-JWT verification through Skillproof's whole pipeline (key resolution, signature, claims, data model,
 * schema) against jose's jwtVerify of the same token with the key in hand (signature and claims only).
 */
export const figure: Figure = {
  name: 'verify-vc-jwt',
  unit: 'credentials/s',
  hasReference: true,
  async measure({ quick, side }) {
    const credential = benchCredential();
    const { pair, verificationMethod, didDocument } = benchKey();
    const token = await signCredentialJwt(credential, {
      privateKey: pair.privateKey!,
      algorithm: 'EdDSA',
      kid: verificationMethod,
    });
    const deps = { resolveMethod: async (id: string) => methodInDocument(didDocument, id) };
    const ours = async () => {
      if (!(await verifyCredentialJwt(token, deps)).verified) throw new Error('Skillproof did not verify');
    };
    const theirs = () => jwtVerify(token, pair.publicKey);
    // Both must refuse a token whose signature was changed, or the figures mean nothing.
    const changed = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const refusedByJose = await jwtVerify(changed, pair.publicKey).then(
      () => false,
      () => true,
    );
    const bothRefuse = refusedByJose && !(await verifyCredentialJwt(changed, deps)).verified;
    const seconds = secondsFor(quick);
    if (side === 'reference') return { skillproof: null, reference: await perSecond(theirs, seconds), identical: null };
    return { skillproof: await perSecond(ours, seconds), reference: null, identical: bothRefuse };
  },
};
