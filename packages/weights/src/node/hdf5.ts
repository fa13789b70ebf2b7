/** h5wasm (the HDF5 C library compiled to WebAssembly) for Node, with HDF5's error reports captured. */

import fs from 'node:fs';
import h5wasm from 'h5wasm/node';
import { badWeights, weightsMissing } from '../errors.js';

export type H5File = InstanceType<typeof h5wasm.File>;
export const { Dataset, Group } = h5wasm;

/**
 * Runs `action` while catching what HDF5 prints to stderr (it reports errors there instead of throwing),
 * and returns the most specific line, e.g. "truncated file: eof = 8294, ..., stored_eof = 9216".
 */
function withDiagnostics<T>(action: () => T): { result?: T; error?: unknown; diagnostic: string } {
  const original = fs.writeSync;
  let captured = '';
  const capture = (fd: number, data: unknown, offset?: unknown, length?: unknown, ...rest: unknown[]) => {
    if (fd !== 2 || !ArrayBuffer.isView(data)) {
      return (original as (...args: unknown[]) => number)(fd, data, offset, length, ...rest);
    }
    const start = data.byteOffset + (typeof offset === 'number' ? offset : 0);
    const count = typeof length === 'number' ? length : data.byteLength;
    captured += Buffer.from(data.buffer, start, count).toString('utf8');
    return count;
  };
  fs.writeSync = capture as typeof fs.writeSync;
  try {
    return { result: action(), diagnostic: lastDiagnostic(captured) };
  } catch (error) {
    return { error, diagnostic: lastDiagnostic(captured) };
  } finally {
    fs.writeSync = original;
  }
}

function lastDiagnostic(text: string): string {
  const messages = [...text.matchAll(/#\d+: .* in [\w.]+\(\): (.*)$/gm)].map((m) => m[1] ?? '');
  return messages.at(-1) ?? '';
}

/** Opens an HDF5 file for reading; a clear Error when it is missing, truncated or not HDF5. */
export async function openHdf5(path: string): Promise<H5File> {
  await h5wasm.ready;
  if (!fs.existsSync(path)) throw weightsMissing(`HDF5 file not found: ${path}`, path);
  const { result, error, diagnostic } = withDiagnostics(() => new h5wasm.File(path, 'r'));
  if (result && result.file_id >= 0n) return result;
  const cause = diagnostic || (error as Error | undefined)?.message || 'HDF5 could not open it';
  throw badWeights(`cannot read ${path} as HDF5 (${cause}); the file is truncated, damaged or not HDF5`, {
    file: path,
  });
}

/** Creates (truncates) an HDF5 file for writing: used by tests to build Keras-layout files. */
export async function createHdf5(path: string): Promise<H5File> {
  await h5wasm.ready;
  return new h5wasm.File(path, 'w');
}
