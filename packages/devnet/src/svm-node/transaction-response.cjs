'use strict'
// getTransaction's answer for a landed transaction, in json, jsonParsed, base64 or base58 encoding.
const { encodeBase58 } = require('./base58.cjs')
const { compiledInstruction, parsedInstruction } = require('./instruction-parsing.cjs')
const { RpcError, invalidParams } = require('./json-rpc.cjs')
const { isStaticWritable } = require('./wire-transaction.cjs')

/** getTransaction's answer for a landed transaction, in json, jsonParsed, base64 or base58 encoding. */
function transactionResponse(record, config) {
  const { parsed, keys } = record
  const encoding = config.encoding ?? 'json'
  const maxVersion = config.maxSupportedTransactionVersion
  if (parsed.version !== 'legacy' && (maxVersion === undefined || maxVersion === null)) {
    throw new RpcError(
      -32015,
      `Transaction version (${parsed.version}) is not supported by the requesting client. Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0`,
    )
  }
  const jsonParsed = encoding === 'jsonParsed'
  const instruction = (ix, stackHeight) =>
    jsonParsed ? parsedInstruction(ix, keys.all, stackHeight) : compiledInstruction(ix, stackHeight)
  let transaction
  if (encoding === 'base64') transaction = [Buffer.from(record.bytes).toString('base64'), 'base64']
  else if (encoding === 'base58') transaction = [encodeBase58(record.bytes), 'base58']
  else if (encoding === 'json' || jsonParsed) {
    const staticCount = parsed.staticKeys.length
    const accountKeys = jsonParsed
      ? keys.all.map((pubkey, index) => ({
          pubkey,
          signer: index < parsed.header.numRequiredSignatures,
          writable:
            index < staticCount
              ? isStaticWritable(parsed, index)
              : index < staticCount + keys.loaded.writable.length,
          source: index < staticCount ? 'transaction' : 'lookupTable',
        }))
      : parsed.staticKeys
    const message = {
      accountKeys,
      header: parsed.header,
      recentBlockhash: parsed.recentBlockhash,
      instructions: parsed.instructions.map((ix) => instruction(ix, null)),
    }
    if (parsed.version !== 'legacy') message.addressTableLookups = parsed.lookups
    transaction = { signatures: parsed.signatures, message }
  } else {
    throw invalidParams(`Invalid param: unknown encoding ${JSON.stringify(encoding)}`)
  }
  const response = {
    slot: record.slot,
    blockTime: record.blockTime,
    transaction,
    meta: {
      err: record.err,
      status: record.err === null ? { Ok: null } : { Err: record.err },
      fee: record.fee,
      preBalances: record.preBalances,
      postBalances: record.postBalances,
      innerInstructions: record.innerInstructions.map(({ index, instructions }) => ({
        index,
        instructions: instructions.map((ix) => instruction(ix, ix.stackHeight)),
      })),
      logMessages: record.logs,
      preTokenBalances: record.preTokenBalances,
      postTokenBalances: record.postTokenBalances,
      rewards: [],
      loadedAddresses: keys.loaded,
      computeUnitsConsumed: record.computeUnitsConsumed,
    },
  }
  if (record.returnData !== null) response.meta.returnData = record.returnData
  if (maxVersion !== undefined && maxVersion !== null) response.version = parsed.version
  return response
}

module.exports = { transactionResponse }
