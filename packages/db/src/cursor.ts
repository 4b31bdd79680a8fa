import { FleetError } from './errors';

/** Opaque list cursors: a row's `seq`, versioned so the format can change without breaking old clients. */
const prefix = 's1.';

export function encodeCursor(seq: number): string {
  return prefix + seq.toString(36);
}

export function decodeCursor(cursor: string): number {
  const body = cursor.startsWith(prefix) ? cursor.slice(prefix.length) : '';
  const seq = /^[0-9a-z]{1,10}$/.test(body) ? Number.parseInt(body, 36) : Number.NaN;
  if (!Number.isSafeInteger(seq))
    throw new FleetError('BAD_REQUEST', `cursor: '${cursor}' is not a valid cursor.`);
  return seq;
}
