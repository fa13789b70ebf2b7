import { createRequire } from 'node:module';
import path from 'node:path';
import { configureWasm } from '../backends/wasm.js';

/** In Node, tfjs-wasm must be told where its .wasm binaries are: beside the package's own dist files. */
export function useInstalledWasmBinaries(): void {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  configureWasm(`${path.join(dir, 'dist')}${path.sep}`);
}
