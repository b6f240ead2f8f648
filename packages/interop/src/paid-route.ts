/** The paid route every stack in these tests and benches serves. */
export const PAID_PATH = '/weather'

/** The route's price in dollars, for servers that convert dollars with the network's stablecoin. */
export const PRICE_USD = '$0.001'

/** The same price in atomic units of the devnet's 6-decimal USD coin. */
export const PRICE_ATOMIC = 1000n

/** What the paid route answers once paid. */
export const PAID_BODY = { report: 'sunny', temperatureC: 21 } as const
