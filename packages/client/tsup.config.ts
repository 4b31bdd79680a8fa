import { defineConfig } from 'tsup';

/**
 * The published build of the SDK (`pnpm pack` runs it through `prepack`): ESM and CommonJS with declarations,
 * one file set per entry. Inside the monorepo nothing is built: `exports` points at the TypeScript source, and
 * `publishConfig.exports` swaps in `dist/` when the package is packed.
 *
 * - @kurento-fleet/kurento (a workspace package, a devDependency) is bundled, code and types, so the tarball
 *   needs nothing from this repository.
 * - kurento-client stays external: an optional peer dependency, loaded only by the ./kurento entry, on first use.
 * - Code splitting in both formats, so that classes shared by the entries (FleetClientError, the base of
 *   KurentoConnectError) exist once and `instanceof` holds across entries, in CommonJS too.
 * - `shims` gives the CommonJS build an `import.meta.url`, which loadKurentoClient's createRequire needs.
 */
export default defineConfig({
  entry: { index: 'src/index.ts', kurento: 'src/kurento/index.ts' },
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node20',
  dts: true,
  splitting: true,
  shims: true,
  clean: true,
  sourcemap: false,
  noExternal: ['@kurento-fleet/kurento'],
  external: ['kurento-client'],
  tsconfig: 'tsconfig.build.json',
});
