import { expect, test } from 'vitest'
import { escapeHtml, jsonForScript } from './escape-html.js'

test('escapeHtml escapes the five characters that matter in content and quoted attributes', () => {
  expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  )
})

test('jsonForScript cannot end or comment out its <script> element and parses back unchanged', () => {
  const value = { text: '</script><!-- <script> & \u2028\u2029', nested: ['</SCRIPT>'] }
  const json = jsonForScript(value)
  expect(json).not.toMatch(/[<>&\u2028\u2029]/)
  expect(JSON.parse(json)).toEqual(value)
})
