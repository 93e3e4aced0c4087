// A signing thread of the bulk issuance pool (sign-pool.ts): completes, checks and signs credentials sent by
// the main thread. CPU-bound only: no database, no network.
import { parentPort } from 'node:worker_threads';
import { DomainError } from '../platform/errors.js';
import { nowSeconds, signEddsaRdfc2022 } from '../vc/data-integrity.js';
import { VcError } from '../vc/errors.js';
import { deepFreeze } from '../vc/frozen.js';
import { prepareCredential } from './prepare.js';
import { deflateDocument } from './stored-document.js';
import type { SignReply, SignTask, SignedItem } from './sign-pool.js';

parentPort!.on('message', (task: SignTask) => {
  void run(task).then((reply) =>
    parentPort!.postMessage(
      reply,
      'results' in reply ? reply.results.map((r) => r.document.buffer as ArrayBuffer) : [],
    ),
  );
});

async function run(task: SignTask): Promise<SignReply> {
  const results: SignedItem[] = [];
  try {
    for (const item of task.items) {
      // The items of a task share objects (a cohort's achievement arrives once per task): frozen, their
      // expansion and most of their canonicalization are done once per task, not per credential (fast-rdf.ts).
      const credential = prepareCredential(
        deepFreeze(item.input),
        { did: task.did, profile: task.profile },
        { credentialId: item.credentialId, validFrom: item.validFrom, status: item.status },
      );
      const secured = await signEddsaRdfc2022(credential, task.privateKey, {
        verificationMethod: task.verificationMethod,
        created: nowSeconds(),
      });
      const subject = [credential.credentialSubject].flat()[0] as { id?: unknown } | undefined;
      results.push({
        // Deflated here, as it is stored, so the main thread only passes the bytes on.
        document: deflateDocument(JSON.stringify(secured)),
        credentialId: String(credential.id),
        subjectId: typeof subject?.id === 'string' ? subject.id : null,
        name: typeof credential.name === 'string' ? credential.name : null,
        validUntil: typeof credential.validUntil === 'string' ? credential.validUntil : null,
      });
    }
    return { id: task.id, results };
  } catch (error) {
    // Terms the contexts do not define fail canonicalization in safe mode: the input's fault, like a bad field.
    if (error instanceof DomainError || error instanceof VcError) {
      const details = error instanceof DomainError ? error.details : { field: 'credential' };
      return { id: task.id, error: { message: error.message, invalid: true, ...(details ? { details } : {}) } };
    }
    return { id: task.id, error: { message: String((error as Error)?.stack ?? error), invalid: false } };
  }
}
