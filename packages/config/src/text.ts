/**
 * Text in Unicode NFC, the form signatures are made over (macOS file names and text copied from PDFs
 * come decomposed: `Zoe` + U+0308). ASCII is NFC already, and most fields are ASCII, so those skip
 * ICU altogether.
 */
export function nfc(text: string): string {
  return /[^\x00-\x7f]/.test(text) ? text.normalize('NFC') : text;
}
