/**
 * `pnpm serve:weights`: serves the weights folder on http://localhost:8787/ for a development build of the plugin,
 * with the CORS header a Figma plugin iframe (origin null) needs. Folder: $IMPASTO_WEIGHTS, else models/vgg19.
 * Port: $PORT, else 8787 (the default IMPASTO_FIGMA_WEIGHTS_URL).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { WEIGHTS_MANIFEST_FILE } from '@impasto/weights';
import { resolveWeightsLocation, weightsPresent } from '@impasto/weights/node';

const dir = path.resolve(resolveWeightsLocation(undefined));
const port = Number(process.env.PORT || 8787);
if (!weightsPresent(dir)) {
  console.error(
    `no ${WEIGHTS_MANIFEST_FILE} in ${dir}: run \`pnpm models:fetch\` or set IMPASTO_WEIGHTS to a weights folder`,
  );
  process.exit(1);
}

const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS' };

createServer((req, res) => {
  if (req.method === 'OPTIONS') return void res.writeHead(204, CORS).end();
  const name = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
  const file = path.resolve(dir, name);
  if (!file.startsWith(dir + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    return void res.writeHead(404, CORS).end('not found');
  }
  const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  res.writeHead(200, { ...CORS, 'Content-Type': type, 'Content-Length': statSync(file).size });
  createReadStream(file).pipe(res);
}).listen(port, '127.0.0.1', () => console.log(`serving ${dir} at http://localhost:${port}/ (Ctrl-C stops)`));
