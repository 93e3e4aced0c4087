import { isEnvelope, unwrapEnvelope } from '../../vc/envelope.js';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createSafeFetch, defaultFetchPolicy } from '../../platform/safe-fetch.js';
import { bake, unbake, type BakedContent } from '../../vc/baking.js';
import { createMethodResolver } from '../../vc/did.js';
import { VcError } from '../../vc/errors.js';
import { generateEd25519KeyPair, secretKeyToMultibase } from '../../vc/multikey.js';
import { readInput, verifyInput, type InputVerification, type VerifierInput } from '../../vc/verify-input.js';
import { undecided } from '../../vc/verify.js';
import { withReadableRefusals } from '../../verification/outcome.js';
import { apiClient } from '../api-client.js';
import { CliError, exitCodes } from '../errors.js';
import { print } from '../output.js';
import { readStdinBytes } from '../prompt.js';
import { serverOptions, type ServerOptions } from './server-options.js';

function readFile(path: string, what: string): Buffer {
  if (path === '-') return Buffer.alloc(0);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(
      `Cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      exitCodes.badInput,
    );
  }
}

async function bytesOf(path: string, what: string): Promise<Buffer> {
  return path === '-' ? readStdinBytes() : readFile(path, what);
}

/** Library errors about the input are the user's input problem: exit 2 with the message. */
function asBadInput(error: unknown): never {
  if (error instanceof VcError) throw new CliError(error.message, exitCodes.badInput);
  throw error;
}

const marks = { passed: '✓', failed: '✗', warning: '!', skipped: '–', unknown: '?' } as const;

export function formatVerification(result: {
  verified: boolean;
  checks: InputVerification['checks'];
  summary?: InputVerification['summary'];
}): string {
  const lines = [result.verified ? 'VERIFIED' : undecided(result) ? 'NOT CHECKED (try again later)' : 'NOT VERIFIED'];
  const summary = result.summary;
  if (summary?.achievement?.name) lines.push(`  ${summary.achievement.name}`);
  if (summary?.issuer)
    lines.push(`  issued by ${summary.issuer.name ?? '(no name)'} (${summary.issuer.id ?? 'unknown'})`);
  if (summary?.skills.length) lines.push(`  skills: ${summary.skills.map((s) => s.name).join(', ')}`);
  for (const check of result.checks) lines.push(`  ${marks[check.status]} ${check.id}: ${check.message}`);
  return lines.join('\n');
}

export function credentialCommands(program: Command): void {
  serverOptions(
    program
      .command('verify')
      .description(
        'Verify a credential: a JSON file, a VC-JWT, a baked PNG/SVG, a URL, or - for standard input. Exit 0 verified, 1 not verified, 2 bad input',
      )
      .argument('<input>', 'file, URL or -')
      .option('--local', 'verify in this process instead of asking the instance (fetches only public HTTPS)')
      .option('--json', 'print every check as JSON'),
  ).action(async (input: string, options: ServerOptions & { local?: boolean; json?: boolean }) => {
    let result: { verified: boolean; checks: InputVerification['checks']; summary?: InputVerification['summary'] };
    if (options.local) {
      const fetcher = createSafeFetch(defaultFetchPolicy);
      const deps = {
        resolveMethod: createMethodResolver({ fetchJson: withReadableRefusals(fetcher.fetchJson, 'did-resolution') }),
        fetchStatusList: withReadableRefusals(fetcher.fetchJson, 'status-list'),
      };
      const given: VerifierInput = /^https?:\/\//.test(input)
        ? {
            bytes: (
              await fetcher
                .fetchDocument(input)
                .catch((e: Error) => asBadInput(new VcError('invalid-document', e.message)))
            ).body,
          }
        : { bytes: await bytesOf(input, 'credential') };
      result = await verifyInput(given, deps).catch(asBadInput);
    } else {
      const api = apiClient(options);
      const body = /^https?:\/\//.test(input)
        ? { url: input }
        : await (async () => {
            const bytes = await bytesOf(input, 'credential');
            try {
              const { content } = readInput({ bytes });
              return content.kind === 'jwt'
                ? { text: content.jwt }
                : content.kind === 'ob2'
                  ? { text: content.value }
                  : { text: JSON.stringify(content.credential) };
            } catch (error) {
              return asBadInput(error);
            }
          })();
      const answer = await api.post<{
        verified: boolean;
        details: InputVerification['checks'];
        summary?: InputVerification['summary'];
      }>('/api/verify', body);
      result = {
        verified: answer.verified,
        checks: answer.details,
        ...(answer.summary ? { summary: answer.summary } : {}),
      };
    }
    print(options, result, () => formatVerification(result));
    if (!result.verified) process.exitCode = exitCodes.failure;
  });

  serverOptions(
    program
      .command('issue')
      .description("Sign a credential as an organization, through the instance's VC-API")
      .argument('<file>', "the unsigned credential (JSON), or -; without an issuer, it gets the organization's DID")
      .option('--org <orgId>', 'the issuing organization (default: your only issuer organization)')
      .option('--format <format>', 'ldp_vc (eddsa-rdfc-2022) or jwt', 'ldp_vc')
      .option('--algorithm <alg>', 'for jwt: EdDSA or RS256', 'EdDSA')
      .option(
        '--status-purpose <purpose>',
        'for Open Badges credentials, which carry one status entry: revocation, or suspension (suspend, unsuspend and revoke)',
      )
      .option('-o, --out <file>', 'write the signed credential here instead of standard output'),
  ).action(
    async (
      file: string,
      options: ServerOptions & {
        org?: string;
        format: string;
        algorithm: string;
        statusPurpose?: string;
        out?: string;
      },
    ) => {
      if (options.statusPurpose !== undefined && !['revocation', 'suspension'].includes(options.statusPurpose))
        throw new CliError('--status-purpose is revocation or suspension.', exitCodes.badInput);
      if (!['ldp_vc', 'jwt'].includes(options.format))
        throw new CliError('--format is ldp_vc or jwt.', exitCodes.badInput);
      if (!['EdDSA', 'RS256'].includes(options.algorithm))
        throw new CliError('--algorithm is EdDSA or RS256.', exitCodes.badInput);
      let credential: unknown;
      try {
        credential = JSON.parse((await bytesOf(file, 'credential')).toString('utf8'));
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`${file} is not valid JSON.`, exitCodes.badInput);
      }
      const api = apiClient(options);
      const orgId = options.org ?? (await onlyIssuerOrg(api));
      credential = await withIssuer(api, orgId, credential);
      const { verifiableCredential } = await api.post<{ verifiableCredential: unknown }>(
        `/issuers/${encodeURIComponent(orgId)}/credentials/issue`,
        {
          credential,
          options: {
            format: options.format,
            ...(options.format === 'jwt' ? { algorithm: options.algorithm } : {}),
            ...(options.statusPurpose ? { statusPurpose: options.statusPurpose } : {}),
          },
        },
      );
      // A VC-JWT comes back enveloped (VC-API): write the compact JWS, the file wallets and `bake` take.
      const document = verifiableCredential as Record<string, unknown>;
      const text = isEnvelope(document) ? unwrapEnvelope(document) : JSON.stringify(verifiableCredential, null, 2);
      if (options.out) writeFileSync(options.out, text + '\n');
      else console.log(text);
    },
  );

  program
    .command('bake')
    .description('Bake a credential (JSON or VC-JWT file) into a PNG or SVG badge image')
    .argument('<credential>', 'the signed credential file')
    .argument('<image>', 'the PNG or SVG image')
    .requiredOption('-o, --out <file>', 'where to write the baked image')
    .action((credentialFile: string, imageFile: string, options: { out: string }) => {
      const text = readFile(credentialFile, 'credential').toString('utf8');
      let content: BakedContent;
      try {
        content = readInput({ text }).content;
        writeFileSync(options.out, bake(readFile(imageFile, 'image'), content));
      } catch (error) {
        asBadInput(error);
      }
      console.log(`Baked into ${options.out}.`);
    });

  program
    .command('unbake')
    .description('Print the credential baked into a PNG or SVG image')
    .argument('<image>', 'the image, or -')
    .action(async (imageFile: string) => {
      try {
        const content = unbake(await bytesOf(imageFile, 'image'));
        console.log(
          content.kind === 'jwt'
            ? content.jwt
            : content.kind === 'ob2'
              ? content.value
              : JSON.stringify(content.credential, null, 2),
        );
      } catch (error) {
        asBadInput(error);
      }
    });

  const keys = program.command('keys').description('Signing keys');
  keys
    .command('generate')
    .description('Make a new Ed25519 key pair locally and print it as Multikey with its did:key (nothing is stored)')
    .action(() => {
      const pair = generateEd25519KeyPair();
      const did = `did:key:${pair.publicKeyMultibase}`;
      console.log(
        JSON.stringify(
          {
            id: `${did}#${pair.publicKeyMultibase}`,
            type: 'Multikey',
            controller: did,
            publicKeyMultibase: pair.publicKeyMultibase,
            secretKeyMultibase: secretKeyToMultibase(pair.privateKey!),
          },
          null,
          2,
        ),
      );
    });
  serverOptions(
    keys
      .command('list')
      .description("An organization's signing keys")
      .option('--org <orgId>', 'organization')
      .option('--json', 'print JSON'),
  ).action(async (options: ServerOptions & { org?: string; json?: boolean }) => {
    const api = apiClient(options);
    const orgId = options.org ?? (await onlyIssuerOrg(api));
    const listed = await api.get<{
      did: string;
      keys: { verificationMethod: string; algorithm: string; createdAt: string; retiredAt: string | null }[];
    }>(`/api/orgs/${encodeURIComponent(orgId)}/keys`);
    print(options, listed, () =>
      [
        listed.did,
        ...listed.keys.map(
          (k) =>
            `  ${k.algorithm.padEnd(8)} ${k.createdAt.slice(0, 10)} ${k.retiredAt ? `retired ${k.retiredAt.slice(0, 10)}` : 'in use '}  ${k.verificationMethod}`,
        ),
      ].join('\n'),
    );
  });
  serverOptions(
    keys
      .command('rotate')
      .description('Add a new key that signs from now on (older keys keep verifying until retired)')
      .option('--org <orgId>', 'organization')
      .option('--algorithm <alg>', 'Ed25519 or RSA', 'Ed25519')
      .option('--json', 'print JSON'),
  ).action(async (options: ServerOptions & { org?: string; algorithm: string; json?: boolean }) => {
    if (!['Ed25519', 'RSA'].includes(options.algorithm))
      throw new CliError('--algorithm is Ed25519 or RSA.', exitCodes.badInput);
    const api = apiClient(options);
    const orgId = options.org ?? (await onlyIssuerOrg(api));
    const key = await api.post<{ verificationMethod: string }>(`/api/orgs/${encodeURIComponent(orgId)}/keys/rotate`, {
      algorithm: options.algorithm,
    });
    print(options, key, () => `New ${options.algorithm} key: ${key.verificationMethod}`);
  });
}

