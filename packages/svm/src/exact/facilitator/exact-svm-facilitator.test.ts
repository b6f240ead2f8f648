import { isErrorReason, type PaymentRequirements } from '@open402/core'
import {
  AccountRole,
  type Address,
  appendTransactionMessageInstructions,
  compressTransactionMessageUsingAddressLookupTables,
  createNoopSigner,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64Decoder,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  type Instruction,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from '@solana-program/compute-budget'
import { getAddMemoInstruction } from '@solana-program/memo'
import { getTransferInstruction } from '@solana-program/token'
import { beforeAll, describe, expect, test } from 'vitest'
import { buildPayment, offlineParties, type PaymentEdits, requirementsFor } from '../../../test/helpers.js'
import { LIGHTHOUSE_PROGRAM, MEMO_PROGRAM, TOKEN_2022_PROGRAM } from '../../shared/programs.js'
import { paymentInstructions } from '../client/build-payment-transaction.js'
import { exactSvmFacilitator } from './exact-svm-facilitator.js'

// Every rule below fails before any RPC call, so the facilitator points at a closed port.
const UNREACHABLE = 'http://127.0.0.1:9'

let parties: Awaited<ReturnType<typeof offlineParties>>
let facilitator: ReturnType<typeof exactSvmFacilitator>
let stranger: Address

beforeAll(async () => {
  parties = await offlineParties()
  stranger = (await generateKeyPairSigner()).address
  facilitator = exactSvmFacilitator({
    signers: [parties.feePayerKey],
    networks: { [parties.network]: UNREACHABLE },
  })
})

const memo = (text: string, accounts: Instruction['accounts'] = []): Instruction => ({
  ...getAddMemoInstruction({ memo: text }, { programAddress: MEMO_PROGRAM }),
  accounts,
})
const foreign = (): Instruction => ({ programAddress: stranger, accounts: [], data: new Uint8Array([1]) })

type Case = [
  reason: string,
  what: string,
  edits: () => PaymentEdits | Promise<PaymentEdits>,
  requirements?: () => PaymentRequirements,
]

const cases: Case[] = [
  [
    'invalid_exact_svm_unsupported_scheme',
    'the payment is for another scheme',
    () => ({ accepted: { scheme: 'upto' } }),
  ],
  [
    'invalid_exact_svm_network_mismatch',
    'the payment is for another network',
    () => ({ accepted: { network: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp' } }),
  ],
  [
    'invalid_exact_svm_asset_mismatch',
    'accepted names another mint',
    () => ({ accepted: { asset: stranger } }),
  ],
  [
    'invalid_exact_svm_recipient_mismatch',
    'accepted names another payTo',
    () => ({ accepted: { payTo: stranger } }),
  ],
  [
    'invalid_exact_svm_payload_missing_fee_payer',
    'the requirements carry no extra.feePayer',
    () => ({ requirements: { ...requirementsFor(parties), extra: {} } }),
    () => ({ ...requirementsFor(parties), extra: {} }),
  ],
  [
    'fee_payer_not_managed_by_facilitator',
    'extra.feePayer is not a key of this facilitator',
    () => ({ requirements: requirementsFor({ ...parties, feePayer: stranger }), feePayer: stranger }),
    () => requirementsFor({ ...parties, feePayer: stranger }),
  ],
  [
    'invalid_exact_svm_fee_payer_mismatch',
    "the transaction's fee payer is another key",
    () => ({ feePayer: stranger }),
  ],
  [
    'invalid_exact_svm_payload_transaction_instructions_length',
    'the transaction has only two instructions',
    () => ({ instructions: (list) => list.slice(0, 2) }),
  ],
  [
    'invalid_exact_svm_payload_transaction_instructions_length',
    'the transaction has seven instructions',
    () => ({ instructions: (list) => [...list, memo('a'), memo('b'), memo('c')] }),
  ],
  [
    'invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction',
    'the compute budget instructions are swapped',
    () => ({ instructions: ([limit, price, ...rest]) => [price, limit, ...rest] as Instruction[] }),
  ],
  [
    'invalid_exact_svm_payload_transaction_instructions_compute_limit_instruction_too_high',
    'the compute unit limit is above the cap',
    () => ({ input: { computeUnitLimit: 400_001 } }),
  ],
  [
    'invalid_exact_svm_payload_transaction_instructions_compute_price_instruction',
    'SetComputeUnitLimit appears twice instead of SetComputeUnitPrice',
    () => ({
      instructions: ([limit, , ...rest]) =>
        [limit, getSetComputeUnitLimitInstruction({ units: 10 }), ...rest] as Instruction[],
    }),
  ],
  [
    'invalid_exact_svm_payload_transaction_instructions_compute_price_instruction_too_high',
    'the compute unit price is above 5 lamports per CU',
    () => ({ input: { computeUnitPriceMicroLamports: 5_000_001n } }),
  ],
  [
    'invalid_exact_svm_payload_no_transfer_instruction',
    'the third instruction is a plain Transfer, not TransferChecked',
    () => ({
      instructions: ([limit, price, , ...rest]) =>
        [
          limit,
          price,
          getTransferInstruction({
            source: stranger,
            destination: parties.payTo,
            authority: parties.owner,
            amount: 1n,
          }),
          ...rest,
        ] as Instruction[],
    }),
  ],
  [
    'invalid_exact_svm_payload_no_transfer_instruction',
    'a second SetComputeUnitPrice takes the transfer position',
    () => ({
      instructions: ([limit, price, transfer]) =>
        [limit, price, getSetComputeUnitPriceInstruction({ microLamports: 1n }), transfer] as Instruction[],
    }),
  ],
  [
    'invalid_exact_svm_payload_unknown_fourth_instruction',
    'an unknown program follows the transfer',
    () => ({ instructions: (list) => [...list.slice(0, 3), foreign()] }),
  ],
  [
    'invalid_exact_svm_payload_unknown_fifth_instruction',
    'an unknown program is fifth',
    () => ({ instructions: (list) => [...list, foreign()] }),
  ],
  [
    'invalid_exact_svm_payload_unknown_sixth_instruction',
    'an unknown program is sixth',
    () => ({ instructions: (list) => [...list, memo('x'), foreign()] }),
  ],
  [
    'invalid_exact_svm_payload_transaction_fee_payer_transferring_funds',
    "the fee payer is the transfer's authority",
    () => ({ input: { owner: createNoopSigner(parties.feePayer) } }),
  ],
  [
    'invalid_exact_svm_payload_fee_payer_in_instruction_accounts',
    "the fee payer is a memo's account",
    () => ({
      instructions: (list) => [
        ...list,
        memo('m', [{ address: parties.feePayer, role: AccountRole.READONLY }]),
      ],
    }),
  ],
  [
    'invalid_exact_svm_payload_fee_payer_in_instruction_accounts',
    "the fee payer is a Lighthouse instruction's writable account",
    () => ({
      instructions: (list) => [
        ...list,
        {
          programAddress: LIGHTHOUSE_PROGRAM,
          accounts: [{ address: parties.feePayer, role: AccountRole.WRITABLE }],
        },
      ],
    }),
  ],
  [
    'invalid_exact_svm_payload_fee_payer_in_instruction_accounts',
    'the fee payer is the transfer source',
    () => ({
      instructions: ([limit, price, transfer, ...rest]) =>
        [
          limit,
          price,
          {
            ...transfer,
            accounts: transfer?.accounts?.map((meta, index) =>
              index === 0 ? { address: parties.feePayer, role: AccountRole.WRITABLE } : meta,
            ),
          },
          ...rest,
        ] as Instruction[],
    }),
  ],
  [
    'invalid_exact_svm_payload_excessive_signers',
    'a memo requires a third signature',
    async () => {
      const extra = await generateKeyPairSigner()
      return {
        instructions: (list: Instruction[]) => [
          ...list,
          getAddMemoInstruction({ memo: 'm', signers: [extra] }, { programAddress: MEMO_PROGRAM }),
        ],
      }
    },
  ],
  [
    'invalid_exact_svm_payload_signature_invalid',
    "the owner's signature is missing",
    () => ({ input: { owner: createNoopSigner(parties.owner.address) } }),
  ],
  [
    'invalid_exact_svm_payload_mint_mismatch',
    'the transfer moves another mint',
    () => ({ input: { mint: stranger } }),
  ],
  [
    'invalid_exact_svm_payload_recipient_mismatch',
    'the transfer pays another owner',
    () => ({ input: { payTo: stranger } }),
  ],
  [
    'invalid_exact_svm_payload_recipient_mismatch',
    "the transfer pays payTo's Token-2022 account of an SPL Token transfer",
    () => ({
      instructions: ([limit, price, transfer, ...rest]) =>
        [limit, price, { ...transfer, programAddress: TOKEN_2022_PROGRAM }, ...rest] as Instruction[],
    }),
  ],
  [
    'invalid_exact_svm_payload_amount_mismatch',
    'the transfer moves one unit less',
    () => ({ input: { amount: 9_999n } }),
  ],
  [
    'invalid_exact_svm_payload_amount_mismatch',
    'the transfer moves one unit more',
    () => ({ input: { amount: 10_001n } }),
  ],
]

describe('exactSvmFacilitator.verify refuses a transaction that breaks one rule', () => {
  test.each(cases)('%s when %s', async (reason, _what, edits, requirements) => {
    const payment = await buildPayment(parties, await edits())
    const result = await facilitator.verify(payment, requirements?.() ?? requirementsFor(parties))
    expect(result.isValid).toBe(false)
    expect(result.invalidReason).toBe(reason)
    expect(result.invalidMessage).toEqual(expect.any(String))
    expect(isErrorReason(result.invalidReason)).toBe(true)
  })

  test.each([
    ['a transaction with no memo', [], 'invalid_exact_svm_payload_memo_count'],
    ['a transaction with two memos', ['inv-42', 'inv-42'], 'invalid_exact_svm_payload_memo_count'],
    ['a transaction with another memo', ['inv-43'], 'invalid_exact_svm_payload_memo_mismatch'],
  ])('refuses %s when extra.memo is set', async (_what, memos, reason) => {
    const requirements = requirementsFor(parties, { memo: 'inv-42' })
    const payment = await buildPayment(parties, {
      requirements,
      instructions: (list) => [...list.slice(0, 3), ...memos.map((text) => memo(text))],
    })
    const result = await facilitator.verify(payment, requirements)
    expect(result).toMatchObject({ isValid: false, invalidReason: reason, payer: parties.owner.address })
  })

  test.each([
    ['payload.transaction is missing', {}],
    ['payload.transaction is not base64', { transaction: '***' }],
    ['payload.transaction is truncated', 'truncated'],
    ['payload.transaction has trailing bytes', 'trailing'],
  ])('refuses as could_not_be_decoded when %s', async (_what, shape) => {
    const valid = await buildPayment(parties)
    const bytes = getBase64Encoder().encode((valid.payload as { transaction: string }).transaction)
    const payload =
      shape === 'truncated'
        ? { transaction: getBase64Decoder().decode(bytes.slice(0, bytes.length - 20)) }
        : shape === 'trailing'
          ? { transaction: getBase64Decoder().decode(new Uint8Array([...bytes, 0, 0])) }
          : shape
    const result = await facilitator.verify({ ...valid, payload }, requirementsFor(parties))
    expect(result).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_exact_svm_payload_transaction_could_not_be_decoded',
    })
  })

  test("refuses an owner's signature made over another message", async () => {
    const a = await buildPayment(parties)
    const b = await buildPayment(parties)
    const bytesA = getBase64Encoder().encode((a.payload as { transaction: string }).transaction)
    const bytesB = getBase64Encoder().encode((b.payload as { transaction: string }).transaction)
    // Wire layout: [count=2][fee payer sig 64][owner sig 64][message]; graft B's owner signature onto A.
    const forged = new Uint8Array(bytesA)
    forged.set(bytesB.slice(65, 129), 65)
    const result = await facilitator.verify(
      { ...a, payload: { transaction: getBase64Decoder().decode(forged) } },
      requirementsFor(parties),
    )
    expect(result).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_exact_svm_payload_signature_invalid',
      invalidMessage: expect.stringContaining('not valid for this message'),
    })
  })

  test('refuses a v0 transaction that loads accounts from an address lookup table', async () => {
    const table = (await generateKeyPairSigner()).address
    const instructions = await paymentInstructions({ ...parties, memo: 'alt' })
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayer(parties.feePayer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(parties.blockhash, m),
      (m) => appendTransactionMessageInstructions(instructions, m),
      (m) => compressTransactionMessageUsingAddressLookupTables(m, { [table]: [parties.mint] }),
    )
    const transaction = getBase64EncodedWireTransaction(
      await partiallySignTransactionMessageWithSigners(message),
    )
    const payment = await buildPayment(parties)
    const result = await facilitator.verify(
      { ...payment, payload: { transaction } },
      requirementsFor(parties),
    )
    expect(result).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_exact_svm_payload_address_lookup_tables',
    })
  })

  test('refuses a network it does not serve as invalid_network', async () => {
    const requirements = {
      ...requirementsFor(parties),
      network: 'solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z' as const,
    }
    const payment = await buildPayment(parties, { requirements })
    expect(await facilitator.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: 'invalid_network',
    })
    expect(await facilitator.settle(payment, requirements)).toMatchObject({
      success: false,
      errorReason: 'invalid_network',
      transaction: '',
    })
  })
})

