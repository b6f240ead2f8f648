'use strict'
// The devnet's EVM JSON-RPC node, run in its own process by evm-node-process.ts so the chain never
// shares an event loop with the tests or benchmarks that use it. Plain CommonJS so it runs with bare
// `node` from sources and from an install alike.
//
// Config (first stdin line, see child-lifecycle.cjs): {host, port, chainId, genesisAccounts:
// [{privateKey, balance}], parentPid}.
//
// Hardhat 2.28's public entry points need a project and a config file; its in-process network provider
// (EDR) and JSON-RPC server are used directly instead. Both files are part of the pinned hardhat version.
const { createHardhatNetworkProvider } = require('hardhat/internal/hardhat-network/provider/provider')
const { JsonRpcServer } = require('hardhat/internal/hardhat-network/jsonrpc/server')
const { defaultHardhatNetworkParams } = require('hardhat/internal/core/config/default-config')
const { ProviderError } = require('hardhat/internal/core/providers/errors')
const { runChild } = require('./child-lifecycle.cjs')

// Hardhat answers a revert in eth_call / eth_estimateGas as an internal error (-32603), which viem retries
// (three times, ~1 s) before giving up. Answer it the way geth does instead: code 3, "execution reverted:
// <reason>", with the revert data, so clients fail fast and decode the reason.
function withGethStyleReverts(provider) {
  const request = async (args) => {
    try {
      return await provider.request(args)
    } catch (error) {
      const isRevert =
        error !== null &&
        typeof error === 'object' &&
        !ProviderError.isProviderError(error) &&
        typeof error.data === 'string' &&
        error.data.startsWith('0x')
      if (!isRevert) throw error
      const reason = /reverted with reason string '([\s\S]*)'$/.exec(error.message)
      const detail = error.message.replace(/^(Error: )?VM Exception while processing transaction: /, '')
      const revert = new ProviderError(
        reason === null ? `execution reverted (${detail})` : `execution reverted: ${reason[1]}`,
        3,
        error,
      )
      revert.data = error.data
      throw revert
    }
  }
  return new Proxy(provider, {
    get(target, property) {
      if (property === 'request') return request
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

runChild(async (config) => {
  const provider = await createHardhatNetworkProvider(
    {
      hardfork: defaultHardhatNetworkParams.hardfork,
      chainId: config.chainId,
      networkId: config.chainId,
      blockGasLimit: defaultHardhatNetworkParams.blockGasLimit,
      minGasPrice: 0n,
      automine: true,
      intervalMining: 0,
      mempoolOrder: 'priority',
      chains: defaultHardhatNetworkParams.chains,
      genesisAccounts: config.genesisAccounts.map((account) => ({
        privateKey: account.privateKey,
        balance: BigInt(account.balance),
      })),
      allowUnlimitedContractSize: false,
      // Like a real chain: a reverting transaction is mined with status 0 and its hash returned.
      throwOnTransactionFailures: false,
      throwOnCallFailures: true,
      // Without it every block is at least one second after the previous one, so under load chain time
      // runs ahead of the wall clock and fresh EIP-3009 authorizations revert as expired.
      allowBlocksWithSameTimestamp: true,
      initialDate: new Date(),
      enableTransientStorage: false,
      enableRip7212: false,
    },
    { enabled: false },
  )
  const server = new JsonRpcServer({
    hostname: config.host,
    port: config.port,
    provider: withGethStyleReverts(provider),
  })
  return server.listen()
})
