import { parameterRequired, parameterShouldBe, paramsRequired, unexpectedError } from './errors';
import { isJsonObject, type Json, type JsonObject } from './json';

/**
 * The params of a request as a method sees them. jsoncpp asserts when asked for a member of anything but an
 * object or null, and KMS reports that as an unexpected error (-32603).
 */
export function asParams(params: Json | undefined): JsonObject | null {
  if (params === undefined || params === null) return null;
  if (isJsonObject(params)) return params;
  throw unexpectedError('in Json::Value::find(begin, end): requires objectValue or nullValue');
}

/** ServerMethods requireParams: every method but ping and connect needs params (§3). */
export function requireParams(params: JsonObject | null): JsonObject {
  if (params === null) throw paramsRequired();
  return params;
}

/** JsonRpc::getValue for a string member: -32000 when missing or not a string (§4). */
export function getString(params: JsonObject | null, name: string): string {
  const value = params?.[name];
  if (value === undefined) throw parameterRequired(name);
  if (typeof value !== 'string') throw parameterShouldBe(name, 'a string');
  return value;
}

/** JsonRpc::getValue for an array member. */
export function getArray(params: JsonObject | null, name: string): Json[] {
  const value = params?.[name];
  if (value === undefined) throw parameterRequired(name);
  if (!Array.isArray(value)) throw parameterShouldBe(name, 'an array');
  return value;
}

/** A string member if present and a string; KMS's getOrCreateSessionId swallows any other case. */
export function optionalString(params: JsonObject | null, name: string): string | undefined {
  const value = params?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean member if present and a boolean (closeSession's optional `release`). */
export function optionalBoolean(params: JsonObject | null, name: string): boolean | undefined {
  const value = params?.[name];
  return typeof value === 'boolean' ? value : undefined;
}

/** jsoncpp value types that Value::isConvertibleTo distinguishes. */
export type JsonValueType = 'int' | 'uint' | 'real' | 'string' | 'boolean' | 'array' | 'object';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const UINT_MAX = 4294967295;

/** Json::Value::isConvertibleTo, which the generated unmarshalling code uses as a lenient type check. */
export function isConvertibleTo(value: Json | undefined, type: JsonValueType): boolean {
  if (value === null) return true;
  switch (type) {
    case 'int':
      return (
        typeof value === 'boolean' || (typeof value === 'number' && value >= INT_MIN && value <= INT_MAX)
      );
    case 'uint':
      return typeof value === 'boolean' || (typeof value === 'number' && value >= 0 && value <= UINT_MAX);
    case 'real':
    case 'boolean':
      return typeof value === 'number' || typeof value === 'boolean';
    case 'string':
      return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isJsonObject(value);
  }
}

/** Json::Value::asUInt for a value isConvertibleTo('uint') accepted. */
export function asUInt(value: Json | undefined): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' ? Math.trunc(value) : 0;
}
