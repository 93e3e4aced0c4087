import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { apiClient } from '../api-client.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';
import { readStdinBytes } from '../prompt.js';
import { serverOptions, type ServerOptions } from './server-options.js';

interface CredentialRecord {
  id: string;
  credentialId: string;
  name: string | null;
  status: 'active' | 'suspended' | 'revoked' | 'expired';
  revocationReason: string | null;
  suspendable: boolean;
}

/** The id of a credential named on the command line: an id as it is, or the `id` of a signed credential file. */
async function credentialIdOf(given: string): Promise<string> {
  if (given !== '-' && !existsSync(given)) return given;
  const text = (given === '-' ? await readStdinBytes() : readFileSync(given)).toString('utf8').trim();
  let id: unknown;
  if (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(text)) {
    // A VC-JWT: its payload is the credential (VC-JWT 2.0) or carries it in `vc` (older JWTs), with `jti`.
    try {
      const payload = JSON.parse(Buffer.from(text.split('.')[1]!, 'base64url').toString('utf8')) as {
        id?: unknown;
        jti?: unknown;
        vc?: { id?: unknown };
      };
      id = payload.id ?? payload.vc?.id ?? payload.jti;
    } catch {
      id = undefined;
    }
  } else {
    try {
      id = (JSON.parse(text) as { id?: unknown } | null)?.id;
    } catch {
      throw new CliError(
        `${given} is neither a credential id nor a signed credential (JSON or VC-JWT).`,
        exitCodes.badInput,
      );
    }
  }
  if (typeof id !== 'string' || !id)
    throw new CliError(`The credential in ${given} has no id to change the status of.`, exitCodes.badInput);
  return id;
}

const changes = {
  revoke: {
    description: 'Revoke a credential you issued, for good, with the reason verifiers and the learner see',
    entry: (reason?: string) => ({ statusPurpose: 'revocation', status: 'revoked', reason }),
    done: 'Revoked',
  },
  suspend: {
    description: 'Suspend a credential you issued (reversible with unsuspend); verifiers see it as suspended',
    entry: (reason?: string) => ({ statusPurpose: 'suspension', status: 'suspended', ...(reason ? { reason } : {}) }),
    done: 'Suspended',
  },
  unsuspend: {
    description: 'Lift the suspension of a credential you issued',
    entry: () => ({ statusPurpose: 'suspension', status: 'active' }),
    done: 'Unsuspended',
  },
} as const;

/** `revoke`, `suspend` and `unsuspend`: the VC-API status update (POST /credentials/status) of a running instance. */
export function statusCommands(program: Command): void {
  for (const [name, change] of Object.entries(changes) as [
    keyof typeof changes,
    (typeof changes)[keyof typeof changes],
  ][]) {
    const command = program
      .command(name)
      .description(`${change.description}; the status list is republished at once`)
      .argument('<credential>', 'the credential id (urn:uuid:…, as in the credential), or its signed file, or -');
    if (name === 'revoke')
      command.requiredOption('--reason <text>', 'why it is revoked (shown to verifiers and the learner)');
    if (name === 'suspend') command.option('--reason <text>', 'why it is suspended');
    serverOptions(command.option('--json', 'print the credential record as JSON')).action(
      async (given: string, options: ServerOptions & { reason?: string; json?: boolean }) => {
        const reason = options.reason?.trim();
        if (name === 'revoke' && !reason)
          throw new CliError('Give the reason for revoking with --reason.', exitCodes.badInput);
        const api = apiClient(options);
        if (!api.hasToken) throw new CliError('Not signed in: run `skillproof login` or set SKILLPROOF_TOKEN.');
        const credentialId = await credentialIdOf(given);
        const record = await api.post<CredentialRecord>('/credentials/status', {
          credentialId,
          credentialStatus: [change.entry(reason)],
        });
        print(options, record, () =>
          [
            `${change.done}: ${record.name ?? record.credentialId}`,
            `  ${record.credentialId}: now ${record.status}${record.revocationReason ? ` (${record.revocationReason})` : ''}`,
          ].join('\n'),
        );
      },
    );
  }
}
