// The part of the ONNX model format (onnx.proto, IR version 8) the engine writes, declared with protobufjs's
// reflection API: field numbers and types follow the official schema; messages and fields we never write are
// left out. `encodeModel` turns a plain description into the bytes ONNX Runtime loads.
import protobuf from 'protobufjs';

const { Root, Type, Field } = protobuf;

function message(name: string, fields: [string, number, string, 'repeated'?][]): protobuf.Type {
  const type = new Type(name);
  for (const [field, id, kind, rule] of fields) type.add(new Field(field, id, kind, rule));
  return type;
}

const root = new Root().define('onnx');
root.add(message('OperatorSetIdProto', [['domain', 1, 'string'], ['version', 2, 'int64']]));
root.add(message('TensorProto', [
  ['dims', 1, 'int64', 'repeated'],
  ['dataType', 2, 'int32'],
  ['name', 8, 'string'],
  ['rawData', 9, 'bytes'],
]));
root.add(message('AttributeProto', [
  ['name', 1, 'string'],
  ['f', 2, 'float'],
  ['i', 3, 'int64'],
  ['s', 4, 'bytes'],
  ['t', 5, 'TensorProto'],
  ['floats', 7, 'float', 'repeated'],
  ['ints', 8, 'int64', 'repeated'],
  ['type', 20, 'int32'],
]));
root.add(message('NodeProto', [
  ['input', 1, 'string', 'repeated'],
  ['output', 2, 'string', 'repeated'],
  ['name', 3, 'string'],
  ['opType', 4, 'string'],
  ['attribute', 5, 'AttributeProto', 'repeated'],
]));
root.add(message('Dimension', [['dimValue', 1, 'int64'], ['dimParam', 2, 'string']]));
root.add(message('TensorShapeProto', [['dim', 1, 'Dimension', 'repeated']]));
root.add(message('TensorTypeProto', [['elemType', 1, 'int32'], ['shape', 2, 'TensorShapeProto']]));
root.add(message('TypeProto', [['tensorType', 1, 'TensorTypeProto']]));
root.add(message('ValueInfoProto', [['name', 1, 'string'], ['type', 2, 'TypeProto']]));
root.add(message('GraphProto', [
  ['node', 1, 'NodeProto', 'repeated'],
  ['name', 2, 'string'],
  ['initializer', 5, 'TensorProto', 'repeated'],
  ['input', 11, 'ValueInfoProto', 'repeated'],
  ['output', 12, 'ValueInfoProto', 'repeated'],
]));
root.add(message('ModelProto', [
  ['irVersion', 1, 'int64'],
  ['producerName', 2, 'string'],
  ['graph', 7, 'GraphProto'],
  ['opsetImport', 8, 'OperatorSetIdProto', 'repeated'],
]));
const ModelProto = root.lookupType('onnx.ModelProto');

/** TensorProto.DataType values we use. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, BOOL: 9, INT64: 7 } as const;
/** AttributeProto.AttributeType values we use. */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, INTS: 7 } as const;

export type AttrValue = number | number[] | { float: number } | { string: string };
export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, AttrValue>;
}
export interface OnnxTensor {
  name: string;
  dims: number[];
  type: 'float' | 'int64' | 'int8' | 'uint8';
  values: Float32Array | BigInt64Array | Int8Array | Uint8Array;
}
/** A graph input or output; -1 in a shape is a dimension named "batch", a string a dimension of that name (any size). */
export interface OnnxValueInfo {
  name: string;
  shape: (number | string)[];
  type?: 'float' | 'bool';
}
export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export const OPSET = 17;

function attribute(name: string, value: AttrValue): Record<string, unknown> {
  if (Array.isArray(value)) return { name, type: AttrType.INTS, ints: value };
  if (typeof value === 'object' && 'string' in value) return { name, type: AttrType.STRING, s: Buffer.from(value.string, 'utf8') };
  if (typeof value === 'object') return { name, type: AttrType.FLOAT, f: value.float };
  return Number.isInteger(value) ? { name, type: AttrType.INT, i: value } : { name, type: AttrType.FLOAT, f: value };
}

function valueInfo(v: OnnxValueInfo): Record<string, unknown> {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.type === 'bool' ? DataType.BOOL : DataType.FLOAT,
        shape: { dim: v.shape.map((d) => (typeof d === 'string' ? { dimParam: d } : d < 0 ? { dimParam: 'batch' } : { dimValue: d })) },
      },
    },
  };
}

export function encodeModel(graph: OnnxGraph): Uint8Array {
  const model = {
    irVersion: 8,
    producerName: 'vae-studio',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: graph.name,
      node: graph.nodes.map((n, i) => ({
        name: `${n.op}_${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
      initializer: graph.initializers.map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: { float: DataType.FLOAT, int64: DataType.INT64, int8: DataType.INT8, uint8: DataType.UINT8 }[t.type],
        rawData: new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength),
      })),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  };
  const error = ModelProto.verify(model);
  if (error) throw new Error(`Internal error building an ONNX model: ${error}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
