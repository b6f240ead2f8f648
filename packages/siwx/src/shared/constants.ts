/** The extension's key in `PaymentRequired.extensions` (specs/extensions/sign-in-with-x.md). */
export const SIGN_IN_WITH_X = 'sign-in-with-x'

/** The request header carrying the signed proof: base64 of its JSON. */
export const SIGN_IN_WITH_X_HEADER = 'SIGN-IN-WITH-X'
