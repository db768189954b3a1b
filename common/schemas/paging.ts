import { z } from 'zod';

/** Query of every paged, searchable list: `?limit=&offset=&q=`. */
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  q: z.string().trim().max(100).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** Answer of every paged list. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
