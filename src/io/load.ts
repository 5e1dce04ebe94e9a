/**
 * @file Loading a safetensors file into a typed tree: the caller says what it expects (a template
 * tree such as `model.init(key)`, or specs of shapes and dtypes), every leaf is checked against
 * the file by name, dtype and shape, and the result has the template's type. Untyped reading
 * (`readSafetensors`, `readMetadata`) is here too, for files of unknown layout.
 */
import * as E from "fp-ts/lib/Either.js";
import type { AnyTensor } from "../core/ops.js";
import { Tensor } from "../core/tensor.js";
import { IoError } from "../data/errors.js";
import { checkDType, type DType } from "../dtype.js";
import type { Dim, Shape } from "../shape/dim.js";
import { decodeEntry, parseSafetensors, type Bytes, type Entry, type Parsed } from "./decode.js";
import { FORMAT_NAME } from "./format.js";
import { mapNamed, namedLeaves, type LeavesOf } from "./tree-paths.js";

declare const SPEC_SHAPE: unique symbol;

/**
 * What a leaf of a file must be, without its values: a shape and a dtype (JAX's
 * `ShapeDtypeStruct`). Dims are sizes, or names (`"vocab"`) that take their size from the file
 * and must have one size wherever they appear. Made by `io.spec`.
 * @category IO
 */
export class TensorSpec<S extends Shape = Shape, D extends DType = DType> {
  /** Phantom: the shape type `S` (type-level only; `shape` holds the dims at run time). */
  declare readonly [SPEC_SHAPE]: S;
  /** @internal Use `io.spec`. */
  constructor(
    /** The dims the file must have: sizes, or names that take one size wherever they appear. */
    readonly shape: readonly Dim[],
    /** The dtype the file must have. */
    readonly dtype: D,
  ) {}
}

/**
 * A `TensorSpec`: what `io.loadSafetensors` should find under one name, without making the tensor.
 * @example
 * const like = { embed: io.spec(["vocab", 64]), head: { w: io.spec([64, 10]), b: io.spec([10]) } };
 * @category IO
 */
export function spec<const S extends Dim[], D extends DType = "float32">(shape: S, dtype?: D): TensorSpec<S, D> {
  const dt = dtype ?? ("float32" as D);
  checkDType("io.spec", dt);
  if (!Array.isArray(shape)) throw new TypeError(`io.spec: shape must be an array of dims, got ${typeof shape}`);
  for (const d of shape) {
    const ok = typeof d === "string" ? d.length > 0 : Number.isSafeInteger(d) && d >= 0;
    if (!ok) throw new RangeError(`io.spec: dim ${JSON.stringify(d)} of [${shape.join(", ")}] is neither a size (an integer ≥ 0) nor a name`);
  }
  return new TensorSpec(shape.slice(), dt);
}

/**
 * A leaf of a template: a tensor (its shape and dtype are what is expected) or a spec.
 * @category IO
 */
export type TemplateLeaf = AnyTensor | TensorSpec;

/**
 * `T` if it is a tree whose leaves are tensors or specs, else a type `T` does not satisfy (naming the fault at the leaf).
 * @category IO
 */
export type TemplateOf<T> = LeavesOf<T, TemplateLeaf, NotATemplateLeaf>;

/**
 * What a load function's template parameter is: `T` when it is a valid template, else `TemplateOf<T>` (see `Saveable`).
 * @category IO
 */
export type Template<T> = T extends TemplateOf<T> ? T : TemplateOf<T>;

/**
 * The type-level error for a template leaf that is neither a tensor nor a spec.
 * @category IO
 */
export type NotATemplateLeaf = "io: this leaf is neither a tensor nor an io.spec";

/** True when a spec appears somewhere in `T` (then its type must be rewritten; else `T` is kept as is). */
type HasSpec<T> = T extends TensorSpec ? true : T extends AnyTensor | null | undefined ? false : true extends { [K in keyof T]: HasSpec<T[K]> }[keyof T] ? true : false;

/** The loaded tree: `T` with every `TensorSpec<S, D>` replaced by a `Tensor<S, D>`. */
type WithTensors<T> = T extends TensorSpec<infer S, infer D> ? Tensor<S, D> : T extends AnyTensor | null | undefined ? T : { -readonly [K in keyof T]: WithTensors<T[K]> };

/**
 * What loading a template gives: the template's own type when it is made of tensors (so
 * `loadSafetensors(bytes, model.init(key))` has exactly the type of the parameters), else the
 * template with each spec replaced by the tensor it describes.
 * @category IO
 */
export type Loaded<T> = HasSpec<T> extends true ? WithTensors<T> : T;

/**
 * A file's contents, unchecked against any expectation.
 * @category IO
 */
export interface SafetensorsContents {
  /** The header's `__metadata__` (empty when absent); a null-prototype record. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Every tensor by name, in the order of their data. */
  readonly tensors: ReadonlyMap<string, Tensor<number[], DType>>;
}

/**
 * Reads `bytes` (a safetensors file) into the tree `like` describes. Every leaf of `like` (a
 * tensor or an `io.spec`) must be in the file under its path name (`"0.w"`, `"encoder.layers.1.b"`)
 * with its dtype and shape; a name in the file that `like` lacks is a mismatch too. A damaged file
 * or any mismatch is a `Left` whose `IoError` names each path, e.g.
 * `encoder.layers.1.w: file has [256, 128], model expects [256, 64]`. A malformed template (a leaf
 * that is neither a tensor nor a spec) is a programming error and throws a `TypeError`.
 * @example
 * const model = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10));
 * declare const bytes: Uint8Array; // written by io.saveSafetensors
 * const params = io.loadSafetensors(bytes, model.init(random.key(0))); // Right(the model's params) or Left(IoError)
 * @category IO
 */
