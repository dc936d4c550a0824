// Step and run outputs as JSON the log can store and give back unchanged: Date, Map, Set,
// BigInt, undefined, holes, typed arrays and odd numbers become tagged objects; plain JSON stays
// the very same value (old logs decode as they are), and what cannot be stored fails the step.
import { ValidationError } from "../errors.ts";

/** The key of a tagged object; a user object that has it is escaped (wrapped in an "Object" tag). */
const TAG = "$cairn";
const HOLE = Object.freeze({ [TAG]: "hole" });
const UNDEFINED = Object.freeze({ [TAG]: "undefined" });

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
const typedArrayNames = new Map<object, TypedArrayName>(
  (Object.keys(TYPED_ARRAYS) as TypedArrayName[]).map((name) => [TYPED_ARRAYS[name].prototype, name]),
);

/** A value in its stored form; `tagged` says whether decoding it does anything. */
export interface EncodedValue {
  value: unknown;
  tagged: boolean;
}

/**
 * The stored form of `value`. Plain JSON comes back as the same reference with `tagged: false`;
 * a function, symbol, circular reference or unsupported class instance throws
 * `ValidationError("unstorable_output")` naming its path, e.g. `output.items[2].fn`.
 * @example encodeValue({ at: new Date(0) }) // { value: { at: { $cairn: "Date", v: "1970-…Z" } }, tagged: true }
 */
export function encodeValue(value: unknown, where = "the step"): EncodedValue {
  const encoder = new Encoder(where);
  // A missing output stays missing: the log has always stored it so.
  if (value === undefined) return { value, tagged: false };
  const encoded = encoder.encode(value);
  return { value: encoded, tagged: encoded !== value };
}

/** The value `encodeValue` was given, rebuilt from its stored form (always a fresh copy). */
export function decodeValue(stored: unknown): unknown {
  if (typeof stored !== "object" || stored === null) return stored;
  if (Array.isArray(stored)) {
    const out: unknown[] = new Array(stored.length);
    for (let i = 0; i < stored.length; i++) {
      const item = stored[i];
      if (isTag(item, "hole")) continue;
      out[i] = decodeValue(item);
    }
    return out;
  }
  const record = stored as Record<string, unknown>;
  const tag = record[TAG];
  if (typeof tag !== "string") return decodeObject(record, {});
  const v = record.v;
  switch (tag) {
    case "undefined":
      return undefined;
    case "Number":
      return v === "-0" ? -0 : Number(v);
    case "BigInt":
      return BigInt(v as string);
    case "Date":
      return new Date(v === null ? Number.NaN : (v as string));
    case "Map":
      return new Map((v as [unknown, unknown][]).map(([key, item]) => [decodeValue(key), decodeValue(item)]));
    case "Set":
      return new Set((v as unknown[]).map(decodeValue));
    case "Object":
      return decodeObject(v as Record<string, unknown>, {});
    case "NullObject":
      return decodeObject(v as Record<string, unknown>, Object.create(null) as Record<string, unknown>);
    case "ArrayBuffer":
      return fromBase64(v as string).buffer;
    case "DataView":
      return new DataView(fromBase64(v as string).buffer);
    default: {
      if (!Object.hasOwn(TYPED_ARRAYS, tag)) throw new Error(`unknown tag ${tag} in a stored value`);
      return new TYPED_ARRAYS[tag as TypedArrayName](fromBase64(v as string).buffer);
    }
  }
}

function isTag(value: unknown, tag: string): boolean {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[TAG] === tag;
}

function decodeObject(stored: Record<string, unknown>, out: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(stored)) setKey(out, key, decodeValue(stored[key]));
  return out;
}

/** `out[key] = value`, except that a `__proto__` key stays an own property instead of a prototype. */
function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** One walk over one value: copies only the containers whose content changes (copy on write). */
class Encoder {
  /** Keys down to the value being encoded; `{ raw }` is a Map entry or Set item, printed as is. */
  private readonly path: (string | number | { raw: string })[] = [];
  private readonly ancestors = new Set<object>();
  constructor(private readonly where: string) {}

  encode(value: unknown): unknown {
    switch (typeof value) {
      case "string":
      case "boolean":
        return value;
      case "number":
        if (Number.isFinite(value) && !Object.is(value, -0)) return value;
        return { [TAG]: "Number", v: Object.is(value, -0) ? "-0" : String(value) };
      case "undefined":
        return UNDEFINED;
      case "bigint":
        return { [TAG]: "BigInt", v: value.toString() };
      case "object":
        if (value === null) return value;
        return this.encodeObject(value);
      default:
        return this.refuse(`a ${typeof value}`);
    }
  }

