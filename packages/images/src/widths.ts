/** The widths asked for below the image's own, and its own when it is narrower than the widest asked. */
export function widthsFor(own: number, widths: number[]): number[] {
  const wanted = [...new Set(widths)].filter((w) => w > 0).sort((a, b) => a - b);
  const below = wanted.filter((w) => w < own);
  if (wanted.length === 0 || own <= wanted[wanted.length - 1]!) below.push(own);
  return below.length > 0 ? below : [own];
}
