/** Test-only: an ONNX Runtime module that counts the sessions alive (created, not yet released). */
import type { OrtModule } from '../onnx/ort-runtime.js';

export function countingRuntime(ort: OrtModule): { readonly ort: OrtModule; live(): number; created(): number } {
  let live = 0;
  let created = 0;
  const InferenceSession = {
    async create(...args: Parameters<OrtModule['InferenceSession']['create']>) {
      const session = await (
        ort.InferenceSession.create as (...a: typeof args) => ReturnType<typeof ort.InferenceSession.create>
      )(...args);
      live++;
      created++;
      const release = session.release.bind(session);
      return Object.assign(session, {
        release: () => {
          live--;
          return release();
        },
      });
    },
  };
  return {
    ort: { Tensor: ort.Tensor, InferenceSession } as unknown as OrtModule,
    live: () => live,
    created: () => created,
  };
}
