import { ExportParseError } from './export-parse-error.js';

/** A JSON value together with the path it was found at, with typed accessors that throw {@link ExportParseError}. */
export class JsonReader {
  constructor(
    readonly value: unknown,
    readonly path: string,
  ) {}

  /** Throws an {@link ExportParseError} about this value. */
  fail(problem: string): never {
    throw new ExportParseError(this.path || '(root)', problem);
  }

  /** True when the value is `null` or absent. */
  isAbsent(): boolean {
    return this.value === null || this.value === undefined;
  }

  /** The reader of member `key` of this object (absent when this value is absent). */
  get(key: string): JsonReader {
    if (this.isAbsent()) return new JsonReader(undefined, this.joined(key));
    return new JsonReader(this.object()[key], this.joined(key));
  }

  /** True when this value is an object that has member `key` with a non-null value. */
  has(key: string): boolean {
    return !this.isAbsent() && this.object()[key] !== undefined && this.object()[key] !== null;
  }

  /** The value as an object; throws unless it is one. */
  object(): Record<string, unknown> {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) {
      this.fail(`must be an object, got ${describe(this.value)}`);
    }
    return this.value as Record<string, unknown>;
  }

  /** The entries of a list; `null` or absent count as an empty list. */
  list(): JsonReader[] {
    if (this.isAbsent()) return [];
    if (!Array.isArray(this.value)) this.fail(`must be a list, got ${describe(this.value)}`);
    return this.value.map((entry, index) => new JsonReader(entry, `${this.path}[${index}]`));
  }

  /** A required non-empty string. */
  string(): string {
    if (typeof this.value !== 'string' || this.value.trim() === '') {
      this.fail(`must be a non-empty string, got ${describe(this.value)}`);
    }
    return this.value;
  }

  /** An optional string (`null` or absent → `undefined`). */
  optionalString(): string | undefined {
    if (this.isAbsent()) return undefined;
    if (typeof this.value !== 'string') this.fail(`must be a string, got ${describe(this.value)}`);
    return this.value;
  }

  /** An optional boolean (`null` or absent → `undefined`). */
  optionalBoolean(): boolean | undefined {
    if (this.isAbsent()) return undefined;
    if (typeof this.value !== 'boolean') this.fail(`must be true or false, got ${describe(this.value)}`);
    return this.value;
  }

  /** A list of non-empty strings; `null` or absent → `[]`. */
  strings(): string[] {
    return this.list().map((entry) => entry.string());
  }

  /**
   * One of `allowed` (after `aliases` are applied; letter case does not matter); throws naming the
   * accepted values otherwise.
   */
  oneOf<T extends string>(allowed: readonly T[], aliases: Readonly<Record<string, T>> = {}): T {
    const value = this.knownOneOf(allowed, aliases);
    if (value === undefined) {
      this.fail(
        `${JSON.stringify(this.value)} is not one of ${[...allowed, ...Object.keys(aliases)].join(', ')}`,
      );
    }
    return value;
  }

  /**
   * One of `allowed` (after `aliases` are applied; letter case does not matter), or `undefined` for
   * a string that is none of them; throws unless the value is a non-empty string.
   */
  knownOneOf<T extends string>(
    allowed: readonly T[],
    aliases: Readonly<Record<string, T>> = {},
  ): T | undefined {
    const raw = this.string().trim();
    const upper = raw.toUpperCase();
    const alias = Object.entries(aliases).find(([spelling]) => spelling.toUpperCase() === upper)?.[1];
    return alias ?? allowed.find((value) => value.toUpperCase() === upper);
  }

  private joined(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : String(value);
}
