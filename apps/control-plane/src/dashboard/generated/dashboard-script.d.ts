/** The dashboard's bundled script as text; the .js beside this file is generated (see ../script.embedded.ts). */
declare const script: string;
// biome-ignore lint/style/noDefaultExport: the generated module's one value is its default export.
export default script;