export async function onlyIssuerOrg(api: ReturnType<typeof apiClient>): Promise<string> {
  if (!api.hasToken) throw new CliError('Not signed in: run `skillproof login` or set SKILLPROOF_TOKEN.');
  const session = await api.get<{ memberships: { org: { id: string; name: string }; roles: string[] }[] }>(
    '/api/session',
  );
  const issuing = session.memberships.filter((m) => m.roles.includes('issuer') || m.roles.includes('owner'));
  if (issuing.length === 1) return issuing[0]!.org.id;
  if (issuing.length === 0) throw new CliError('You are not an issuer in any organization.');
  throw new CliError(
    `You issue for several organizations; choose one with --org:\n${issuing.map((m) => `  ${m.org.id}  ${m.org.name}`).join('\n')}`,
    exitCodes.badInput,
  );
}

/**
 * The VC-API requires the credential to name its issuer: one that leaves it out (or gives an object without an
 * id) gets the organization's DID, read from its published DID document. Anything else goes as written.
 */
async function withIssuer(api: ReturnType<typeof apiClient>, orgId: string, credential: unknown): Promise<unknown> {
  if (!credential || typeof credential !== 'object' || Array.isArray(credential)) return credential;
  const given = (credential as { issuer?: unknown }).issuer;
  const isObject = given !== null && typeof given === 'object' && !Array.isArray(given);
  if (given !== undefined && !(isObject && !('id' in given))) return credential;
  const { id } = await api.get<{ id: string }>(`/issuers/${encodeURIComponent(orgId)}/did.json`);
  return { ...credential, issuer: isObject ? { ...given, id } : id };
}
