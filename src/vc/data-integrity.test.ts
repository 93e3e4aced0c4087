import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { standardsJson, standardsText } from '../../test/helpers/standards.js';
import { canonicalize } from './canonicalize.js';
import { signEddsaRdfc2022, verifyEddsaRdfc2022, proofsOf, hashData } from './data-integrity.js';
import { keyPairFromSecret, keyPairFromSecretMultibase, publicKeyPairFromMultibase } from './multikey.js';

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('W3C vc-di-eddsa test vector (eddsa-rdfc-2022)', () => {
  const dir = 'vc-di-eddsa/TestVectors';
  const keys = standardsJson<{ publicKeyMultibase: string; privateKeyMultibase: string }>(`${dir}/keyPair.json`);
  const unsigned = standardsJson(`${dir}/unsigned.json`);
  const { '@context': _context, ...config } = standardsJson(`${dir}/eddsa-rdfc-2022/proofConfigDataInt.json`);
  const text = (name: string) => standardsText(`${dir}/eddsa-rdfc-2022/${name}`).trim();

  it('canonicalizes document and proof config byte for byte, with the same hashes', async () => {
    const canonDoc = await canonicalize(unsigned);
    expect(canonDoc.trim()).toBe(text('canonDocDataInt.txt'));
    expect(sha256hex(canonDoc)).toBe(text('docHashDataInt.txt'));
    const proofConfig = standardsJson(`${dir}/eddsa-rdfc-2022/proofConfigDataInt.json`);
    const canonProof = await canonicalize(proofConfig);
    expect(canonProof.trim()).toBe(text('proofCanonDataInt.txt'));
    expect(sha256hex(canonProof)).toBe(text('proofHashDataInt.txt'));
    const combined = await hashData(unsigned, proofConfig);
    expect(combined.toString('hex')).toBe(text('combinedHashDataInt.txt'));
  });

  it('reproduces the proofValue and the signed credential', async () => {
    const pair = keyPairFromSecretMultibase(keys.privateKeyMultibase);
    expect(pair.publicKeyMultibase).toBe(keys.publicKeyMultibase);
    const signed = await signEddsaRdfc2022(unsigned, pair.privateKey!, {
      verificationMethod: config.verificationMethod as string,
      created: config.created as string,
    });
    expect(proofsOf(signed)[0]!.proofValue).toBe(text('sigBTC58DataInt.txt'));
    expect(signed).toEqual(standardsJson(`${dir}/eddsa-rdfc-2022/signedDataInt.json`));
  });

  it('verifies the signed vector and rejects a changed one', async () => {
    const signed = standardsJson(`${dir}/eddsa-rdfc-2022/signedDataInt.json`);
    const { publicKey } = publicKeyPairFromMultibase(keys.publicKeyMultibase);
    const proof = proofsOf(signed)[0]!;
    expect((await verifyEddsaRdfc2022(signed, proof, publicKey)).verified).toBe(true);
    const changed = { ...signed, validFrom: '2099-01-01T00:00:00Z' };
    const result = await verifyEddsaRdfc2022(changed, proof, publicKey);
    expect(result.verified).toBe(false);
    expect(result.error).toContain('signature does not match');
  });
});

describe('1EdTech Open Badges 3.0 test vector', () => {
  const vector = standardsJson<{
    keyPair: { privateKeyHex: string; publicKeyMultibase: string; id: string };
    unsignedCredential: object;
    signedCredential: { proof: { created: string; proofValue: string } };
  }>('ob3/test-vectors/ob3-eddsa-rdfc-2022-test-vector.json');

  it('canonicalizes the OB 3.0 credential exactly as 1EdTech does', async () => {
    const canon = await canonicalize(vector.unsignedCredential);
    expect(canon).toBe(standardsText('ob3/test-vectors/ob3-document-canon.nq'));
  });

  it('re-signs to the same proofValue and verifies', async () => {
    const pair = keyPairFromSecret(Buffer.from(vector.keyPair.privateKeyHex, 'hex'));
    expect(pair.publicKeyMultibase).toBe(vector.keyPair.publicKeyMultibase);
    const signed = await signEddsaRdfc2022(vector.unsignedCredential, pair.privateKey!, {
      verificationMethod: vector.keyPair.id,
      created: vector.signedCredential.proof.created,
    });
    const proof = proofsOf(signed)[0]!;
    expect(proof.proofValue).toBe(vector.signedCredential.proof.proofValue);
    expect(
      (await verifyEddsaRdfc2022(vector.signedCredential, proofsOf(vector.signedCredential)[0]!, pair.publicKey))
        .verified,
    ).toBe(true);
  });
});

describe('CLR 2.0 test vector', () => {
  const vector = standardsJson<{
    keyPair: { privateKeyHex: string; id: string };
    unsignedCredential: object;
    proofOptions: { created: string; verificationMethod: string };
    documentHashHex: string;
    proofValue: string;
    signedCredential: Record<string, unknown>;
  }>('clr2/test-vectors/clr2-eddsa-rdfc-2022-test-vector.json');

  it('canonicalizes the ClrCredential (with its embedded, signed OB credential) byte for byte', async () => {
    const canon = await canonicalize(vector.unsignedCredential);
    expect(canon).toBe(standardsText('clr2/test-vectors/clr2-document-canon.nq'));
    expect(sha256hex(canon)).toBe(vector.documentHashHex);
  });

  it('re-signs to the same proofValue and verifies', async () => {
    const pair = keyPairFromSecret(Buffer.from(vector.keyPair.privateKeyHex, 'hex'));
    const signed = await signEddsaRdfc2022(vector.unsignedCredential, pair.privateKey!, {
      verificationMethod: vector.proofOptions.verificationMethod,
      created: vector.proofOptions.created,
    });
    expect(proofsOf(signed)[0]!.proofValue).toBe(vector.proofValue);
    const proof = proofsOf(vector.signedCredential)[0]!;
    expect((await verifyEddsaRdfc2022(vector.signedCredential, proof, pair.publicKey)).verified).toBe(true);
  });
});
