import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The API reference's renderer (Scalar's standalone.js) read from node_modules, for the Node entry: read on the
 * first `GET /docs/scalar.js`, then kept (3.4 MiB that a server never asked for /docs does not hold).
 */
export function scalarScriptFromNodeModules(): () => Promise<string> {
  let script: Promise<string> | undefined;
  return () => {
    script ??= readFile(
      createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js'),
      'utf8',
    );
    return script;
  };
}
