'use strict'
// litesvm's transaction metadata in the Solana JSON-RPC's terms: return data and inner instructions.
const { encodeBase58 } = require('./base58.cjs')

function returnDataOf(meta) {
  const returnData = meta.returnData()
  const data = returnData.data()
  if (data.length === 0) return null
  return {
    programId: encodeBase58(returnData.programId()),
    data: [Buffer.from(data).toString('base64'), 'base64'],
  }
}

/** litesvm's inner instructions as [{ index, instructions: [{ programIdIndex, accounts, data, stackHeight }] }]. */
function innerInstructionsOf(meta) {
  const groups = []
  meta.innerInstructions().forEach((list, index) => {
    if (list.length === 0) return
    groups.push({
      index,
      instructions: list.map((inner) => {
        const compiled = inner.instruction()
        return {
          programIdIndex: compiled.programIdIndex(),
          accounts: Array.from(compiled.accounts()),
          data: compiled.data(),
          stackHeight: inner.stackHeight(),
        }
      }),
    })
  })
  return groups
}

module.exports = { innerInstructionsOf, returnDataOf }
