/**
 * Everything piped to standard input, or undefined when it is a terminal (a person is typing, and
 * nothing was piped). Read to the end: a pipe closes when its writer is done.
 */
export async function readPipedInput(input: NodeJS.ReadStream = process.stdin): Promise<string | undefined> {
  if (input.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