export function loadSafetensors<const L>(bytes: Bytes, like: Template<L>): E.Either<IoError, Loaded<L>> {
  const op = "io.loadSafetensors";
  const file = parseSafetensors(op, bytes);
  return E.isLeft(file) ? file : loadParsed<L>(op, file.right, like as L);
}

/**
 * Every tensor of a safetensors file and its metadata, untyped: for files of unknown layout.
 * Damage gives a `Left` as `loadSafetensors` does.
 * @example
 * declare const bytes: Uint8Array;
 * const contents = io.readSafetensors(bytes); // Either<IoError, { metadata, tensors: Map<name, tensor> }>
 * @category IO
 */
export function readSafetensors(bytes: Bytes): E.Either<IoError, SafetensorsContents> {
  const op = "io.readSafetensors";
  const parsed = parseSafetensors(op, bytes);
  if (E.isLeft(parsed)) return parsed;
  const file = parsed.right;
  const tensors = new Map<string, Tensor<number[], DType>>();
  for (const entry of file.entries.values()) {
    const t = decodeEntry(op, file, entry);
    if (E.isLeft(t)) return t;
    tensors.set(entry.name, t.right as Tensor<number[], DType>);
  }
  return E.right({ metadata: file.metadata, tensors });
}

/**
 * The `__metadata__` of a safetensors file (empty when absent), checking the whole header but
 * reading no tensor data.
 * @example
 * declare const bytes: Uint8Array;
 * const meta = io.readMetadata(bytes); // Either<IoError, Record<string, string>>
 * @category IO
 */
export function readMetadata(bytes: Bytes): E.Either<IoError, Readonly<Record<string, string>>> {
  return E.map((file: Parsed) => file.metadata)(parseSafetensors("io.readMetadata", bytes));
}

/** The problems listed in one message before the rest are counted. */
const MAX_LISTED = 20;

/** Matches a parsed file against `like` and reads the tensors it names (shared with training states). */
export function loadParsed<L>(op: string, file: Parsed, like: L): E.Either<IoError, Loaded<L>> {
  const leaves = namedLeaves(op, like, isTemplateLeaf, "tensor or io.spec");
  const problems: string[] = [];
  const sizes = new Map<string, { size: number; from: string }>();
  const wanted = new Set<string>();
  for (const { name, leaf } of leaves) {
    wanted.add(name);
    const entry = file.entries.get(name);
    const expected = `${leaf.dtype} ${showDims(leaf.shape)}`;
    if (entry === undefined) problems.push(`${name}: not in the file (model expects ${expected})`);
    else {
      const p = mismatch(entry, leaf, sizes);
      if (p !== null) problems.push(`${name}: ${p}`);
    }
  }
  for (const entry of file.entries.values()) {
    if (!wanted.has(entry.name)) problems.push(`${entry.name}: in the file (${FORMAT_NAME[entry.dtype]} ${showDims(entry.shape)}) but not in the model`);
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).join("; ");
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : "";
    const head = problems.length === 1 ? "" : `${problems.length} mismatches: `;
    return E.left(new IoError(`${op}: ${head}${listed}${more}`));
  }
  const tensors = new Map<string, AnyTensor>();
  for (const { name } of leaves) {
    const t = decodeEntry(op, file, file.entries.get(name)!);
    if (E.isLeft(t)) return t;
    tensors.set(name, t.right);
  }
  return E.right(mapNamed(op, like, isTemplateLeaf, "tensor or io.spec", (_, name) => tensors.get(name)) as never);
}

/** Why `entry` is not what `leaf` expects, or null; binds named dims in `sizes` as it goes. */
function mismatch(entry: Entry, leaf: TemplateLeaf, sizes: Map<string, { size: number; from: string }>): string | null {
  if (entry.dtype !== leaf.dtype) {
    return `file has ${FORMAT_NAME[entry.dtype]} (${entry.dtype}), model expects ${leaf.dtype} (${FORMAT_NAME[leaf.dtype]})`;
  }
  const want = leaf.shape as readonly Dim[];
  const fits = want.length === entry.shape.length && want.every((d, i) => typeof d === "string" || d === entry.shape[i]);
  if (!fits) return `file has ${showDims(entry.shape)}, model expects ${showDims(want)}`;
  for (let i = 0; i < want.length; i++) {
    const d = want[i];
    if (typeof d !== "string") continue;
    const bound = sizes.get(d);
    if (bound === undefined) sizes.set(d, { size: entry.shape[i], from: entry.name });
    else if (bound.size !== entry.shape[i]) {
      return `file has ${showDims(entry.shape)}, model expects ${showDims(want)} with ${d} = ${bound.size} (as in ${bound.from})`;
    }
  }
  return null;
}

function isTemplateLeaf(x: unknown): x is TemplateLeaf {
  return x instanceof Tensor || x instanceof TensorSpec;
}

function showDims(shape: readonly Dim[]): string {
  return `[${shape.join(", ")}]`;
}
