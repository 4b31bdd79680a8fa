/** KMS strips a leading `/` and any query, then compares with `kurento` (§1). */
export function isKurentoPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0] ?? '';
  return (path.startsWith('/') ? path.slice(1) : path) === 'kurento';
}
