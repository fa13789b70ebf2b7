/**
 * What the UI needs besides the weights, inlined into ui.html (Figma loads one HTML file into an iframe whose
 * origin is null, so there is no folder to serve files from): ONNX Runtime's WebAssembly binary (gzipped) and the
 * example styles, handed to the engine and the panel as blob: URLs.
 */

import ortWasmGz from 'impasto:ort-wasm.gz';
import { ORT_WASM_FILES, type WasmLocation } from '@impasto/engine/browser';
import { EXAMPLE_STYLES, type ExampleStyleId } from '@impasto/examples';
import embers from '@impasto/examples/embers.jpg';
import swirls from '@impasto/examples/swirls.jpg';
import waves from '@impasto/examples/waves.jpg';
import type { ExampleStyle } from '@impasto/ui';

const blobUrl = (bytes: BlobPart, type: string) => URL.createObjectURL(new Blob([bytes], { type }));

/**
 * ONNX Runtime's binary by name, inflated from the gzipped copy in ui.html. Only the binary: a Figma iframe is not
 * cross-origin isolated, so the runtime runs one thread from the glue bundled into the engine. Undefined where the
 * browser cannot inflate it (no DecompressionStream): the engine then runs on tfjs (a GPU, or plain JavaScript).
 */
export async function inlineWasmFiles(gz: Uint8Array = ortWasmGz): Promise<WasmLocation | undefined> {
  try {
    const inflated = new Blob([gz as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
    const wasm = await new Response(inflated).arrayBuffer();
    return { [ORT_WASM_FILES.wasm]: blobUrl(wasm, 'application/wasm') };
  } catch {
    return undefined;
  }
}

/** The project's own example styles (@impasto/examples). */
export function inlineExamples(): ExampleStyle[] {
  const inlined: Record<ExampleStyleId, unknown> = { swirls, embers, waves };
  return EXAMPLE_STYLES.map((e) => ({ name: e.id, url: blobUrl(inlined[e.id] as BlobPart, 'image/jpeg') }));
}
