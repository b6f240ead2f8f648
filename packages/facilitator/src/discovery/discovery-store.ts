import type { DiscoveryCatalog, DiscoveryListOptions, DiscoveryRecord } from '@open402/storage'

/**
 * Where the facilitator keeps its discovery catalog: `storage.discovery` of @open402/storage (SQLite for
 * one instance, PostgreSQL when several share it), or any object with the same `upsert` and `list`.
 */
export type DiscoveryStore = Pick<DiscoveryCatalog, 'upsert' | 'list'>

/** One cataloged resource as the store returns it. */
export type DiscoveryStoreRecord = DiscoveryRecord

/** The filters the store applies. */
export type DiscoveryStoreQuery = DiscoveryListOptions
