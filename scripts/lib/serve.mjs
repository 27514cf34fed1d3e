// A small static server for the playground (and its browser tests), on 127.0.0.1 only.
// Usage: node scripts/lib/serve.mjs [--port 8080] [--root .]

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * Starts the server; resolves to {server, url}.
 * @param {{port?: number, root?: string}} options port 0 picks a free one
 */
export function serve({ port = 8080, root = '.' } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(base, path));
      if (!file.startsWith(base)) throw Object.assign(new Error('outside root'), { code: 'ENOENT' });
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const headers = {
        'content-type': TYPES[extname(file)] || 'application/octet-stream',
        'cache-control': 'no-cache',
      };
      // Modules may be imported from pages on other origins (<gan-playground> on a blog loads
      // www/embed.js and what it imports): they are sent with CORS.
      if (['.js', '.mjs'].includes(extname(file))) headers['access-control-allow-origin'] = '*';
      res.writeHead(200, headers);
      res.end(body);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' ? 404 : 500, { 'content-type': 'text/plain' });
      res.end(e.code === 'ENOENT' ? 'not found' : 'server error');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}/` }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const get = (flag, d) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : d);
  const { url } = await serve({ port: Number(get('--port', 8080)), root: get('--root', '.') });
  console.log(`GAN playground at ${url} (Ctrl-C stops it)`);
}
