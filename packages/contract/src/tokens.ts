import { z } from 'zod';
import { TokenIdSchema } from './ids';
import { text } from './input';

export const TokenRoleSchema = z.enum(['admin', 'app']);

export const CreateTokenBodySchema = z
  .strictObject({ role: TokenRoleSchema, name: text().min(1).max(128).optional() })
  .meta({ id: 'CreateToken' });

export const TokenSchema = z
  .object({ id: z.string(), role: TokenRoleSchema, name: z.string().nullable(), createdAt: z.string() })
  .meta({ id: 'Token' });

/** A new token: its secret is shown this once. */
export const CreatedTokenSchema = TokenSchema.omit({ createdAt: true }).extend({ token: z.string() });

export const TokenListSchema = z.object({ tokens: z.array(TokenSchema) });

export const TokenIdParamsSchema = z.object({
  id: TokenIdSchema.meta({ param: { name: 'id', in: 'path' } }),
});
