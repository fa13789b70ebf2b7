/** A small writer of ONNX models (opset 17) on top of `onnx-proto`'s generated protobuf classes. */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

export const OPSET = 17;
const IR_VERSION = 8;

/** An attribute value: numbers are ints unless wrapped with `float()`; arrays of numbers are ints. */
export type AttributeValue = number | string | readonly number[] | { readonly float: number };

/** A dimension: a fixed size, or the name of a size known only at run time. */
export type Dim = number | string;

/** ONNX stores tensor bytes little-endian; so does every platform onnxruntime-node ships for. */
function bytesOf(data: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function attribute(name: string, value: AttributeValue): IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer; use { float }`);
    return { name, type: T.INT, i: value };
  }
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.INTS, ints: [...value] };
}

function valueInfo(name: string, dims: readonly Dim[], elemType: number): IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** Collects nodes, constants, inputs and outputs; names every intermediate uniquely. */
export class GraphBuilder {
  private readonly nodes: INodeProto[] = [];
  private readonly initializers: ITensorProto[] = [];
  private readonly inputs: IValueInfoProto[] = [];
  private readonly outputs: IValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(private readonly graphName: string) {}

  /** A fresh tensor name starting with `base`. */
  name(base: string): string {
    let candidate = base;
    while (this.used.has(candidate)) candidate = `${base}_${++this.counter}`;
    this.used.add(candidate);
    return candidate;
  }

  /** Adds one node with a single output and returns that output's name. '' stands for an omitted input. */
  op(type: string, inputs: readonly string[], attrs: Record<string, AttributeValue> = {}, out?: string): string {
    const output = this.name(out ?? type.toLowerCase());
    this.nodes.push({
      opType: type,
      name: `${output}/${type}`,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  /** A float32 constant (copied by reference: do not change `data` before `toBytes`). */
  floats(base: string, data: Float32Array, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new Error(`constant ${base}: ${data.length} values for shape [${dims}]`);
    const name = this.name(base);
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: bytesOf(data),
    });
    return name;
  }

  scalar(base: string, value: number): string {
    return this.floats(base, Float32Array.of(value), []);
  }

  /** An int64 vector constant (shapes, axes, pads, slice bounds). */
  ints(base: string, values: readonly (number | bigint)[]): string {
    const name = this.name(base);
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: onnx.TensorProto.DataType.INT64,
      rawData: bytesOf(data),
    });
    return name;
  }

  input(base: string, dims: readonly Dim[]): string {
    const name = this.name(base);
    this.inputs.push(valueInfo(name, dims, onnx.TensorProto.DataType.FLOAT));
    return name;
  }

  /** Marks `tensor` as a float output under the name `name` (an Identity node renames it). */
  output(name: string, tensor: string, dims: readonly Dim[]): void {
    const out = this.op('Identity', [tensor], {}, name);
    if (out !== name) throw new Error(`output name ${name} is already taken`);
    this.outputs.push(valueInfo(name, dims, onnx.TensorProto.DataType.FLOAT));
  }

  /** The serialised ModelProto, ready for an InferenceSession. */
  toBytes(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'impasto',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
