import { z } from '@hono/zod-openapi';

/**
 * The rules every string and every query number of a request obeys, defined once: each request schema builds
 * its strings with `text()` and its query numbers with `queryInteger()`, so that no route can forget them.
 */

/**
 * NUL, and a UTF-16 surrogate without its pair. JSON can carry both (`"\u0000"`, `"\ud800"`), but neither
 * survives storage: C code (SQLite's own functions, many log and shell tools) stops at a NUL, and a lone
 * surrogate is not Unicode, so it is written to the database's UTF-8 as U+FFFD and reads back as another
 * string than the one acknowledged.
 */
const unstorable = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string field of a request (body, path or query): refused with 400 when it holds NUL or a lone surrogate. */
export function text() {
  return z.string().refine((value) => !unstorable.test(value), {
    message: 'must not contain NUL or an unpaired UTF-16 surrogate',
    // Checked before the field's own pattern, so that the message says what is wrong.
    abort: true,
  });
}

/**
 * A number in a query string: plain decimal digits and nothing else. `Number()` (what `z.coerce` uses) also
 * reads `0x10`, `1e2`, ` 10`, `+5` and `1.0`, so a typo or an attempt to probe the parser would pass as a
 * number; leading zeros (`010`) are refused too, because some clients read them as octal. The message names the
 * range, the validation hook names the parameter. Documented as the integer it is: clients write integers in
 * decimal.
 */
export function queryInteger(min: number, max: number, fallback: number) {
  const message = integerMessage(min, max);
  return decimalDigits(message)
    .transform((raw) => (raw === undefined ? fallback : Number(raw)))
    .pipe(z.number().int().min(min, message).max(max, message))
    .openapi({ type: 'integer', minimum: min, maximum: max, default: fallback });
}

/** queryInteger without a default: absent stays absent (`after` of a feed, say). */
export function optionalQueryInteger(min: number, max: number) {
  const message = integerMessage(min, max);
  return decimalDigits(message)
    .transform((raw) => (raw === undefined ? undefined : Number(raw)))
    .pipe(z.number().int().min(min, message).max(max, message).optional())
    .openapi({ type: 'integer', minimum: min, maximum: max });
}

const integerMessage = (min: number, max: number) =>
  `must be a decimal integer from ${min} to ${max} (digits only)`;
const decimalDigits = (message: string) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, message)
    .optional();
