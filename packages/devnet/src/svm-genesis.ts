import type { Address, ReadonlyUint8Array } from '@solana/kit'
import { AccountState, findAssociatedTokenPda, getMintEncoder, getTokenEncoder } from '@solana-program/token'
import { INITIAL_TOKEN_BALANCE } from './constants.js'
import type { DevnetSvmAccount } from './devnet-description.js'
import {
  INITIAL_LAMPORTS,
  SVM_DEVNET_MINTS,
  SVM_DEVNET_USDC_MINT,
  SVM_TOKEN_2022_PROGRAM_ADDRESS,
} from './svm-constants.js'
import { SVM_DEV_ACCOUNTS, SVM_DEVNET_USDC_2022_MINT } from './svm-dev-accounts.js'

const SYSTEM_PROGRAM = '11111111111111111111111111111111'
// A Token-2022 account created by the Associated Token Account program: the 165-byte base layout, the
// account type (2 = Account) and the ImmutableOwner extension (type 7, no data) in TLV form.
const TOKEN_2022_ACCOUNT_SUFFIX = Uint8Array.of(2, 7, 0, 0, 0)

/** An account the Solana node writes at start; lamports default to the rent-exempt minimum. */
export interface SvmGenesisAccount {
  address: string
  owner: string
  /** Decimal lamports; omitted: rent-exempt for the data. */
  lamports?: string
  /** Base64 account data. */
  data: string
}

const base64 = (bytes: ReadonlyUint8Array) => Buffer.from(bytes).toString('base64')

/** The associated token account of `owner` for one of the devnet's mints. */
export async function svmAssociatedTokenAddress(
  owner: string,
  mint: string,
  tokenProgram: string,
): Promise<string> {
  const [ata] = await findAssociatedTokenPda({
    owner: owner as Address,
    mint: mint as Address,
    tokenProgram: tokenProgram as Address,
  })
  return ata
}

/**
 * The devnet's Solana state at start: SOL for every role, the two USDC-like mints (mint authority
 * `mintAuthority`, no freeze authority) and associated token accounts — 1,000,000 tokens of each mint for
 * the payer and every `others` account, empty ones for the merchant.
 */
export async function svmGenesisAccounts(): Promise<SvmGenesisAccount[]> {
  const { payer, merchant, facilitator, others, mintAuthority } = SVM_DEV_ACCOUNTS
  const holders: DevnetSvmAccount[] = [payer, ...others]
  const solAccounts = [payer, merchant, facilitator, mintAuthority, ...others].map((account) => ({
    address: account.address,
    owner: SYSTEM_PROGRAM,
    lamports: INITIAL_LAMPORTS.toString(),
    data: '',
  }))
  const mints = [
    { address: SVM_DEVNET_USDC_MINT, ...SVM_DEVNET_MINTS.usdc },
    { address: SVM_DEVNET_USDC_2022_MINT, ...SVM_DEVNET_MINTS.usdc2022 },
  ]
  const mintAccounts = mints.map((mint) => ({
    address: mint.address,
    owner: mint.tokenProgram,
    data: base64(
      getMintEncoder().encode({
        mintAuthority: mintAuthority.address as Address,
        supply: INITIAL_TOKEN_BALANCE * BigInt(holders.length),
        decimals: mint.decimals,
        isInitialized: true,
        freezeAuthority: null,
      }),
    ),
  }))
  const balances = [
    ...holders.map((holder) => ({ owner: holder.address, amount: INITIAL_TOKEN_BALANCE })),
    { owner: merchant.address, amount: 0n },
  ]
  const tokenAccounts = await Promise.all(
    mints.flatMap((mint) =>
      balances.map(async ({ owner, amount }) => {
        const base = getTokenEncoder().encode({
          mint: mint.address as Address,
          owner: owner as Address,
          amount,
          delegate: null,
          state: AccountState.Initialized,
          isNative: null,
          delegatedAmount: 0n,
          closeAuthority: null,
        })
        const data =
          mint.tokenProgram === SVM_TOKEN_2022_PROGRAM_ADDRESS
            ? Buffer.concat([Buffer.from(base), TOKEN_2022_ACCOUNT_SUFFIX])
            : base
        return {
          address: await svmAssociatedTokenAddress(owner, mint.address, mint.tokenProgram),
          owner: mint.tokenProgram,
          data: base64(data),
        }
      }),
    ),
  )
  return [...solAccounts, ...mintAccounts, ...tokenAccounts]
}
