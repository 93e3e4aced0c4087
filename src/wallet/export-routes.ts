import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access, callerOf } from '../accounts/access.js';
import type { WalletExport } from './export/export.js';
import { exportFormats, type ExportedFile } from './export/formats.js';

// An SVG opened straight from this origin must not run anything or load anything: sandboxed, inline only.
const svgPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

function sendFile(reply: FastifyReply, file: ExportedFile) {
  reply
    .type(file.mediaType)
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store');
  if (file.mediaType === 'image/svg+xml') reply.header('content-security-policy', svgPolicy);
  return reply.send(file.body);
}

const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });

export async function walletExportRoutes(base: FastifyInstance, { walletExport }: { walletExport: WalletExport }) {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  // Baking and signing cost CPU: enough for a person, not for a loop.
  const rateLimit = { max: 120, timeWindow: '1 minute' };

  app.get(
    '/api/me/wallet/export.zip',
    {
      config: {
        access: access.user,
        rateLimit: { max: 10, timeWindow: '1 minute' },
        audit: { action: 'personal-data.exported' },
      },
      schema: {
        tags: ['wallet'],
        summary:
          'All your credentials as one zip: each as held (JSON or VC-JWT) and as a baked PNG, with manifest.json',
      },
    },
    async (request, reply) => {
      const zip = await walletExport.archive(callerOf(request).user.id);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="skillproof-wallet-${day}.zip"`)
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(zip));
    },
  );

  app.get(
    '/api/me/wallet/:holdingId/export/:format',
    {
      config: { access: access.user, rateLimit, audit: { action: 'personal-data.exported' } },
      schema: {
        tags: ['wallet'],
        summary:
          'One of your credentials as a download: json (as held), jwt (VC-JWT), png or svg (baked badge). 409 when that format cannot be had, with the reason',
        params: Type.Object({ holdingId: Uuid, format: Type.Enum([...exportFormats]) }),
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await walletExport.exportOne(callerOf(request).user.id, request.params.holdingId, request.params.format),
      ),
  );

  app.post(
    '/api/me/wallet/transcript',
    {
      config: { access: access.user, rateLimit: { max: 20, timeWindow: '1 minute' } },
      // No body at all means "all of them", like an empty object.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['wallet'],
        summary:
          'A CLR 2.0 transcript of your credentials (all that verify, or those you choose), signed by this instance',
        body: Type.Object(
          { holdingIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            transcript: Type.Object({}, { additionalProperties: true, description: 'The signed ClrCredential' }),
            included: Type.Array(Type.String(), { description: 'The holdings embedded' }),
            leftOut: Type.Array(
              Type.Object({
                holdingId: Type.String(),
                name: Type.Union([Type.String(), Type.Null()]),
                reason: Type.String(),
              }),
              { description: 'Holdings that could not go in, and why' },
            ),
          }),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return walletExport.transcript({ id: caller.user.id, email: caller.user.email }, request.body?.holdingIds);
    },
  );
}
