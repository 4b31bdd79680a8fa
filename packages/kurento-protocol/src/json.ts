/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys(object: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(object);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return object;
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) out[key] = object[key];
  return out;
}

/**
 * Serialises like KMS does: jsoncpp keeps object members in a std::map, so every object on the wire has its
 * keys in byte order (`{"id":…,"jsonrpc":…,"result":…}`, `{"code":…,"data":…,"message":…}`).
 */
export function stringifySorted(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? sortKeys(v as Record<string, unknown>) : v,
  );
}
