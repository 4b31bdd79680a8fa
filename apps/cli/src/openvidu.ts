import { UsageError } from './args';

/** One node an import creates: what OpenVidu's lists say, with an id. */
export interface PlannedNode {
  id: string;
  uri: string;
  weight: number;
}

/**
 * A list setting as OpenVidu writes it: a JSON array (`["ws://a:8888/kurento","ws://b:8888/kurento"]`,
 * `[5,1]`). A bare comma-separated list is taken too, since hand-written `.env` files often have one.
 */
export function parseList(name: string, text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new UsageError(`${name} is not a JSON array: ${text}`);
    }
    if (
      !Array.isArray(value) ||
      !value.every((item) => typeof item === 'string' || typeof item === 'number')
    ) {
      throw new UsageError(`${name} must be a JSON array of strings or numbers: ${text}`);
    }
    return value.map(String);
  }
  return trimmed === '' ? [] : trimmed.split(',').map((item) => item.trim());
}

/**
 * The nodes for OpenVidu's `KMS_URIS` and `KMS_WEIGHT` (weights in the same order; all 1 when left out), with
 * ids from `ids` or derived from the hosts.
 */
export function planImport(input: { uris: string[]; weights?: string[]; ids?: string[] }): PlannedNode[] {
  const { uris, weights, ids } = input;
  if (uris.length === 0) throw new UsageError('KMS_URIS is empty');
  for (const uri of uris) {
    if (!/^wss?:\/\/[^/]/.test(uri)) throw new UsageError(`KMS_URIS: '${uri}' is not a ws:// or wss:// URI`);
  }
  const duplicate = uris.find((uri, index) => uris.indexOf(uri) !== index);
  if (duplicate) throw new UsageError(`KMS_URIS names ${duplicate} twice`);
  if (weights && weights.length !== uris.length) {
    throw new UsageError(`KMS_WEIGHT has ${weights.length} entries for ${uris.length} URIs`);
  }
  if (ids && ids.length !== uris.length)
    throw new UsageError(`--ids has ${ids.length} entries for ${uris.length} URIs`);
  const nodeIds = ids ?? nodeIdsFor(uris);
  return uris.map((uri, index) => ({ id: nodeIds[index]!, uri, weight: weightAt(weights, index) }));
}

function weightAt(weights: string[] | undefined, index: number): number {
  const text = weights?.[index];
  if (text === undefined) return 1;
  const weight = Number(text);
  if (!/^\d+$/.test(text.trim()) || weight > 10_000) {
    throw new UsageError(`KMS_WEIGHT: '${text}' is not an integer from 0 to 10000`);
  }
  return weight;
}

/**
 * `kms-10-0-0-1` for `ws://10.0.0.1:8888/kurento`; the port is added for hosts listed more than once
 * (`kms-127-0-0-1-8889`), and a counter for what is still the same.
 */
export function nodeIdsFor(uris: string[]): string[] {
  const hosts = uris.map((uri) => new URL(uri));
  const hostCount = new Map<string, number>();
  for (const url of hosts) hostCount.set(url.hostname, (hostCount.get(url.hostname) ?? 0) + 1);
  const taken = new Set<string>();
  return hosts.map((url) => {
    const port = url.port || (url.protocol === 'wss:' ? '443' : '80');
    const base = `kms-${slug(url.hostname)}${(hostCount.get(url.hostname) ?? 0) > 1 ? `-${port}` : ''}`.slice(
      0,
      60,
    );
    let id = base;
    for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
    taken.add(id);
    return id;
  });
}

function slug(host: string): string {
  return (
    host
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'host'
  );
}
