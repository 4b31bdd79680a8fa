import { placementLogSize } from '@kurento-fleet/db';
import { describe, expect, it } from 'vitest';
import { createHarness, expectError, type Harness } from '../testing/harness';
import { fleetWorld, operations } from '../testing/operations';

/**
 * The input rules every route shares (input.ts): query numbers are plain decimal integers, and no string of a
 * body, a path or a query may hold NUL or a lone surrogate. The string fields are read from the served OpenAPI
 * document, so a route added later is covered without touching this file.
 */

describe.each([
  ['/v1/sessions', 1000],
  ['/v1/events', 1000],
  ['/v1/placements', placementLogSize],
])('GET %s?limit=', (path, max) => {
  it.each([
    '0x10',
    '1e2',
    '%2010',
    '10%20',
    '%2B5',
    '010',
    '1.0',
    '-1',
    '0',
    '',
    `${max + 1}`,
    '１０',
    '9'.repeat(20),
  ])('%j → 400 naming limit', async (raw) => {
    const h = await createHarness();
    await expectError(await h.call('GET', `${path}?limit=${raw}`), 400, 'BAD_REQUEST', 'limit');
  });

  it.each(['1', '7', `${max}`])('%j → 200', async (raw) => {
    const h = await createHarness();
    expect((await h.call('GET', `${path}?limit=${raw}`)).status).toBe(200);
  });
});

type Json = Record<string, any>;
/** One way to put a bad string into a request, and the field the 400 must name. */
interface Poison {
  field: string;
  path: string;
  body?: unknown;
}

const bad = { NUL: 'a\u0000b', 'a lone high surrogate': 'a\ud800b', 'a lone low surrogate': '\udc00' };

/** Every string slot of a body schema: properties, array items, map keys and values; `at` is the JSON path. */
function stringSlots(doc: Json, schema: Json, at: string[] = []): { at: string[]; key?: boolean }[] {
  const resolved: Json = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema;
  const types = [resolved.type].flat();
  if (types.includes('string')) return [{ at }];
  if (types.includes('array')) return stringSlots(doc, resolved.items, [...at, '0']);
  const slots = Object.entries((resolved.properties ?? {}) as Json).flatMap(([name, sub]) =>
    stringSlots(doc, sub, [...at, name]),
  );
  if (resolved.additionalProperties && typeof resolved.additionalProperties === 'object')
    slots.push({ at, key: true }, ...stringSlots(doc, resolved.additionalProperties, [...at, 'k']));
  return slots;
}

/** The body with a bad string at `at` (a new key of the map at `at` when `key`), filling in what is missing. */
function poisoned(body: unknown, at: string[], value: string, key = false): unknown {
  const copy = structuredClone(body ?? {}) as Json;
  let target: Json = copy;
  for (const part of key ? at : at.slice(0, -1)) target = target[part] ??= part === '0' ? [] : {};
  if (key) target[value] = Object.values(target)[0] ?? 'v';
  else target[at.at(-1)!] = value;
  return copy;
}

async function poisons(h: Harness): Promise<{ operation: string; poisons: Poison[] }[]> {
  const doc = (await h.json('GET', '/openapi.json', { token: null })).body as Json;
  return Object.entries(doc.paths as Json).flatMap(([template, item]) =>
    Object.entries(item as Json).map(([method, op]) => {
      const operation = `${method} ${template}`;
      const base = operations[operation];
      if (!base) throw new Error(`no valid request for ${operation}: add one to this test`);
      const list: Poison[] = [];
      for (const param of (op.parameters ?? []) as Json[]) {
        if (![param.schema.type].flat().includes('string')) continue;
        // A URL carries NUL as %00; it cannot carry a lone surrogate (percent-encoding is of UTF-8).
        if (param.in === 'path') {
          const path = template.replace(`{${param.name}}`, 'x%00y');
          list.push({ field: param.name, path, body: base.body });
        } else if (param.in === 'query') {
          const url = new URL(base.path, 'http://x');
          url.searchParams.set(param.name, 'x\u0000y');
          list.push({ field: param.name, path: url.pathname + url.search, body: base.body });
        }
      }
      const schema = op.requestBody?.content['application/json'].schema;
      for (const slot of schema ? stringSlots(doc, schema) : []) {
        for (const value of Object.values(bad)) {
          list.push({
            field: slot.at[0]!,
            path: base.path,
            body: poisoned(base.body, slot.at, value, slot.key),
          });
        }
      }
      return { operation, poisons: list };
    }),
  );
}

describe('NUL and lone surrogates', () => {
  it('are refused in every string of every route: body, path and query (400 naming the field, nothing changed)', async () => {
    const h = await createHarness();
    await fleetWorld(h);
    const all = await poisons(h);
    const checked = all.flatMap(({ operation, poisons }) =>
      poisons.map((poison) => ({ operation, ...poison })),
    );
    // The document must expose the fields this is about; a walker that finds nothing would prove nothing.
    expect(checked.length).toBeGreaterThan(60);
    const before = await h.snapshot();
    for (const { operation, field, path, body } of checked) {
      const method = operation.split(' ')[0]!.toUpperCase();
      const response = await h.call(method, path, { body });
      const text = await response.clone().text();
      expect(response.status, `${operation} ${path} ${JSON.stringify(body)}: ${text}`).toBe(400);
      await expectError(response, 400, 'BAD_REQUEST', field);
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it('names the rule in the message', async () => {
    const h = await createHarness();
    const response = await h.call('POST', '/v1/nodes', { body: { uri: 'ws://h:1/k', region: 'eu\u0000' } });
    await expectError(
      response,
      400,
      'BAD_REQUEST',
      'region: must not contain NUL or an unpaired UTF-16 surrogate',
    );
  });

  it('lets paired surrogates (emoji) and other Unicode through', async () => {
    const h = await createHarness();
    const { status, body } = await h.json('POST', '/v1/nodes', {
      body: { uri: 'ws://h:1/k', region: 'région 🌍', labels: { 'équipe 🎥': 'média ✓' } },
    });
    expect(status).toBe(201);
    expect(body.node.region).toBe('région 🌍');
    expect(body.node.labels).toEqual({ 'équipe 🎥': 'média ✓' });
  });
});
