import { describe, expect, it } from 'vitest';
import { importOrt, onnxAvailable } from './ort-node.js';

describe('loading ONNX Runtime', () => {
  it('explains what is missing and what to do when the package is absent', async () => {
    await expect(importOrt('onnxruntime-node-absent')).rejects.toThrow(
      /^the ONNX compute path needs the optional package onnxruntime-node-absent, which could not be loaded \(.*\); install it \(pnpm add onnxruntime-node-absent;/,
    );
  });

  it('reports availability as a boolean that agrees with loading it', async () => {
    const available = await onnxAvailable();
    const loaded = await importOrt().then(
      () => true,
      () => false,
    );
    expect(available).toBe(loaded);
  });
});
