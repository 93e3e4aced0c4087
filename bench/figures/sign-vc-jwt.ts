import { CompactSign } from 'jose';
import { signCredentialJwt } from '../../src/vc/jwt.js';
import { benchCredential, benchKey } from '../credential.js';
import { perSecond, secondsFor, type Figure } from '../figure.js';

/** VC-JWT (EdDSA) signing against jose signing the same payload and header directly. */
export const figure: Figure = {
  name: 'sign-vc-jwt',
  unit: 'credentials/s',
  hasReference: true,
  async measure({ quick, side }) {
    const credential = benchCredential();
    const { pair, verificationMethod } = benchKey();
    const ours = () =>
      signCredentialJwt(credential, { privateKey: pair.privateKey!, algorithm: 'EdDSA', kid: verificationMethod });
    const token = await ours();
    const [header, payload] = token.split('.').map((part) => Buffer.from(part, 'base64url').toString('utf8'));
    const theirs = () =>
      new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(JSON.parse(header!)).sign(pair.privateKey!);
    const identical = (await theirs()) === token;
    const seconds = secondsFor(quick);
    if (side === 'reference') return { skillproof: null, reference: await perSecond(theirs, seconds), identical: null };
    return { skillproof: await perSecond(ours, seconds), reference: null, identical };
  },
};
