/** Imported as text by the Worker build (see scalar-embedded.ts), never executed. */
declare module '@scalar/api-reference/browser/standalone.js' {
  const text: string;
  // biome-ignore lint/style/noDefaultExport: a text module's content is its default export (wrangler, esbuild).
  export default text;
}
