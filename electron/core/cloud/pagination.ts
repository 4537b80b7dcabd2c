/**
 * Lists come in two paging styles: `page`/`per_page` with `pagination{page,per_page,total,total_pages}` (v1)
 * and `limit`/`offset` with `meta{limit,offset,count|total,hasMore}` (/public/v1). A Page normalises both,
 * and `iteratePages` walks all of them for `for await`.
 */
import { z } from 'zod';

export type PagingStyle = 'page' | 'offset';

export interface PagingParams {
  page?: number;
  per_page?: number;
  limit?: number;
  offset?: number;
}

export type PageInfo =
  | { style: 'page'; page: number; perPage: number | null; total: number | null; totalPages: number | null }
  | { style: 'offset'; offset: number; limit: number | null; total: number | null };

export interface Page<T> {
  data: T[];
  paging: PageInfo;
  /** Whether another page follows. A list without any paging information is one page. */
  hasMore: boolean;
}

const count = z.number().int().nonnegative();

const PaginationSchema = z.object({
  page: count,
  per_page: count,
  total: count.nullable().optional(),
  total_pages: count.nullable().optional(),
});

const MetaSchema = z.object({
  limit: count.optional(),
  offset: count.optional(),
  count: count.optional(),
  total: count.optional(),
  hasMore: z.boolean().optional(),
  has_more: z.boolean().optional(),
});

export function pageSchema<T>(item: z.ZodType<T>) {
  return z.object({
    data: z.array(item),
    pagination: PaginationSchema.optional(),
    meta: MetaSchema.optional(),
  });
}

type WirePage<T> = { data: T[]; pagination?: z.infer<typeof PaginationSchema>; meta?: z.infer<typeof MetaSchema> };

export function toPage<T>(wire: WirePage<T>, requested: PagingParams): Page<T> {
  const { data, pagination, meta } = wire;
  if (pagination !== undefined) {
    const totalPages = pagination.total_pages ?? null;
    return {
      data,
      paging: {
        style: 'page',
        page: pagination.page,
        perPage: pagination.per_page,
        total: pagination.total ?? null,
        totalPages,
      },
      hasMore: data.length > 0 && (totalPages === null ? data.length >= pagination.per_page : pagination.page < totalPages),
    };
  }
  if (meta !== undefined) {
    const offset = meta.offset ?? requested.offset ?? 0;
    const limit = meta.limit ?? requested.limit ?? null;
    const total = meta.total ?? null;
    const explicit = meta.hasMore ?? meta.has_more;
    // meta.count is ambiguous in the public docs (rows in this page, or all rows), so it is not used as a total.
    const hasMore = data.length > 0 && (explicit ?? (total !== null ? offset + data.length < total : limit !== null && data.length >= limit));
    return { data, paging: { style: 'offset', offset, limit, total }, hasMore };
  }
  return { data, paging: { style: 'page', page: 1, perPage: null, total: data.length, totalPages: 1 }, hasMore: false };
}

export function firstPageParams(style: PagingStyle, pageSize: number): PagingParams {
  return style === 'page' ? { page: 1, per_page: pageSize } : { limit: pageSize, offset: 0 };
}

export function nextPageParams<T>(page: Page<T>, current: PagingParams): PagingParams {
  return page.paging.style === 'page'
    ? { page: page.paging.page + 1, per_page: current.per_page ?? current.limit }
    : { limit: current.limit ?? current.per_page, offset: page.paging.offset + page.data.length };
}

// A server that never says "last page" must not keep the app looping forever.
const MAX_PAGES = 10_000;

export async function* iteratePages<T>(fetchPage: (params: PagingParams) => Promise<Page<T>>, first: PagingParams): AsyncGenerator<T, void, undefined> {
  let params = first;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await fetchPage(params);
    yield* page.data;
    if (!page.hasMore) return;
    params = nextPageParams(page, params);
  }
}
