import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { access } from '../accounts/access.js';
import { problem, sendProblem } from '../platform/http/problems.js';

const apiPrefixes = ['/api/', '/docs', '/openapi.json'];

/**
 * The built React app, served by the API's own process: hashed assets cached for a year, every other GET
 * that asks for HTML answered with index.html so client-side routes survive a reload.
 */
export async function webRoutes(app: FastifyInstance, { webDir }: { webDir?: string | undefined }) {
  const root = webDir && existsSync(path.join(webDir, 'index.html')) ? path.resolve(webDir) : undefined;

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(404, 'not-found', 'Not found', `There is no ${request.method} ${request.url.split('?')[0]}.`, {
        instance: request.url.split('?')[0],
      }),
    ),
  );
  if (!root) return;

  await app.register(fastifyStatic, { root, serve: false });

  app.get('/*', { config: { access: access.public }, schema: { hide: true } }, async (request, reply) => {
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      return sendProblem(reply, problem(400, 'bad-request', 'Bad request', 'The URL is not valid.'));
    }
    if (apiPrefixes.some((prefix) => urlPath.startsWith(prefix))) {
      return sendProblem(reply, problem(404, 'not-found', 'Not found', `There is no GET ${urlPath}.`));
    }
    const file = path.join(root, path.normalize(urlPath));
    if (file.startsWith(root + path.sep) && isFile(file)) {
      const relative = path.relative(root, file);
      const immutable = relative.startsWith('assets' + path.sep);
      return reply.sendFile(relative, { maxAge: immutable ? '365d' : 0, immutable });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}
