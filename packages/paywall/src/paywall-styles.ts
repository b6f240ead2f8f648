import { X402Error } from '@open402/core'

/** The page's colors, as CSS color values (`#1d4ed8`, `rgb(29 78 216)`, `oklch(…)`, a named color). */
export interface PaywallColors {
  /** The page behind the card. */
  background?: string
  /** The card. */
  surface?: string
  /** Body text. */
  text?: string
  /** Secondary text; keep it readable on `surface` (4.5:1). */
  muted?: string
  /** Buttons, links and the keyboard focus ring. */
  accent?: string
  /** Text on `accent` buttons. */
  accentText?: string
  /** Card and offer outlines. */
  border?: string
  /** Error messages. */
  error?: string
}

type Palette = Required<PaywallColors>

// Default palettes: every text color has at least 4.5:1 contrast on its background (WCAG AA).
const LIGHT: Palette = {
  background: '#f3f4f6',
  surface: '#ffffff',
  text: '#111827',
  muted: '#4b5563',
  accent: '#1d4ed8',
  accentText: '#ffffff',
  border: '#d1d5db',
  error: '#b91c1c',
}
const DARK: Palette = {
  background: '#0b0f17',
  surface: '#151b26',
  text: '#f3f4f6',
  muted: '#aeb6c4',
  accent: '#8ab4ff',
  accentText: '#0b0f17',
  border: '#2c3546',
  error: '#fca5a5',
}

// A color goes into a <style> element: anything that could end a declaration, a rule or the element
// (`;`, braces, `<`, quotes, backslashes) is refused.
const CSS_COLOR = /^[#a-zA-Z0-9(),.%\s/+-]{1,100}$/

/** Checks configured colors; throws `X402Error('invalid_config')` naming the first bad one. */
export function checkColors(colors: PaywallColors | undefined): void {
  for (const [name, value] of Object.entries(colors ?? {})) {
    if (!(name in LIGHT)) {
      throw new X402Error('invalid_config', `createPaywall: colors.${name} is not a paywall color`)
    }
    if (value !== undefined && (typeof value !== 'string' || !CSS_COLOR.test(value))) {
      throw new X402Error(
        'invalid_config',
        `createPaywall: colors.${name} must be a CSS color such as "#1d4ed8", got ${JSON.stringify(value)}`,
      )
    }
  }
}

function variables(palette: Palette): string {
  return (
    `--x402-bg:${palette.background};--x402-surface:${palette.surface};--x402-text:${palette.text};` +
    `--x402-muted:${palette.muted};--x402-accent:${palette.accent};--x402-accent-text:${palette.accentText};` +
    `--x402-border:${palette.border};--x402-error:${palette.error}`
  )
}

const RULES =
  '*,*::before,*::after{box-sizing:border-box}' +
  'body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:24px 16px;' +
  'background:var(--x402-bg);color:var(--x402-text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
  '.x402-card{width:100%;max-width:34rem;background:var(--x402-surface);border:1px solid var(--x402-border);' +
  'border-radius:16px;padding:2rem;box-shadow:0 1px 3px rgba(0,0,0,.06),0 8px 24px rgba(0,0,0,.06)}' +
  '.x402-logo{display:block;max-height:48px;max-width:160px;margin:0 0 1rem}' +
  '.x402-eyebrow{margin:0 0 .25rem;font-size:.8125rem;font-weight:600;letter-spacing:.06em;text-transform:uppercase;color:var(--x402-muted)}' +
  'h1{margin:0 0 .5rem;font-size:1.625rem;line-height:1.25}' +
  'h2{margin:0 0 .5rem;font-size:1rem}' +
  '.x402-description{margin:0 0 .75rem}' +
  '.x402-resource{margin:0 0 1.25rem;font-size:.875rem;color:var(--x402-muted);overflow-wrap:anywhere}' +
  '.x402-price{margin:0 0 1.5rem;font-size:2.25rem;font-weight:700;line-height:1.1}' +
  '.x402-offers{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}' +
  '.x402-offer{border:1px solid var(--x402-border);border-radius:12px;padding:.875rem 1rem}' +
  '.x402-terms{margin:0 0 .625rem;font-weight:600}' +
  '.x402-terms span{font-weight:400;color:var(--x402-muted)}' +
  '.x402-wallets{display:flex;flex-wrap:wrap;gap:.5rem}' +
  '.x402-button{display:inline-flex;align-items:center;gap:.5rem;min-height:44px;padding:.625rem 1.125rem;border:0;' +
  'border-radius:10px;background:var(--x402-accent);color:var(--x402-accent-text);font:inherit;font-weight:600;cursor:pointer}' +
  '.x402-button:hover{filter:brightness(1.1)}' +
  '.x402-button[aria-disabled=true]{opacity:.65;cursor:progress}' +
  ':focus-visible{outline:3px solid var(--x402-accent);outline-offset:3px}' +
  '.x402-hint{margin:0;font-size:.9375rem;color:var(--x402-muted)}' +
  '.x402-status{min-height:1.5em;margin:1.25rem 0 0;font-weight:500}' +
  '.x402-status[data-tone=error]{color:var(--x402-error)}' +
  '.x402-content{display:block;max-width:100%;max-height:60vh;overflow:auto;margin:0 0 1rem;padding:.75rem;' +
  'border-radius:8px;background:var(--x402-bg);font-size:.875rem;white-space:pre-wrap;overflow-wrap:anywhere}' +
  '.x402-receipt{font-size:.875rem;color:var(--x402-muted)}' +
  '.x402-footer{margin:1.5rem 0 0;font-size:.8125rem;color:var(--x402-muted)}' +
  'a{color:var(--x402-accent)}' +
  'code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}'

/**
 * The page's CSS. Without configured colors it follows the system's dark mode; configured colors are used
 * as given (unset ones from the light palette).
 */
export function paywallStyles(colors: PaywallColors | undefined): string {
  const custom = colors !== undefined && Object.values(colors).some((value) => value !== undefined)
  if (!custom) {
    return (
      `:root{${variables(LIGHT)};color-scheme:light dark}` +
      `@media (prefers-color-scheme:dark){:root{${variables(DARK)}}}${RULES}`
    )
  }
  const palette = { ...LIGHT }
  for (const [name, value] of Object.entries(colors)) {
    if (value !== undefined) palette[name as keyof Palette] = value
  }
  return `:root{${variables(palette)}}${RULES}`
}
