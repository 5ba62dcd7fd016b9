/** A form field's text, trimmed; anything else a body parser may produce (lists, objects) counts as empty. */
export function formText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}
