import type { Settlement } from './submit-payment.js'

/** The receipt line shown with the content: what was paid, and the transaction with its explorer link. */
export interface Receipt extends Settlement {
  price: string
  networkName: string
  txUrl?: string
}

const TEXT = /^(text\/|application\/(json|xml|javascript)|[^;]*\+(json|xml))/i

/**
 * Shows a paid answer: an HTML page replaces this document (its scripts run), text and JSON are shown in
 * the paywall's card, an image inline, anything else as a download link. The receipt is added to it.
 */
export async function showContent(response: Response, receipt: Receipt): Promise<void> {
  const type = response.headers.get('content-type') ?? ''
  if (/^\s*(text\/html|application\/xhtml\+xml)/i.test(type)) {
    const html = await response.text()
    document.open()
    document.write(html)
    document.close()
    document.body?.append(floatingReceipt(receipt))
    return
  }
  const card = document.getElementById('x402-paywall')
  if (!card) return
  const heading = document.createElement('h2')
  heading.textContent = 'Unlocked'
  heading.tabIndex = -1
  let content: HTMLElement
  if (TEXT.test(type) || type === '') {
    content = document.createElement('pre')
    content.className = 'x402-content'
    const text = await response.text()
    content.textContent = /json/i.test(type) ? prettyJson(text) : text
  } else {
    const url = URL.createObjectURL(await response.blob())
    if (/^image\//i.test(type)) {
      const image = document.createElement('img')
      image.src = url
      image.alt = 'The paid content'
      image.className = 'x402-content'
      content = image
    } else {
      const link = document.createElement('a')
      link.href = url
      link.download = ''
      link.textContent = 'Download the paid content'
      content = link
    }
  }
  const line = document.createElement('p')
  line.className = 'x402-receipt'
  line.append(...receiptParts(receipt))
  card.querySelector('.x402-pay')?.replaceWith(heading, content, line)
  heading.focus()
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

function receiptParts(receipt: Receipt): (string | Node)[] {
  const parts: (string | Node)[] = [`Paid ${receipt.price} on ${receipt.networkName}.`]
  const tx = receipt.transaction
  if (tx === undefined) return parts
  const short = tx.length > 20 ? `${tx.slice(0, 10)}…${tx.slice(-8)}` : tx
  parts.push(' Transaction ')
  if (receipt.txUrl !== undefined) {
    const link = document.createElement('a')
    link.href = receipt.txUrl.replace('{tx}', encodeURIComponent(tx))
    link.rel = 'noopener'
    link.target = '_blank'
    link.textContent = short
    link.title = tx
    link.className = 'x402-tx'
    link.style.color = 'inherit'
    parts.push(link)
  } else {
    const code = document.createElement('code')
    code.textContent = short
    code.title = tx
    code.className = 'x402-tx'
    parts.push(code)
  }
  parts.push('.')
  return parts
}

// The page that replaced the paywall has none of its styles: the receipt carries its own (set through
// CSSOM, which a style-src Content-Security-Policy allows).
function floatingReceipt(receipt: Receipt): HTMLElement {
  const box = document.createElement('aside')
  box.className = 'x402-receipt'
  box.setAttribute('role', 'status')
  box.setAttribute('aria-label', 'Payment receipt')
  box.style.cssText =
    'position:fixed;right:16px;bottom:16px;z-index:2147483647;max-width:min(420px,calc(100vw - 32px));' +
    'display:flex;gap:12px;align-items:center;padding:10px 14px;border-radius:10px;background:#12161c;' +
    'color:#fff;font:14px/1.4 system-ui,sans-serif;box-shadow:0 4px 18px rgba(0,0,0,.25)'
  const text = document.createElement('span')
  text.append(...receiptParts(receipt))
  const close = document.createElement('button')
  close.type = 'button'
  close.textContent = '×'
  close.setAttribute('aria-label', 'Dismiss the receipt')
  close.style.cssText =
    'border:0;background:transparent;color:inherit;font:20px/1 system-ui,sans-serif;cursor:pointer;padding:4px'
  close.addEventListener('click', () => box.remove())
  box.append(text, close)
  return box
}
