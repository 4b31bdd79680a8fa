import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
// Extends zod with what the generator calls, as the app's own import of it does.
import { z } from '@hono/zod-openapi';
import * as contract from '@kurento-fleet/contract';
import { describe, expect, it } from 'vitest';
import { createHarness } from '../testing/harness';

/** Every named schema of the contract (those with a `meta({ id })`), as the OpenAPI generator renders them. */
function contractComponents() {
  const registry = new OpenAPIRegistry();
  for (const value of Object.values(contract)) {
    const id = value instanceof z.ZodType ? value.meta()?.id : undefined;
    if (typeof id === 'string') registry.register(id, value as z.ZodType);
  }
  return new OpenApiGeneratorV31(registry.definitions).generateComponents().components?.schemas;
}

/** The route files of the API: every .ts under routes/, tests aside. */
function routeSources(dir = new URL('.', import.meta.url).pathname): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the served OpenAPI document and @kurento-fleet/contract', () => {
  it('document exactly the contract’s named shapes, no more and no less', async () => {
    const h = await createHarness();
    const { body } = await h.json('GET', '/openapi.json', { token: null });
    expect(body.components.schemas).toEqual(contractComponents());
  });

  it('leave no route a schema of its own: every body, query, path and answer comes from the contract', () => {
    const ownSchemas = routeSources().filter((path) =>
      /\bz\.(object|strictObject|array|string|number|enum|record|boolean|union)\(/.test(
        readFileSync(path, 'utf8'),
      ),
    );
    expect(ownSchemas).toEqual([]);
  });
});
