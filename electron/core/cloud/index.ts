/** The AutoPrintFarm cloud client's public surface. */
export { createCloudClient } from './client';
export type { CallOptions, CloudClient, CloudClientOptions, CreateOptions, IterateOptions } from './client';
export * from './errors';
export type { Page, PageInfo, PagingParams, PagingStyle } from './pagination';
export type { RateLimitInfo } from './rate-limit';
export type { Sleep } from './request-sender';
export * from './schemas';
