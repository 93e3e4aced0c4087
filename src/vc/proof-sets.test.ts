import { describe, expect, it } from 'vitest';
import { standardsJson } from '../../test/helpers/standards.js';
import { proofsOf, signEddsaRdfc2022, verifyEddsaRdfc2022, type DataIntegrityProof } from './data-integrity.js';
import { createMethodResolver } from './did.js';
import { defaultDocumentLoader } from './document-loader.js';
import { keyPairFromSecretMultibase } from './multikey.js';
import { checkProofs } from './verify.js';

/** W3C vc-di-eddsa proof sets (independent signatures) and proof chains (previousProof), byte for byte. */
const dir = 'vc-di-eddsa/TestVectors/proof-set-chain';
const keys = standardsJson<
  Record<string, { publicKeyMultibase: string; secretKeyMultibase?: string; privateKeyMultibase?: string }>
>(`${dir}/multiKeyPairs.json`);
const pair = (name: string) =>
  keyPairFromSecretMultibase(keys[name]!.secretKeyMultibase ?? keys[name]!.privateKeyMultibase!);
const config = (name: string) => standardsJson<DataIntegrityProof>(`${dir}/${name}.json`);

async function addProof<T extends object>(document: T, keyName: string, configName: string) {
  const options = config(configName);
  return signEddsaRdfc2022(document, pair(keyName).privateKey!, {
    verificationMethod: options.verificationMethod,
    created: options.created!,
    ...(options.id ? { id: options.id } : {}),
    ...(options.previousProof ? { previousProof: options.previousProof } : {}),
  });
}

const resolve = createMethodResolver();
const keyFor = async (proof: DataIntegrityProof) => (await resolve(proof.verificationMethod)).publicKey;

describe('proof sets and chains', () => {
  it('builds the proof set byte for byte', async () => {
    const first = await addProof(standardsJson(`${dir}/unsigned.json`), 'keyPair1', 'proofSetConfig1');
    expect(first).toEqual(standardsJson(`${dir}/signedProofSet1.json`));
    const second = await addProof(first, 'keyPair2', 'proofSetConfig2');
    expect(second).toEqual(standardsJson(`${dir}/signedProofSet2.json`));
  });

  it('builds the proof chain byte for byte', async () => {
    const set = standardsJson(`${dir}/signedProofSet2.json`);
    const chained = await addProof(set, 'keyPair3', 'proofChainConfig1');
    expect(chained).toEqual(standardsJson(`${dir}/signedProofChain1.json`));
    const longer = await addProof(chained, 'keyPair4', 'proofChainConfig2');
    expect(longer).toEqual(standardsJson(`${dir}/signedProofChain2.json`));
  });

  it('verifies every proof of the longest chain, and a broken link breaks the chain', async () => {
    const chain = standardsJson(`${dir}/signedProofChain2.json`);
    for (const proof of proofsOf(chain)) {
      expect((await verifyEddsaRdfc2022(chain, proof, await keyFor(proof))).verified, proof.id ?? 'last').toBe(true);
    }
    const proofs = proofsOf(chain);
    const broken = { ...chain, proof: [{ ...proofs[0]!, created: '2024-01-01T00:00:00Z' }, ...proofs.slice(1)] };
    const third = proofsOf(broken)[2]!;
    expect((await verifyEddsaRdfc2022(broken, third, await keyFor(third))).verified).toBe(false);
    const missing = { ...chain, proof: proofs.slice(1) };
    const result = await verifyEddsaRdfc2022(missing, proofs[2]!, await keyFor(proofs[2]!));
    expect(result.error).toContain('previous proof');
  });
});

describe('verifying a proof set or chain (VC Data Integrity 1.0 §4.4–4.6)', () => {
  const deps = { resolveMethod: resolve };
  const check = (document: Record<string, unknown>) =>
    checkProofs(document, 'any', deps, defaultDocumentLoader, {}, new Date('2026-01-01T00:00:00Z'));
  const chain = () => standardsJson(`${dir}/signedProofChain2.json`);

  it('passes when every proof verifies: a set, and chains by previousProof string and array', async () => {
    expect(await check(standardsJson(`${dir}/signedProofSet2.json`))).toMatchObject({ status: 'passed' });
    const outcome = await check(chain());
    expect(outcome.status, outcome.message).toBe('passed');
    expect(outcome.message).toContain('All 4 digital signatures are valid');
  });

  it('fails when any proof of the set fails, even after a valid one', async () => {
    const document = chain();
    const proofs = proofsOf(document);
    const last = proofs[3]!;
    const forged = { ...last, proofValue: proofs[0]!.proofValue };
    const outcome = await check({ ...document, proof: [...proofs.slice(0, 3), forged] });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('Every signature of a proof set or chain must be valid');
  });

  it('fails a previousProof that names no proof of the set, or the proof itself', async () => {
    const document = chain();
    const proofs = proofsOf(document);
    const dangling = { ...document, proof: [proofs[0]!, proofs[1]!, proofs[3]!] };
    const outcome = await check(dangling);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain(
      'previous proof "urn:uuid:d94f792a-c546-4d06-b38a-da070ab56c23" is not in the document',
    );
    const selfish = { ...document, proof: [{ ...proofs[0]!, previousProof: proofs[0]!.id }, proofs[1]!] };
    expect((await check(selfish)).message).toContain('names itself');
  });

  it('reports a proof of a suite it does not check without counting it: it never makes a set pass alone', async () => {
    const document = standardsJson(`${dir}/signedProofSet2.json`);
    const proofs = proofsOf(document);
    const other = { ...proofs[1]!, cryptosuite: 'ecdsa-sd-2023' };
    const outcome = await check({ ...document, proof: [proofs[0]!, other] });
    expect(outcome.status).toBe('passed');
    expect(outcome.message).toContain('not counted');
    expect(outcome.message).toContain('ecdsa-sd-2023');
    expect((await check({ ...document, proof: [other] })).status).toBe('failed');
    const forged = { ...proofs[0]!, proofValue: proofs[1]!.proofValue };
    expect((await check({ ...document, proof: [forged, other] })).status).toBe('failed');
  });
});
