/** A small writer of ONNX models (opset 17) on top of `onnx-proto`'s generated protobuf classes. */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;
type IGraphProto = onnxProto.onnx.IGraphProto;
type INodeProto = onnxProto.onnx.INodeProto;
type ITensorProto = onnxProto.onnx.ITensorProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

export const OPSET = 17;
const IR_VERSION = 8;

/**
 * An attribute value: numbers are ints unless wrapped with `float()`; arrays of numbers are ints; `{ graph }` is a
 * subgraph (an If's branch, see ifElse).
 */
export type AttributeValue =
  | number
  | string
  | readonly number[]
  | { readonly float: number }
  | { readonly graph: IGraphProto };

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
  if ('graph' in value) return { name, type: T.GRAPH, g: value.graph };
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
  /** Names taken in the whole model: a branch shares its parent's, as ONNX wants names unique across scopes. */
  private readonly names: { readonly used: Set<string>; counter: number };

  constructor(
    private readonly graphName: string,
    parent?: GraphBuilder,
  ) {
    this.names = parent?.names ?? { used: new Set<string>(), counter: 0 };
  }

  /** A fresh tensor name starting with `base`. */
  name(base: string): string {
    const { used } = this.names;
    let candidate = base;
    while (used.has(candidate)) candidate = `${base}_${++this.names.counter}`;
    used.add(candidate);
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

  /**
   * An If node: `cond` (a bool scalar) picks which branch runs; each branch is built by its function, may use this
   * graph's tensors, and returns its outputs (float tensors of `dims`, the same count from both). Returns the If's
   * outputs, named from `base`.
   */
  ifElse(
    base: string,
    cond: string,
    dims: readonly (readonly Dim[])[],
    thenBranch: (b: GraphBuilder) => readonly string[],
    elseBranch: (b: GraphBuilder) => readonly string[],
  ): string[] {
    const branch = (name: string, build: (b: GraphBuilder) => readonly string[]) => {
      const b = new GraphBuilder(this.name(`${base}_${name}`), this);
      const outs = build(b);
      if (outs.length !== dims.length) throw new Error(`${base}: ${name} branch gives ${outs.length} outputs`);
      outs.forEach((t, i) => {
        b.output(`${base}_${name}_out${i}`, t, dims[i] as readonly Dim[]);
      });
      return b.graph();
    };
    const outputs = dims.map((_, i) => this.name(`${base}_${i}`));
    const thenGraph = branch('then', thenBranch);
    const elseGraph = branch('else', elseBranch);
    this.nodes.push({
      opType: 'If',
      name: `${base}/If`,
      input: [cond],
      output: outputs,
      attribute: [attribute('then_branch', { graph: thenGraph }), attribute('else_branch', { graph: elseGraph })],
    });
    return outputs;
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

  private graph(): IGraphProto {
    return {
      name: this.graphName,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    };
  }

  /** The serialised ModelProto, ready for an InferenceSession. */
  toBytes(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'impasto',
      opsetImport: [{ domain: '', version: OPSET }],
      graph: this.graph(),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
