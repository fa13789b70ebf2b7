import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** MD5 of a file as lowercase hex, streamed (the source file is 80 MB). */
export async function md5File(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
