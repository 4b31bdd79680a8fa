/** Why a fetch failed, with the socket-level reason undici hides in `cause` ("fetch failed" alone says nothing). */
export function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  const detail = cause instanceof Error ? cause.message : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return detail && detail !== message ? `${message} (${detail})` : message;
}
