// pnpm loads this file before installs and scripts. Its one job: let native addons that compile from
// source (better-sqlite3 when no prebuilt binary can be downloaded, e.g. offline) use the Node headers
// installed beside `node`, instead of node-gyp downloading them from nodejs.org. pnpm 12's bundled node-gyp
// ignores npm's `nodedir` setting and a project .npmrc; the `extraEnv` of this hook reaches build scripts.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The prefix whose include/node headers match the running Node (as node-gyp wants for --nodedir). */
function localNodeHeaders() {
  const prefix = dirname(dirname(process.execPath))
  const include = join(prefix, 'include', 'node')
  const versionHeader = join(include, 'node_version.h')
  if (!existsSync(versionHeader) || !existsSync(join(include, 'common.gypi'))) return undefined
  const text = readFileSync(versionHeader, 'utf8')
  const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1]
  const version = `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`
  return version === process.versions.node ? prefix : undefined
}

export const hooks = {
  updateConfig(config) {
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by pnpm's install, not by a turbo task
    if (process.env.npm_config_nodedir) return config
    const nodedir = localNodeHeaders()
    if (nodedir === undefined) return config
    return { ...config, extraEnv: { ...config.extraEnv, npm_config_nodedir: nodedir } }
  },
}