describe('exactSvmFacilitator on an unreachable RPC', () => {
  test.each([0, 'legacy'] as const)(
    'passes every local rule for a %s transaction and reports the RPC failure as unexpected_verify_error',
    async (version) => {
      const payment = await buildPayment(parties, { version })
      const result = await facilitator.verify(payment, requirementsFor(parties))
      expect(result).toMatchObject({
        isValid: false,
        invalidReason: 'unexpected_verify_error',
        payer: parties.owner.address,
      })
      expect(result.invalidMessage).toMatch(/could not simulate/)
    },
  )

  test('accepts up to three Memo or Lighthouse instructions after the transfer', async () => {
    const payment = await buildPayment(parties, {
      instructions: (list) => [
        ...list,
        { programAddress: LIGHTHOUSE_PROGRAM, data: new Uint8Array([0]) },
        memo('z'),
      ],
    })
    const result = await facilitator.verify(payment, requirementsFor(parties))
    expect(result.invalidReason).toBe('unexpected_verify_error')
  })
})

describe('exactSvmFacilitator configuration', () => {
  test('lists one kind per network with a fee payer, and its signers under solana:*', async () => {
    const second = await generateKeyPairSigner()
    const part = exactSvmFacilitator({
      signers: [parties.feePayerKey, second],
      networks: {
        'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1': UNREACHABLE,
        'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp': { rpcUrl: UNREACHABLE },
      },
    })
    expect(part.kinds()).toEqual([
      {
        x402Version: 2,
        scheme: 'exact',
        network: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
        extra: { feePayer: parties.feePayer },
      },
      {
        x402Version: 2,
        scheme: 'exact',
        network: 'solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp',
        extra: { feePayer: second.address },
      },
    ])
    expect(part.kinds()).toBe(part.kinds())
    expect(part.signers()).toEqual({ 'solana:*': [parties.feePayer, second.address] })
  })

  test.each([
    [
      'no signer',
      () => ({ signers: [], networks: { 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1': UNREACHABLE } }),
    ],
    ['no network', () => ({ signers: [parties.feePayerKey], networks: {} })],
    ['an EVM network', () => ({ signers: [parties.feePayerKey], networks: { 'eip155:8453': UNREACHABLE } })],
  ])('throws invalid_config for %s', (_what, options) => {
    expect(() => exactSvmFacilitator(options())).toThrow(
      expect.objectContaining({ name: 'X402Error', code: 'invalid_config' }),
    )
  })
})
