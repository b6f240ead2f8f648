/** One request; resolves `true` when the answer is the expected one, else a description of what came. */
export type Request = () => Promise<true | string>

/**
 * What a row runs on one stack: a request ready to go; one to prepare right before the row's first round
 * (e.g. payments signed then, not minutes earlier); or the reason this stack cannot run the row (printed
 * as n/a).
 */
export type Workload = Request | { prepare(): Promise<Request> } | { unsupported: string }
