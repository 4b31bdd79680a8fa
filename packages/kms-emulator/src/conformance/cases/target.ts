import type { RawKmsClient } from '../../raw-client';

/**
 * What the shared conformance cases run against: one KMS (the emulator) or something that must answer as one
 * (the gateway in front of a fleet). Where a target's answer legitimately differs from a single KMS, the
 * difference is a property here, not a second copy of the case.
 */
export interface ConformanceTarget {
  /** Opens a raw client on `path` (default `/kurento`); the target closes it after the case. */
  client(path?: string): Promise<RawKmsClient>;
  /** The serverId `connect` answers: a KMS's own, or the gateway's own (the same whichever KMS holds the session). */
  readonly serverId: string;
  /**
   * What a second `connect {}` answers on a socket whose session an earlier `connect` opened (and no request has
   * used). The emulator injects the socket's session, which no object ever referred to, so KMS does not know it:
   * 40007. The gateway opens a new session. Not a case of the protocol reference: the two are kept as they are
   * until a real KMS settles which is right.
   */
  readonly connectAgain: 'invalid session' | 'new session';
  /** What getMetadata answers (the metadata the target's KMS were started with). */
  readonly metadata: string;
  /** The ids of the KMS behind the target. */
  readonly kms: readonly string[];
  /** Every pipeline the KMS behind the target hold, read at the KMS (not through the target). */
  kmsPipelines(): Promise<string[]>;
  /** Which KMS holds a pipeline, as the target places it (the gateway: the fleet's assignment); or undefined. */
  kmsOf(pipeline: string): Promise<string | undefined>;
  /**
   * The sessions the server holds, where the target can list them: the emulator can; the gateway keeps its
   * sessions on several KMS, none of which can say which sessions are this case's.
   */
  readonly sessions?: () => readonly string[];
}
