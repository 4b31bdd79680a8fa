import {
  isConvertibleTo,
  isJsonObject,
  type Json,
  type JsonObject,
  kurentoError,
  marshallError,
} from '@kurento-fleet/kurento-protocol';
import type { TypeRegistry } from './kmd';
import type { MediaObject } from './media-object';

/** A complex (REGISTER) value as KMS serialises it: `__module__` and `__type__` travel with the fields. */
export function complexValue(type: string, fields: JsonObject): JsonObject {
  return { __module__: 'kurento', __type__: type, ...fields };
}

/** getTags' value, and the `tags` of an event when sendTagsInEvents is on. */
export function tagList(object: MediaObject): Json[] {
  if (!object.tags) return [];
  return [...object.tags].map(([key, value]) => complexValue('Tag', { key, value }));
}

interface TypeRef {
  base: string;
  list: boolean;
  map: boolean;
}

function parseType(type: string): TypeRef {
  if (type.endsWith('[]')) return { base: type.slice(0, -2), list: true, map: false };
  if (type.endsWith('<>')) return { base: type.slice(0, -2), list: false, map: true };
  return { base: type, list: false, map: false };
}

/** True if complex type `name` is `ancestor` or extends it. */
function extendsType(name: string, ancestor: string, registry: TypeRegistry): boolean {
  for (
    let t = registry.complexTypes.get(name);
    t;
    t = t.extends ? registry.complexTypes.get(t.extends) : undefined
  )
    if (t.name === ancestor) return true;
  return false;
}

/**
 * The generated Serialize of a REGISTER complex value: `__module__`/`__type__` (when both are strings) must
 * name a registered type that is the declared one or extends it, then every property of the type and its
 * parents (parents first) is checked like a parameter, but reported as a property.
 */
function checkComplexValue(value: JsonObject, declared: string, registry: TypeRegistry, depth: number): void {
  let type = declared;
  if (typeof value.__module__ === 'string' && typeof value.__type__ === 'string') {
    const named = value.__module__ === 'kurento' ? registry.complexTypes.get(value.__type__) : undefined;
    if (named?.typeFormat !== 'REGISTER') {
      throw kurentoError(
        'UNEXPECTED_ERROR',
        `Type ${value.__type__} does not exist in module ${value.__module__}`,
      );
    }
    if (!extendsType(named.name, declared, registry)) {
      throw kurentoError('UNEXPECTED_ERROR', `Type ${value.__type__} is not compatible`);
    }
    type = named.name;
  }
  const chain = [];
  for (
    let t = registry.complexTypes.get(type);
    t;
    t = t.extends ? registry.complexTypes.get(t.extends) : undefined
  )
    chain.unshift(t);
  for (const complex of chain) {
    for (const property of complex.properties ?? []) {
      if (property.optional && value[property.name] === undefined) continue;
      checkParamType(property.name, value[property.name], property.type, registry, 'property', depth + 1);
    }
  }
}

/**
 * The generated unmarshalling check for one parameter (JsonCppTypeData): a value of the declared JSON type
 * or anything jsoncpp can convert to it. The message says "a integer" because the template reads
 * `should be a ${description}`. Properties of complex values are checked the same way (`kind` 'property').
 */
export function checkParamType(
  name: string,
  value: Json | undefined,
  type: string,
  registry: TypeRegistry,
  kind: 'parameter' | 'property' = 'parameter',
  depth = 0,
): void {
  const ref = parseType(type);
  let ok: boolean;
  let description: string;
  if (ref.list) {
    [ok, description] = [isConvertibleTo(value, 'array'), 'list'];
  } else if (ref.map) {
    [ok, description] = [isConvertibleTo(value, 'object'), 'map'];
  } else {
    switch (ref.base) {
      case 'String':
        [ok, description] = [isConvertibleTo(value, 'string'), 'string'];
        break;
      case 'int':
        [ok, description] = [isConvertibleTo(value, 'int'), 'integer'];
        break;
      case 'int64':
        [ok, description] = [Number.isInteger(value) || isConvertibleTo(value, 'int'), 'int64'];
        break;
      case 'boolean':
        [ok, description] = [isConvertibleTo(value, 'boolean'), 'boolean'];
        break;
      case 'float':
      case 'double':
        [ok, description] = [isConvertibleTo(value, 'real'), 'double'];
        break;
      default: {
        const complex = registry.complexTypes.get(ref.base);
        if (complex?.typeFormat === 'REGISTER')
          [ok, description] = [isConvertibleTo(value, 'object'), 'object'];
        // ENUMs and remote classes (object ids) travel as strings.
        else [ok, description] = [isConvertibleTo(value, 'string'), 'string'];
      }
    }
  }
  if (value === undefined || !ok) throw marshallError(`'${name}' ${kind} should be a ${description}`);
  const complex = ref.list || ref.map ? undefined : registry.complexTypes.get(ref.base);
  if (complex?.typeFormat === 'ENUM' && typeof value === 'string' && !complex.values?.includes(value)) {
    throw marshallError(`Invalid value for '${complex.name}'`);
  }
  // Bounded: the kmd types do not nest deeper, and a hostile value must not recurse forever.
  if (complex?.typeFormat === 'REGISTER' && isJsonObject(value) && depth < 4) {
    checkComplexValue(value, complex.name, registry, depth);
  }
}

/** Json::Value::asString for a value that passed a string check. */
export function asString(value: Json | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

/** True if a declared type names a remote class, i.e. its value is an object id. */
export function isRemoteClassType(type: string, registry: TypeRegistry): boolean {
  const ref = parseType(type);
  return !ref.list && !ref.map && registry.classes.has(ref.base);
}

function complexDefault(name: string, registry: TypeRegistry, depth: number): Json {
  const complex = registry.complexTypes.get(name);
  if (!complex) return null;
  if (complex.typeFormat === 'ENUM') return complex.values?.[0] ?? '';
  const fields: JsonObject = {};
  for (let type: typeof complex | undefined = complex; type; ) {
    for (const property of type.properties ?? []) {
      if (!property.optional) fields[property.name] = defaultValue(property.type, registry, depth + 1);
    }
    type = type.extends === undefined ? undefined : registry.complexTypes.get(type.extends);
  }
  return complexValue(name, fields);
}

/** A neutral value of a declared type, for properties and methods the emulator does not model. */
export function defaultValue(type: string, registry: TypeRegistry, depth = 0): Json {
  const ref = parseType(type);
  if (ref.list) return [];
  if (ref.map) return {};
  switch (ref.base) {
    case 'String':
      return '';
    case 'int':
    case 'int64':
    case 'float':
    case 'double':
      return 0;
    case 'boolean':
      return false;
    default:
      if (registry.classes.has(ref.base)) return null;
      return depth > 2 ? null : complexDefault(ref.base, registry, depth);
  }
}
