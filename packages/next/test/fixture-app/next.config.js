// The fixture app runs the workspace sources: Turbopack has no custom resolve conditions, so each
// @open402 package is aliased to the file its `@open402/source` export condition names.
const nextConfig = {
  // The test builds into a directory of its own (under .next/, git-ignored) and removes it after.
  distDir: process.env.OPEN402_NEXT_DIST_DIR || '.next',
  // A second URL for the paid route: the payment is bound to the handler, so it applies here too.
  async rewrites() {
    return [{ source: '/weather-now', destination: '/api/weather' }]
  },
  turbopack: {
    resolveAlias: {
      '@open402/next': '../../src/index.ts',
      '@open402/core': '../../../core/src/index.ts',
      '@open402/evm': '../../../evm/src/index.ts',
    },
  },
}

export default nextConfig
