import { mkdir, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Where development adapters leave messages for a developer to read, one file
 * per delivery. The file is named after the delivery, so writing it again
 * replaces it instead of adding a second message.
 */
export class MessageFolder {
  constructor(private readonly root: string) {}

  async write(
    channel: string,
    deliveryId: string,
    extension: string,
    content: string | Buffer,
  ): Promise<string> {
    const folder = path.join(this.root, channel);
    const file = path.join(folder, `${deliveryId}.${extension}`);
    const partial = `${file}.partial`;
    // The folder is made when a write finds it missing, not before every write.
    await writeFile(partial, content).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      await mkdir(folder, { recursive: true });
      await writeFile(partial, content);
    });
    await rename(partial, file);
    return file;
  }
}
