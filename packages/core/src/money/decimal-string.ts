/**
 * Exact conversion of a JS number or a decimal string to a canonical non-negative decimal string
 * (`"0.001"`, `"12"`): no binary floating point arithmetic, exponent notation expanded digit by digit.
 * Returns `undefined` for anything that is not a finite, non-negative decimal.
 */
export function toDecimalString(value: string | number): string | undefined {
  let text: string
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined
    // String(n) is the shortest decimal that round-trips to n (ECMA-262 Number::toString).
    text = String(value)
  } else if (typeof value === 'string') {
    text = value.trim()
  } else {
    return undefined
  }
  const match = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (!match) return undefined
  const whole = match[1] ?? ''
  const fraction = match[2] ?? ''
  if (whole === '' && fraction === '') return undefined
  const exponent = match[3] === undefined ? 0 : Number(match[3])
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return undefined
  // Shift the decimal point `exponent` places in the digit string.
  const digits = whole + fraction
  const point = whole.length + exponent
  let intPart: string
  let fracPart: string
  if (point <= 0) {
    intPart = '0'
    fracPart = '0'.repeat(-point) + digits
  } else if (point >= digits.length) {
    intPart = digits + '0'.repeat(point - digits.length)
    fracPart = ''
  } else {
    intPart = digits.slice(0, point)
    fracPart = digits.slice(point)
  }
  intPart = intPart.replace(/^0+(?=\d)/, '')
  fracPart = fracPart.replace(/0+$/, '')
  return fracPart === '' ? intPart : `${intPart}.${fracPart}`
}
