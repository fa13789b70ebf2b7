/**
 * Builds the plugin folder Figma imports: code.js (the sandbox, for Figma's JavaScript environment), ui.html (the
 * iframe: one HTML file with its script and styles inlined) and manifest.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundleEngineWorker, engineWasmFiles } from '@impasto/engine/worker-bundle';
import { build, type Plugin } from 'esbuild';
import { createManifest, type FigmaManifest, manifestProblems } from './manifest.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the weights come from unless IMPASTO_FIGMA_WEIGHTS_URL says otherwise: `pnpm serve:weights` on this machine. */
export const DEFAULT_WEIGHTS_URL = 'http://localhost:8787/';
/** A development id; publishing needs the one Figma assigns (IMPASTO_FIGMA_PLUGIN_ID). */
export const DEFAULT_PLUGIN_ID = 'impasto-style-transfer-dev';

export interface BuildOptions {
  readonly outDir: string;
  readonly weightsUrl?: string;
  /** Further origins the weights URL setting may point at (IMPASTO_FIGMA_ALLOWED_DOMAINS). */
  readonly extraDomains?: readonly string[];
  readonly pluginId?: string;
  readonly minify?: boolean;
}

export interface BuildResult {
  readonly manifest: FigmaManifest;
  /** Bytes of each file written. */
  readonly sizes: Record<string, number>;
}

async function buildSandbox(minify: boolean): Promise<string> {
  const out = await build({
    entryPoints: [path.join(packageDir, 'src/main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    // Figma's sandbox runs modern JavaScript; es2017 keeps to what every version of it has run.
    target: 'es2017',
    platform: 'neutral',
    minify,
    logLevel: 'error',
  });
  return out.outputFiles[0]?.text ?? '';
}

/**
 * `import gz from 'impasto:ort-wasm.gz'`: ONNX Runtime's binary, gzipped (14 MB raw, 3.7 MB so), as bytes that
 * esbuild's binary loader inlines as base64 (4.9 MB of ui.html); the UI inflates it with DecompressionStream.
 */
const inlineOrtWasm: Plugin = {
  name: 'impasto-ort-wasm',
  setup(b) {
    b.onResolve({ filter: /^impasto:ort-wasm\.gz$/ }, (args) => ({ path: args.path, namespace: 'impasto' }));
    b.onLoad({ filter: /.*/, namespace: 'impasto' }, () => ({
      contents: gzipSync(readFileSync(engineWasmFiles().wasm), { level: 9 }),
      loader: 'binary',
    }));
  },
};

async function buildUi(weightsUrl: string, allowedDomains: readonly string[], minify: boolean): Promise<string> {
  // The engine worker's code rides inside ui.html as a string; the UI starts it from a blob: URL.
  const engineWorker = await bundleEngineWorker({ minify });
  const out = await build({
    entryPoints: [path.join(packageDir, 'src/ui/main.ts')],
    bundle: true,
    write: false,
    outdir: 'ui',
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    loader: { '.jpg': 'binary' },
    plugins: [inlineOrtWasm],
    define: {
      __IMPASTO_WEIGHTS_URL__: JSON.stringify(weightsUrl),
      __IMPASTO_ENGINE_WORKER__: JSON.stringify(engineWorker),
      __IMPASTO_ALLOWED_DOMAINS__: JSON.stringify(allowedDomains),
    },
    // The script is inlined in a <script> element: esbuild escapes any "</script" in it.
    supported: { 'inline-script': false, 'inline-style': false },
    minify,
    logLevel: 'error',
  });
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const css = out.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  if (/<\/script/i.test(js) || /<\/style/i.test(css)) throw new Error('the UI bundle still contains a closing tag');
  const template = readFileSync(path.join(packageDir, 'src/ui/index.html'), 'utf8');
  return template.replace('/* inline:css */', () => css).replace('/* inline:js */', () => js);
}

export async function buildPlugin(options: BuildOptions): Promise<BuildResult> {
  const weightsUrl = options.weightsUrl ?? DEFAULT_WEIGHTS_URL;
  const manifest = createManifest({
    weightsUrl,
    id: options.pluginId ?? DEFAULT_PLUGIN_ID,
    ...(options.extraDomains ? { extraDomains: options.extraDomains } : {}),
  });
  const { allowedDomains, devAllowedDomains = [] } = manifest.networkAccess;
  const minify = options.minify ?? true;
  const [code, ui] = await Promise.all([
    buildSandbox(minify),
    buildUi(weightsUrl, [...allowedDomains, ...devAllowedDomains], minify),
  ]);
  mkdirSync(options.outDir, { recursive: true });
  const files: Record<string, string> = {
    [manifest.main]: code,
    [manifest.ui]: ui,
    'manifest.json': `${JSON.stringify(manifest, null, 2)}\n`,
  };
  const sizes: Record<string, number> = {};
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(options.outDir, name), text);
    sizes[name] = Buffer.byteLength(text);
  }
  const problems = manifestProblems(manifest, options.outDir, weightsUrl);
  if (problems.length) throw new Error(`the built manifest is not valid for Figma:\n  ${problems.join('\n  ')}`);
  return { manifest, sizes };
}
