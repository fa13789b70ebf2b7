import { availableParallelism } from 'node:os';
import { syntheticWeights } from '@impasto/weights/testing';
import { describe, expect, it } from 'vitest';
import { benchPoint, benchSpec } from '../bench-spec.js';
import { createOnnxLossProgramFactory, onnxAvailable } from '../onnx/ort-node.js';
import { computeThreads, createNodeEngine } from './engine-node.js';

const ORT = await onnxAvailable();
if (!ORT) console.log('engine-node.test: onnxruntime-node cannot load here; the ONNX thread tests skip');

/** CPU time over wall time of `work` in this process (its native threads included). */
async function coresUsed(work: () => Promise<unknown>): Promise<number> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / (performance.now() - start);
}

describe.skipIf(!ORT)("ONNX Runtime's threads", () => {
  it('default to every core the process may use, and say so', async () => {
    expect(computeThreads()).toBe(availableParallelism());
    const engine = await createNodeEngine({ weights: syntheticWeights('conv1_1'), backend: 'onnx' });
    expect(engine.threads?.count).toBe(availableParallelism());
    engine.dispose();
    const one = await createNodeEngine({ weights: syntheticWeights('conv1_1'), backend: 'onnx', onnx: { threads: 1 } });
    expect(one.threads).toEqual({ count: 1, why: 'as asked' });
    one.dispose();
  });

  it('one thread asked keeps an evaluation on one core', async () => {
    const factory = await createOnnxLossProgramFactory(syntheticWeights('conv5_1', 3), { threads: 1 });
    const program = await factory.prepare(benchSpec(96));
    const x = benchPoint(96);
    await program.evaluate(x); // sessions warm
    const cores = await coresUsed(async () => {
      for (let i = 0; i < 4; i++) await program.evaluate(x);
    });
    program.dispose();
    await factory.dispose();
    // Several intra-op threads would show as more than one core of CPU time per second of wall time.
    expect(cores).toBeLessThan(1.25);
  });
});