  private encodeObject(value: object): unknown {
    if (this.ancestors.has(value)) return this.refuse("a circular reference");
    this.ancestors.add(value);
    try {
      if (Array.isArray(value)) return this.encodeArray(value);
      const proto = Object.getPrototypeOf(value);
      if (proto === Object.prototype) {
        const encoded = this.encodeEntries(value as Record<string, unknown>);
        // A user object that looks like a tag is wrapped, so it never decodes as one.
        return Object.hasOwn(value, TAG) ? { [TAG]: "Object", v: copyIfSame(encoded, value) } : encoded;
      }
      if (proto === null)
        return { [TAG]: "NullObject", v: copyIfSame(this.encodeEntries(value as Record<string, unknown>), value) };
      if (proto === Date.prototype) {
        const time = (value as Date).getTime();
        return { [TAG]: "Date", v: Number.isNaN(time) ? null : (value as Date).toISOString() };
      }
      if (proto === Map.prototype) {
        const entries: [unknown, unknown][] = [];
        let i = 0;
        for (const [key, item] of value as Map<unknown, unknown>) {
          this.path.push({ raw: `<Map entry ${i++}>` });
          entries.push([this.encode(key), this.encode(item)]);
          this.path.pop();
        }
        return { [TAG]: "Map", v: entries };
      }
      if (proto === Set.prototype) {
        const items: unknown[] = [];
        let i = 0;
        for (const item of value as Set<unknown>) {
          this.path.push({ raw: `<Set item ${i++}>` });
          items.push(this.encode(item));
          this.path.pop();
        }
        return { [TAG]: "Set", v: items };
      }
      if (proto === ArrayBuffer.prototype)
        return { [TAG]: "ArrayBuffer", v: toBase64(new Uint8Array(value as ArrayBuffer)) };
      if (proto === DataView.prototype) return { [TAG]: "DataView", v: toBase64(bytesOf(value as DataView)) };
      const typed = typedArrayNames.get(proto);
      if (typed) return { [TAG]: typed, v: toBase64(bytesOf(value as ArrayBufferView)) };
      const name = (proto as { constructor?: { name?: string } } | undefined)?.constructor?.name;
      return this.refuse(name ? `an instance of ${name}` : "an object with a custom prototype");
    } finally {
      this.ancestors.delete(value);
    }
  }

  private encodeArray(value: unknown[]): unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      let encoded: unknown;
      if (!(i in value)) encoded = HOLE;
      else {
        this.path.push(i);
        encoded = this.encode(item);
        this.path.pop();
      }
      if (out) out.push(encoded);
      else if (encoded !== item) {
        out = value.slice(0, i);
        out.push(encoded);
      }
    }
    return out ?? value;
  }

  private encodeEntries(value: Record<string, unknown>): Record<string, unknown> {
    let out: Record<string, unknown> | undefined;
    const keys = Object.keys(value);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const item = value[key];
      this.path.push(key);
      const encoded = this.encode(item);
      this.path.pop();
      if (out) setKey(out, key, encoded);
      else if (encoded !== item) {
        out = {};
        for (let j = 0; j < k; j++) setKey(out, keys[j]!, value[keys[j]!]);
        setKey(out, key, encoded);
      }
    }
    return out ?? value;
  }

  private refuse(what: string): never {
    const segments = this.path.map((key) => (typeof key === "object" ? key.raw : key));
    const path = this.path.reduce<string>((text, key) => text + pathSegment(key), "output");
    throw new ValidationError(
      "unstorable_output",
      `${this.where} returned ${what} at ${path}, which the run's log cannot store`,
      [{ path: segments, message: `${what} cannot be stored` }],
    );
  }
}

/** `[2]`, `.name`, `["odd key"]`, or a Map entry / Set item as it is. */
function pathSegment(key: string | number | { raw: string }): string {
  if (typeof key === "object") return key.raw;
  if (typeof key === "number") return `[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** A fresh copy when encoding changed nothing, so a wrapper never shares the user's object. */
function copyIfSame(encoded: Record<string, unknown>, original: object): Record<string, unknown> {
  if (encoded !== original) return encoded;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(encoded)) setKey(out, key, encoded[key]);
  return out;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
