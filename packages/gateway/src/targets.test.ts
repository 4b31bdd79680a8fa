import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '@kurento-fleet/kurento-protocol';
import { describe, expect, it } from 'vitest';
import { RouteTable } from './routes';
import { ID_PARAMS, namedIds, targetOf } from './targets';
import { MemoryFleet } from './testing/memory-fleet';
import { planTransaction } from './transaction';

const P = '11111111-1111-4111-8111-111111111111_kurento.MediaPipeline';
const Q = '22222222-2222-4222-8222-222222222222_kurento.MediaPipeline';
const U = '33333333-3333-4333-8333-333333333333_kurento.MediaPipeline';
const el = (pipeline: string, type = 'WebRtcEndpoint') => `${pipeline}/aaaa_kurento.${type}`;

function table() {
  const routes = new RouteTable(new MemoryFleet([]), () => {});
  routes.set(P, 'a');
  routes.set(Q, 'b');
  return routes;
}

describe('ID_PARAMS', () => {
  it('lists every parameter typed as a remote class in the core, elements and filters modules', () => {
    type Kmd = {
      remoteClasses: Array<{
        name: string;
        constructor?: { params?: Array<{ name: string; type: string }> };
        methods?: Array<{ params?: Array<{ name: string; type: string }> }>;
      }>;
    };
    const kmd = ['core', 'elements', 'filters'].map(
      (name) =>
        JSON.parse(
          readFileSync(
            fileURLToPath(new URL(`../../kms-emulator/kmd/${name}.kmd.json`, import.meta.url)),
            'utf8',
          ),
        ) as Kmd,
    );
    const remote = new Set(kmd.flatMap((module) => module.remoteClasses.map((c) => c.name)));
    const names = new Set<string>();
    for (const module of kmd) {
      for (const c of module.remoteClasses) {
        const params = [
          ...(c.constructor?.params ?? []),
          ...(c.methods ?? []).flatMap((m) => m.params ?? []),
        ];
        for (const p of params) if (remote.has(p.type.replace('[]', ''))) names.add(p.name);
      }
    }
    expect([...names].sort()).toEqual([...ID_PARAMS].sort());
  });
});

describe('namedIds / targetOf', () => {
  it('routes by the object, by the parent of a create, and checks ids among the params', async () => {
    const routes = table();
    expect(namedIds('create', { type: 'HubPort', constructorParams: { hub: el(P, 'Composite') } })).toEqual([
      el(P, 'Composite'),
    ]);
    expect(await targetOf(namedIds('invoke', { object: el(P), operation: 'getName' }), routes)).toEqual({
      kind: 'node',
      nodeId: 'a',
      pipelineId: P,
    });
    const connect = (sink: string) =>
      targetOf(
        namedIds('invoke', { object: el(P), operation: 'connect', operationParams: { sink } }),
        routes,
      );
    expect(await connect(`${P}/bbbb_kurento.WebRtcEndpoint`)).toMatchObject({ kind: 'node', nodeId: 'a' });
    expect(await connect(el(Q))).toMatchObject({ kind: 'refused', error: { code: 40004 } });
    expect(await connect(el(U))).toMatchObject({
      kind: 'refused',
      error: { code: 40101, message: `Object '${el(U)}' not found` },
    });
    expect(await targetOf(namedIds('describe', { object: el(U) }), routes)).toEqual({
      kind: 'unknown',
      objectId: el(U),
    });
    expect(await targetOf(namedIds('describe', { object: 'manager_ServerManager' }), routes)).toEqual({
      kind: 'manager',
    });
    expect(await targetOf(namedIds('create', { type: 'Nope' }), routes)).toEqual({ kind: 'anywhere' });
    // A transactional reference is not an id to route by.
    expect(
      namedIds('create', { type: 'PassThrough', constructorParams: { mediaPipeline: 'newref:0' } }),
    ).toEqual([]);
  });
});

describe('planTransaction', () => {
  const op = (id: number, method: string, params: JsonObject) => ({ jsonrpc: '2.0', id, method, params });

  it('sends a transaction to the pipeline it touches, and places one that only creates', async () => {
    const routes = table();
    expect(
      await planTransaction(
        { operations: [op(0, 'create', { type: 'PassThrough', constructorParams: { mediaPipeline: P } })] },
        routes,
      ),
    ).toEqual({ target: { kind: 'node', nodeId: 'a', pipelineId: P }, creates: [] });
    expect(
      await planTransaction(
        {
          operations: [
            op(0, 'create', { type: 'MediaPipeline' }),
            op(1, 'create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: 'newref:0' } }),
            op(2, 'invoke', { object: 'newref:1', operation: 'getName' }),
          ],
        },
        routes,
      ),
    ).toEqual({ target: { kind: 'placement' }, creates: [0] });
    expect(await planTransaction({ operations: 'x' }, routes)).toEqual({
      target: { kind: 'anywhere' },
      creates: [],
    });
  });

  it('refuses a transaction that spans two pipelines with 40008, naming both', async () => {
    const plan = await planTransaction(
      {
        operations: [
          op(0, 'invoke', { object: el(P), operation: 'getName' }),
          op(1, 'invoke', { object: el(Q), operation: 'getName' }),
        ],
      },
      table(),
    );
    expect(plan.target).toMatchObject({
      kind: 'refused',
      error: {
        code: 40008,
        data: { type: 'MALFORMED_TRANSACTION' },
        message: expect.stringContaining(`'${P}' and '${Q}'`),
      },
    });
  });
});
