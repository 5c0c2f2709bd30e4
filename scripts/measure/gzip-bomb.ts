import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { constants, createGzip } from 'node:zlib';

/**
 * Issue 9, defect 5: what one small compressed request does to the server's memory. Serves
 * every function in this process (the database is never reached: the body is refused first),
 * sends a 300 KB gzip body that inflates to 300 MiB, and prints the RSS before and its peak
 * while the request is handled. `npx tsx scripts/measure/gzip-bomb.ts`
 */
/** `bytes` of JSON-legal white space, gzipped a MiB at a time so this process never holds them. */
function compressedSpaces(bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gzip = createGzip({ level: constants.Z_BEST_COMPRESSION });
    const out: Buffer[] = [];
    gzip.on('data', (c: Buffer) => out.push(c));
    gzip.on('end', () => resolve(Buffer.concat(out)));
    gzip.on('error', reject);
    const mib = Buffer.alloc(1024 * 1024, 0x20);
    let left = bytes / mib.length;
    const write = () => {
      while (left > 0) {
        left--;
        if (!gzip.write(mib)) return void gzip.once('drain', write);
      }
      gzip.end();
    };
    write();
  });
}

async function main(): Promise<void> {
  process.env.DATABASE_URL ??= 'postgres://nobody:none@127.0.0.1:1/none';
  process.env.LOG_LEVEL ??= 'error';
  const { allFunctions } = await import('../../functions/all');
  const { createServer } = await import('../../functions/core/server');
  const server = createServer(allFunctions);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bomb = await compressedSpaces(300 * 1024 * 1024);
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const began = performance.now();
  const status = await new Promise<number>((resolve, reject) => {
    // Chunked, as the attack was sent: no Content-Length to refuse it by.
    const req = request({ host: '127.0.0.1', port, path: '/api/appointments', method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(bomb);
  });
  const ms = performance.now() - began;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
  console.log(`gzip body of ${(bomb.length / 1024).toFixed(0)} KiB (300 MiB inflated): status ${status} in ${ms.toFixed(0)} ms; RSS ${mib(before)} before, ${mib(peak)} at peak`);
  server.close();
  process.exit(0);
}

void main();
