// Wasm heaps tracked wherever a runtime makes them, and a heap that cannot grow told apart from one refusal.
import { describe, expect, it } from 'vitest';
import { trackWasmMemories, wasmHeapBytes } from './wasm-memory.js';

const PAGE = 65536;
/** (module (memory (export "m") 2)): a module that makes its own memory of two pages and exports it. */
const MODULE_WITH_MEMORY = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x02, 0x07, 0x05, 0x01, 0x01, 0x6d, 0x02,
  0x00,
]);

describe('the wasm heaps of a thread', () => {
  const failures: string[] = [];
  trackWasmMemories((message) => failures.push(message));

  it('counts memories made in JavaScript and exported by modules, as they grow', async () => {
    const before = wasmHeapBytes();
    const made = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    expect(wasmHeapBytes() - before).toBe(PAGE);
    made.grow(2);
    expect(wasmHeapBytes() - before).toBe(3 * PAGE);
    const { instance } = await WebAssembly.instantiate(MODULE_WITH_MEMORY);
    expect(instance.exports.m).toBeInstanceOf(WebAssembly.Memory);
    expect(wasmHeapBytes() - before).toBe(5 * PAGE);
  });

  it('reports a heap that could not grow after three refusals in a row, not after one', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    expect(() => memory.grow(5)).toThrow(RangeError);
    memory.grow(1); // a smaller step passes: the allocation went through
    expect(() => memory.grow(4)).toThrow(RangeError);
    expect(() => memory.grow(2)).toThrow(RangeError);
    expect(failures).toEqual([]);
    expect(() => memory.grow(1)).toThrow(RangeError);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^the wasm heap could not grow from 0 MiB \(the last of 3 tries asked 0 MiB more: /);
  });
});
