import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { answerUnmetExpectation } from '../src/index.js';

describe('answerUnmetExpectation', () => {
  it('answers an Expect other than 100-continue with 417 and a JSON body, and keeps serving', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    server.on('checkExpectation', answerUnmetExpectation);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const send = (headers: Record<string, string>) =>
      new Promise<{
        status: number;
        type: string | undefined;
        pragma: string | undefined;
        text: string;
      }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, method: 'POST', path: '/', headers },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              text += c;
            });
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                type: res.headers['content-type'],
                pragma: res.headers.pragma,
                text,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end('{"a":1}');
      });
    try {
      const refused = await send({ expect: 'bogus', 'content-type': 'application/json' });
      expect(refused.status).toBe(417);
      expect(refused.type).toBe('application/json; charset=utf-8');
      expect(refused.pragma).toBe('no-cache');
      expect(JSON.parse(refused.text)).toEqual({
        error: 'invalid_request',
        error_description: expect.stringContaining('Expect'),
      });
      const served = await send({ 'content-type': 'application/json' });
      expect(served).toMatchObject({ status: 200, text: 'ok' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
