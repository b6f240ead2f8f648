export {
  type DecodedInstruction,
  type DecodedPaymentTransaction,
  decodePaymentTransaction,
} from './decode-payment-transaction.js'
export { type ExactSvmPayload, parseExactSvmPayload } from './exact-svm-payload.js'
export {
  COMPUTE_BUDGET_PROGRAM,
  isTokenProgram,
  LIGHTHOUSE_PROGRAM,
  MAX_COMPUTE_UNIT_LIMIT,
  MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS,
  MAX_MEMO_BYTES,
  MEMO_PROGRAM,
  SET_COMPUTE_UNIT_LIMIT_DISCRIMINATOR,
  SET_COMPUTE_UNIT_PRICE_DISCRIMINATOR,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
  TRANSFER_CHECKED_DISCRIMINATOR,
} from './programs.js'
