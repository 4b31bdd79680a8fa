import { text } from './input';

/**
 * An id that travels in a URL path segment (`/v1/nodes/{id}`): 1..`max` characters of `chars` (plain URL
 * characters, never percent-encoded), except `.` and `..`, which every URL parser resolves as "this folder" and
 * "the parent folder", so that a node or session named so could be created but never read, released or deleted.
 */
function pathSegmentId(chars: string, shown: string, max: number) {
  return text().regex(
    new RegExp(`^(?!\\.{1,2}$)[${chars}]{1,${max}}$`),
    `must be 1..${max} characters of ${shown}, and not . or .. (a URL path cannot name them)`,
  );
}

/** A node (one KMS): 1..64 of A-Z a-z 0-9 . _ - */
export const NodeIdSchema = pathSegmentId('A-Za-z0-9._-', 'A-Z a-z 0-9 . _ -', 64).meta({
  example: 'kms-1',
});

/** A session (a media room): 1..128 of A-Z a-z 0-9 . _ : ~ - (a KMS pipeline id fits). */
export const SessionIdSchema = pathSegmentId('A-Za-z0-9._:~-', 'A-Z a-z 0-9 . _ : ~ -', 128).meta({
  example: 'room-42',
});

/** A token's public id: the 16 hex digits after `kf_`. */
export const TokenIdSchema = text().regex(/^[0-9a-f]{16}$/, 'must be a token id (16 hex digits)');
