/** A fetch that pays 402 responses; what both `@x402/fetch` and `@open402/fetch` return. */
export type PaidFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>
