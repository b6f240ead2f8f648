import type { AxiosResponse } from 'axios'

/** A response header by name, case-insensitively (axios lower-cases names in Node). */
export function headerOf(response: Pick<AxiosResponse, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(response.headers ?? {})) {
    if (key.toLowerCase() !== wanted) continue
    if (typeof value === 'string') return value
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0]
  }
  return undefined
}
