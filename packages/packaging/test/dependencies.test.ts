// Each public package installs on its own: its runtime dependencies and peers are the ones the table in
// support/dependency-rules.ts allows, with the reason.
import { describe, expect, test } from 'vitest'
import { CHAIN_SDK, DEPENDENCY_RULES } from './support/dependency-rules.js'
import { publicPackages } from './support/workspace.js'

const packages = publicPackages()
const APPLICATIONS = new Set(['@open402/facilitator', '@open402/devnet', '@open402/cli'])

test('the table has one rule per public package, and no rule for a package that is not one', () => {
  const names = packages.map((p) => p.manifest.name)
  const inProgress = ['@open402/scheme-kit'].filter((name) => !names.includes(name)) // counted once written
  expect(Object.keys(DEPENDENCY_RULES).sort()).toEqual([...names, ...inProgress].sort())
})

describe.each(packages.map((p) => [p.manifest.name, p.manifest] as const))('%s', (name, manifest) => {
  const rule = DEPENDENCY_RULES[name]

  test('depends at run time only on what the table allows', () => {
    const unexpected = Object.keys(manifest.dependencies ?? {}).filter(
      (dep) => !(dep in (rule?.dependencies ?? {})),
    )
    expect(unexpected).toEqual([])
  })

  test('has only the peers the table allows, optional exactly where it says', () => {
    const peers = Object.keys(manifest.peerDependencies ?? {}).map((peer) => ({
      peer,
      optional: manifest.peerDependenciesMeta?.[peer]?.optional === true,
    }))
    const allowed = Object.entries(rule?.peerDependencies ?? {}).map(([peer, { optional }]) => ({
      peer,
      optional: optional === true,
    }))
    expect(peers.sort((a, b) => a.peer.localeCompare(b.peer))).toEqual(
      allowed.sort((a, b) => a.peer.localeCompare(b.peer)),
    )
  })

  test('pulls no chain SDK unless it is a scheme (as a peer) or an application', () => {
    // Applications run chains; @solana-program/* clients sit on the @solana/kit the app provides (their peer).
    const mayPull = (dep: string) =>
      APPLICATIONS.has(name) || (name === '@open402/svm' && dep.startsWith('@solana-program/'))
    const chainDeps = Object.keys(manifest.dependencies ?? {}).filter((dep) => CHAIN_SDK.test(dep))
    expect(chainDeps.filter((dep) => !mayPull(dep))).toEqual([])
  })

  test('has every peer as a dev dependency too, so the workspace tests against it', () => {
    const untested = Object.keys(manifest.peerDependencies ?? {}).filter(
      (peer) => !manifest.devDependencies?.[peer],
    )
    expect(untested).toEqual([])
  })

  test('takes its @open402 dependencies from the workspace', () => {
    const pinned = Object.entries(manifest.dependencies ?? {}).filter(
      ([dep, range]) => dep.startsWith('@open402/') && range !== 'workspace:*',
    )
    expect(pinned).toEqual([])
  })
})
