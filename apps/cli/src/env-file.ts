/**
 * The variables of a dotenv-style file, as OpenVidu's `.env` is written: `KEY=value` lines, `#` comments,
 * an optional `export `, values optionally in single or double quotes (taken verbatim, no interpolation).
 */
export function parseEnvFile(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at).trim();
    let value = line.slice(at + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
    } else {
      // An unquoted value ends at a comment that follows a blank.
      value = value.replace(/\s+#.*$/, '');
    }
    variables[key] = value;
  }
  return variables;
}
